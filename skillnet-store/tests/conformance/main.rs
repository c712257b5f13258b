//! The conformance suite: what every `CalibrationStore` must do, checked against SQLite and
//! PostgreSQL alike (SPEC.md §12).
//!
//! Each expectation is written once, as a body `fn name(store: &dyn CalibrationStore)` in one of
//! the modules below, and listed in the `conformance!` call at the bottom, which makes it two
//! tests: `sqlite::name` and `postgres::name`, each on a fresh database that only it uses. A body
//! that is not listed is dead code, which the build (clippy `-D warnings`) refuses.
//!
//! What goes where:
//! - `harness`: the `conformance!` macro, fresh databases, and `Raw`, a plain Diesel connection
//!   to the database behind a store for what the trait does not show.
//! - `fixtures`: builders of plans, verifications and tags, and small helpers over results.
//! - `records`: record, re-record, verify, and every field read back by `plan`.
//! - `queries`: `query_plans` filters, limit and ordering.
//! - `tags`: `add_tags` / `remove_tags`.
//! - `history`: export, import and its cascades, counts, `check_writable`, vacuum.
//! - `phases`: phase status moves, the race on one phase, the transition log.
//! - `analysis`: `analyze` against hand-computed numbers and against core's reference evaluator.
//! - `proposals`: propose, decide (the state machine, the race, one transaction), thresholds.
//! - `routing`: the per-tier routing report, by hand and against the in-memory reference.
//! - `usage`: skill uses, retried reports, the link to the plan in progress, the report.
//! - `transactions`: batches that fail write nothing; many writers at once.
//! - `large_ids`: child row ids above 2^31.
//! - `migrations`: migration status, reopening, a database from a newer build, the two dialects'
//!   folders.
//! - `schema`: the migrated schema from the catalog, and its insta snapshots in `snapshots/`.
//!
//! Run it with `cargo test -p skillnet-store --all-features --test conformance`; one backend
//! with a filter such as `-- postgres::`. The PostgreSQL half starts a throwaway server (see
//! `skillnet_test_db`) or uses `SKILLNET_TEST_PG_URL`; without either it is skipped
//! with a note on stderr, except under `CI=true`, where that is a failure.

mod adoption;
mod analysis;
mod fixtures;
mod harness;
mod history;
mod large_ids;
mod migrations;
mod phases;
mod proposals;
mod queries;
mod records;
mod routing;
mod schema;
mod tags;
mod transactions;
mod usage;

#[test]
fn migration_folders_match_across_dialects() {
    migrations::migration_folders_match_across_dialects();
}

/// The byte-order expectation again, on a PostgreSQL database whose default collation is a
/// natural-language one (`en-US`), as on many real servers, unlike the `C` test databases.
mod postgres_en_us {
    #[test]
    fn ids_and_tags_sort_in_byte_order() {
        crate::harness::on_postgres_en_us(crate::history::ids_and_tags_sort_in_byte_order);
    }
}

/// What only a server backend can show: SQLite has no server to drop a connection.
mod postgres_only {
    #[test]
    fn a_connection_the_server_dropped_is_replaced() {
        crate::harness::on_postgres(crate::transactions::a_connection_the_server_dropped_is_replaced);
    }
}

harness::conformance! {
    adoption::a_zero_six_history_is_adopted_with_every_fact,
    adoption::adopting_twice_changes_nothing,
    adoption::a_database_of_something_else_is_refused_untouched,
    adoption::importing_a_zero_six_export_gives_what_adopting_gives,
    adoption::a_repeated_phase_ordinal_does_not_stop_the_adoption,
    adoption::values_zero_six_kept_as_written_are_read_not_refused,
    analysis::every_verdict_and_skew_case_by_hand,
    analysis::the_newest_verification_counts,
    analysis::custom_triggers_use_the_newest_recorded_threshold,
    analysis::plans_created_in_the_same_second_come_in_record_order,
    analysis::sql_counts_match_the_reference_evaluator,
    proposals::propose_stores_the_analysis_as_evidence,
    proposals::propose_takes_the_one_notch_move_or_an_explicit_threshold,
    proposals::propose_keeps_the_supporting_plans_the_proposer_names,
    proposals::bad_proposals_are_refused_and_write_nothing,
    proposals::accepting_sets_the_threshold_and_supersedes_the_previous_one,
    proposals::every_decision_out_of_a_final_state_is_a_conflict,
    proposals::racing_decisions_have_one_winner,
    proposals::a_failed_threshold_write_leaves_the_proposal_pending,
    proposals::proposals_and_thresholds_survive_export_and_import,
    records::record_round_trips_every_field,
    records::extreme_values_round_trip,
    records::unknown_plan_is_not_found,
    records::absent_values_are_sql_nulls,
    records::emergency_changes_json_round_trips,
    records::re_record_replaces_the_plan_and_keeps_its_history,
    records::re_record_keeps_a_user_tag_the_sidecar_also_sets,
    records::a_batch_naming_a_plan_twice_keeps_the_later_entry,
    records::verify_keeps_history_and_the_newest_counts,
    records::a_verify_batch_naming_a_plan_twice_keeps_both_and_the_later_counts,
    records::verify_of_an_unknown_plan_is_not_found,
    records::progress_reports_every_item,
    queries::query_orders_newest_created_first_then_by_id,
    queries::query_of_an_empty_store_is_empty,
    queries::query_requires_every_tag,
    queries::query_matches_any_value_of_a_repeated_key,
    queries::query_filters_verified_and_unverified,
    queries::query_filters_by_trigger_and_whether_it_fired,
    queries::query_summaries_carry_the_listing_fields,
    queries::query_limits_at_the_edges,
    tags::add_tags_adds_user_tags_and_counts_the_new_ones,
    tags::add_tags_refuses_auto_keys_and_writes_nothing,
    tags::add_tags_on_an_unknown_plan_is_not_found,
    tags::remove_tags_by_key_and_value,
    tags::remove_tags_refuses_auto_keys_and_missing_tags,
    tags::sidecar_tags_cannot_override_auto_tags,
    history::export_then_import_into_a_fresh_store_is_identical,
    history::ids_and_tags_sort_in_byte_order,
    history::export_pages_through_a_large_history,
    history::empty_batches_and_an_empty_store,
    history::export_reads_one_consistent_snapshot,
    history::an_import_cut_short_by_a_bad_item_writes_nothing,
    history::import_replaces_plans_with_the_same_ids,
    history::counts_count_every_table,
    history::check_writable_leaves_nothing_behind,
    history::vacuum_keeps_every_row,
    transactions::verify_batch_with_an_unknown_plan_writes_nothing,
    transactions::verify_batch_breaking_a_check_writes_nothing,
    transactions::record_batch_breaking_a_check_writes_nothing,
    transactions::text_with_a_nul_character_round_trips_or_is_invalid_input,
    transactions::many_threads_record_and_verify_at_once,
    large_ids::ids_above_2_pow_31_work,
    phases::every_legal_move_is_applied_and_logged,
    phases::the_status_view_says_where_a_plan_stands,
    phases::every_illegal_move_is_a_conflict_and_changes_nothing,
    phases::two_writers_racing_on_one_phase_exactly_one_wins,
    phases::phases_are_named_by_ordinal_or_slug,
    phases::progress_survives_re_record_and_export,
    phases::verify_derives_phase_outcomes_of_a_tracked_plan,
    routing::routing_percentiles_per_tier_by_hand,
    routing::routing_follows_re_records,
    routing::routing_matches_the_reference_on_a_random_history,
    migrations::open_applies_every_migration,
    migrations::reopening_an_up_to_date_database_applies_nothing,
    migrations::migrate_applies_what_is_pending,
    migrations::a_database_migrated_by_a_newer_build_is_refused_untouched,
    migrations::upgrading_classifies_an_existing_history,
    migrations::upgrading_signs_an_existing_history,
    records::shape_history_answers_novelty_and_slug_tiers,
    schema::child_tables_have_a_plan_id_index_and_cascade,
    schema::enumerated_columns_accept_exactly_the_core_values,
    schema::columns_refuse_values_that_break_their_rules,
    schema::schema_rs_matches_the_migrated_tables,
    schema::migrated_schema_snapshot,
    usage::an_event_that_names_no_skill_is_kept_but_not_counted,
    usage::uses_are_reported_per_skill_and_harness,
    usage::a_retried_report_is_stored_once,
    usage::a_use_inside_a_plan_in_progress_is_linked_to_it,
    usage::uses_survive_an_export_and_an_import,
    usage::bad_uses_are_refused_and_write_nothing,
}
