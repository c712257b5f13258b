//! Diesel's view of the tables, shared by both dialects.
//!
//! The tables are created by the migrations in `migrations-sqlite/` and `migrations-pg/`; this
//! file mirrors them (a conformance test compares it with the migrated schema of each dialect).
//! JSON columns use [`sql_types::JsonDoc`], which is `TEXT` holding valid JSON on SQLite and
//! `JSONB` on PostgreSQL, so the same query code compiles for both.

/// Column types of our own.
pub mod sql_types {
    /// A JSON document: `TEXT` with `CHECK (json_valid(..))` on SQLite, `JSONB` on PostgreSQL.
    #[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
    #[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Text")))]
    #[cfg_attr(feature = "postgres", diesel(postgres_type(oid = 3802, array_oid = 3807)))]
    pub struct JsonDoc;
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::JsonDoc;

    plans (id) {
        id -> Text,
        name -> Text,
        path -> Nullable<Text>,
        flavor -> Text,
        worktype -> Nullable<Text>,
        created_at -> BigInt,
        recorded_at -> BigInt,
        phase_count -> BigInt,
        wave_count -> BigInt,
        max_chain_depth -> BigInt,
        repo_spread -> BigInt,
        routing_dist -> JsonDoc,
        shape_hash -> Text,
        capture_reasons -> JsonDoc,
        shape_signature -> Nullable<Text>,
        generator -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::JsonDoc;

    phases (id) {
        id -> BigInt,
        plan_id -> Text,
        ordinal -> BigInt,
        slug -> Text,
        routing_tier -> Text,
        files -> JsonDoc,
        status -> Text,
        attempt -> BigInt,
    }
}

diesel::table! {
    phase_transitions (id) {
        id -> BigInt,
        plan_id -> Text,
        ordinal -> BigInt,
        from_status -> Text,
        to_status -> Text,
        at -> BigInt,
        attempt -> BigInt,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    triggers (id) {
        id -> BigInt,
        plan_id -> Text,
        name -> Text,
        input_value -> Double,
        threshold -> Double,
        fired -> Bool,
        section_added -> Nullable<Text>,
        class -> Nullable<Text>,
        plan_flavor -> Text,
        plan_worktype -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::JsonDoc;

    verifications (id) {
        id -> BigInt,
        plan_id -> Text,
        verified_at -> BigInt,
        elapsed_seconds -> Nullable<BigInt>,
        outcome -> Text,
        phase_outcomes -> JsonDoc,
        emergency_changes -> Nullable<JsonDoc>,
        surprises -> Nullable<Text>,
    }
}

diesel::table! {
    tags (plan_id, key, value) {
        plan_id -> Text,
        key -> Text,
        value -> Text,
        source -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::JsonDoc;

    calibration_proposals (id) {
        id -> BigInt,
        trigger_name -> Text,
        action -> Text,
        current_threshold -> Double,
        proposed_threshold -> Double,
        filter_tags -> JsonDoc,
        filter_key -> Text,
        evidence -> JsonDoc,
        rationale -> Text,
        decision -> Text,
        proposed_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        decision_rationale -> Nullable<Text>,
        superseded_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::JsonDoc;

    heuristic_thresholds (name, filter_key) {
        name -> Text,
        filter_key -> Text,
        filter_tags -> JsonDoc,
        threshold -> Double,
        proposal_id -> Nullable<BigInt>,
        updated_at -> BigInt,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// Diesel's own bookkeeping table, read to compare applied migrations with known ones.
    __diesel_schema_migrations (version) {
        version -> Text,
    }
}

diesel::joinable!(phases -> plans (plan_id));
diesel::joinable!(triggers -> plans (plan_id));
diesel::joinable!(verifications -> plans (plan_id));
diesel::joinable!(tags -> plans (plan_id));
diesel::joinable!(phase_transitions -> plans (plan_id));
diesel::joinable!(heuristic_thresholds -> calibration_proposals (proposal_id));
diesel::allow_tables_to_appear_in_same_query!(
    plans,
    phases,
    triggers,
    verifications,
    tags,
    phase_transitions
);
diesel::allow_tables_to_appear_in_same_query!(calibration_proposals, heuristic_thresholds);
