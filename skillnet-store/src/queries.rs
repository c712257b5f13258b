//! The store's query logic, written once and compiled for each dialect.
//!
//! Diesel types a query by its connection, and generic code over two backends drowns in trait
//! bounds, so the logic lives in one macro, [`calibration_store_impl!`], expanded by each
//! backend module with its connection type. The backend module supplies what truly differs —
//! how to open a write or read transaction and how to vacuum — as `write_txn`, `read_txn` and
//! `vacuum_now` functions; everything else is here.

/// Bind parameters per statement we allow ourselves (SQLite's limit is 32,766; PostgreSQL's
/// 65,535); multi-row inserts are cut into chunks that stay below it.
pub(crate) const MAX_BINDS: usize = 30_000;

/// Plans handled per round of multi-row statements in batch writes.
pub(crate) const PLAN_GROUP: usize = 256;

/// Plans read per page when exporting.
pub(crate) const EXPORT_PAGE: i64 = 500;

/// The routing report's query (see `CalibrationStore::routing` and `skillnet_core::routing`),
/// filtered by `filter_tags` tag pairs whose key and value are bound in that order, each bind
/// marker written as `bind_prefix` followed by its number from 1 (`?1` on SQLite, `$1` on
/// PostgreSQL; both let a numbered marker appear twice). Returns one row per routing tier of the
/// matching plans' phases, with the columns of `models::TierRow`.
///
/// How it computes, in SQL so that one row per tier is all that leaves the database:
/// 1. `logged`: the transitions of the matching plans' phases, each with its phase's tier and
///    the length of the stay it starts: the `at` of the phase's next transition (by id) minus
///    its own, `NULL` for the phase's last transition (a stay that has not ended). The filter
///    keeps or drops whole plans, so it never changes which transition is next.
/// 2. `ranked`: the ended stays in `running` and `verifying`, numbered from 1 (`pos`) in
///    ascending order of length within their (tier, status), next to their count `n`; both come
///    from one window, so one sort. Moves into `queued` (retries) ride along to be counted.
/// 3. `stays`: per tier and status, the nearest-rank percentile `p` is the smallest length whose
///    `pos` satisfies `pos * 100 >= p * n`, i.e. `pos >= ceil(p * n / 100)`: the length at rank
///    `ceil(p * n / 100)`, exactly what `skillnet_core::routing::nearest_rank` picks, in integer
///    arithmetic. Retries are the `failed -> queued` moves.
/// 4. `counts`: phases, landed and failed per tier, from the phases' current status.
///
/// The existing indexes serve it (BENCHMARKS.md): transitions are read in the order of
/// `phase_transitions (plan_id, ordinal, id)`, which is already each phase's order for `lead`,
/// and each one's phase is found through the unique `phases (plan_id, ordinal)`.
pub(crate) fn routing_sql(filter_tags: usize, bind_prefix: &str) -> String {
    use skillnet_core::routing::{MEDIAN, P90};
    let mut matches = String::from("1 = 1");
    for i in 0..filter_tags {
        let (key, value) = (2 * i + 1, 2 * i + 2);
        matches.push_str(&format!(
            "\n       AND EXISTS (SELECT 1 FROM tags tg WHERE tg.plan_id = ph.plan_id \
             AND tg.key = {bind_prefix}{key} AND tg.value = {bind_prefix}{value})"
        ));
    }
    let percentile = |status: &str, p: u32| {
        format!("min(CASE WHEN to_status = '{status}' AND pos * 100 >= {p} * n THEN seconds END)")
    };
    format!(
        "WITH logged AS (
    SELECT ph.routing_tier AS tier, t.from_status, t.to_status,
           lead(t.at) OVER (PARTITION BY t.plan_id, t.ordinal ORDER BY t.id) - t.at AS seconds
      FROM phase_transitions t
      JOIN phases ph ON ph.plan_id = t.plan_id AND ph.ordinal = t.ordinal
     WHERE {matches}
), ranked AS (
    SELECT tier, from_status, to_status, seconds,
           row_number() OVER w AS pos,
           count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
      FROM logged
     WHERE to_status = 'queued' OR (to_status IN ('running', 'verifying') AND seconds IS NOT NULL)
    WINDOW w AS (PARTITION BY tier, to_status ORDER BY seconds)
), stays AS (
    SELECT tier,
           count(CASE WHEN from_status = 'failed' AND to_status = 'queued' THEN 1 END) AS retries,
           count(CASE WHEN to_status = 'running' THEN 1 END) AS running_samples,
           {running_median} AS running_median,
           {running_p90} AS running_p90,
           count(CASE WHEN to_status = 'verifying' THEN 1 END) AS verifying_samples,
           {verifying_median} AS verifying_median,
           {verifying_p90} AS verifying_p90
      FROM ranked
     GROUP BY tier
), counts AS (
    SELECT ph.routing_tier AS tier, count(*) AS phases,
           count(CASE WHEN ph.status = 'landed' THEN 1 END) AS landed,
           count(CASE WHEN ph.status = 'failed' THEN 1 END) AS failed
      FROM phases ph
     WHERE {matches}
     GROUP BY ph.routing_tier
)
SELECT c.tier, c.phases, c.landed, c.failed,
       coalesce(s.retries, 0) AS retries,
       coalesce(s.running_samples, 0) AS running_samples, s.running_median, s.running_p90,
       coalesce(s.verifying_samples, 0) AS verifying_samples, s.verifying_median, s.verifying_p90
  FROM counts c
  LEFT JOIN stays s ON s.tier = c.tier",
        running_median = percentile("running", MEDIAN),
        running_p90 = percentile("running", P90),
        verifying_median = percentile("verifying", MEDIAN),
        verifying_p90 = percentile("verifying", P90),
    )
}

/// Expands, inside a backend module, into the `CalibrationStore` implementation for `$store`.
/// In scope there must be: `type Conn`, `MIGRATIONS`, `fn write_txn`, `fn read_txn`, `fn vacuum_now`,
/// `fn space_probe` (room to write, checked before a test write),
/// `fn sync_id_sequences` (after rows were written with explicit ids), and the
/// store must have `fn conn(&self) -> Result<PooledConn>` and a field `url`; `ROWS_PER_INSERT`
/// says how many rows go in one insert statement (see `insert_rows!`), and `BIND_PREFIX` how a
/// raw SQL statement numbers its bind parameters (see [`routing_sql`]).
macro_rules! calibration_store_impl {
    ($store:ty) => {
        mod ops {
            use std::borrow::Cow;
            use std::collections::{BTreeMap, HashMap, HashSet};

            use diesel::dsl::{count_star, exists, max, not};
            use diesel::prelude::*;
            use diesel::sql_types::Text;
            use skillnet_core::analysis::{
                build_report, AnalysisReport, BandInput, Class, Confusion, ProposalAction, ReportInput,
                ThresholdSource, TriggerInput, Verified,
            };
            use skillnet_core::catalog;
            use skillnet_core::phase_status::{derived_phase_outcomes, PhaseStatus};
            use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
            use skillnet_core::routing::tier_order;
            use skillnet_core::tag::{auto_tags, is_auto_key};
            use skillnet_core::{Outcome, PlanId, PlanRecord, RoutingStats, Tag, TagKey, TagSource, Verification};

            use super::Conn;
            use crate::error::{Result, StoreError};
            use crate::models::*;
            use crate::queries::{EXPORT_PAGE, MAX_BINDS, PLAN_GROUP};
            use crate::schema::{
                calibration_proposals, heuristic_thresholds, phase_transitions, phases, plans, tags, triggers,
                verifications,
            };
            use crate::store::*;

            /// Keeps only rows of plans carrying every tag of `$tags` (any of a plan's values for a
            /// key may match); `$plan_id` is the query's plan id column.
            macro_rules! filter_tags {
                ($query:expr, $plan_id:expr, $tags:expr) => {{
                    let mut query = $query;
                    for tag in $tags {
                        query = query.filter(exists(
                            tags::table
                                .filter(tags::plan_id.eq($plan_id))
                                .filter(tags::key.eq(tag.key.as_str().to_owned()))
                                .filter(tags::value.eq(tag.value.clone())),
                        ));
                    }
                    query
                }};
            }

            /// Inserts `$rows`, `ROWS_PER_INSERT` (a constant of the backend module) at a time.
            /// SQLite runs in-process, so one row per statement is fastest: the SQL is the same
            /// every time, Diesel prepares it once per connection and then only binds and steps
            /// it. PostgreSQL pays a round trip per statement, so there many rows go in each.
            macro_rules! insert_rows {
                ($conn:expr, $table:expr, $rows:expr) => {{
                    if super::ROWS_PER_INSERT == 1 {
                        for row in $rows.iter() {
                            diesel::insert_into($table).values(row).execute($conn)?;
                        }
                    } else {
                        for chunk in $rows.chunks(super::ROWS_PER_INSERT) {
                            diesel::insert_into($table).values(chunk).execute($conn)?;
                        }
                    }
                }};
            }

            /// Refuses to add (`removing` false) or remove a tag under an auto key.
            fn refuse_auto_key(key: &str, removing: bool) -> Result<()> {
                if is_auto_key(key) {
                    let refusal = if removing {
                        format!("cannot remove derived auto-tag key `{key}`: skillnet maintains it")
                    } else {
                        format!("tag key `{key}` is maintained by skillnet")
                    };
                    return Err(StoreError::InvalidInput(format!(
                        "{refusal} (auto tags: flavor, worktype, scope, risk, signal, outcome)"
                    )));
                }
                Ok(())
            }

            fn existing_plans(conn: &mut Conn, ids: &[&str]) -> Result<HashSet<String>> {
                let mut found = HashSet::with_capacity(ids.len());
                for chunk in ids.chunks(MAX_BINDS) {
                    found.extend(plans::table.filter(plans::id.eq_any(chunk)).select(plans::id).load::<String>(conn)?);
                }
                Ok(found)
            }

            fn require_plan(conn: &mut Conn, id: &PlanId) -> Result<()> {
                let found: bool = diesel::select(exists(plans::table.find(id.as_str()))).get_result(conn)?;
                if found {
                    Ok(())
                } else {
                    Err(StoreError::unknown_plan(id))
                }
            }

            /// Newest verification outcome of each plan among `ids` that has one.
            fn newest_outcomes(conn: &mut Conn, ids: &[&str]) -> Result<HashMap<String, Outcome>> {
                Ok(verification_summaries(conn, ids)?.into_iter().map(|(id, (_, outcome))| (id, outcome)).collect())
            }

            /// For each plan among `ids` that has verifications: how many, and the newest one's
            /// outcome (one grouping pass, then a lookup by primary key).
            fn verification_summaries(conn: &mut Conn, ids: &[&str]) -> Result<HashMap<String, (i64, Outcome)>> {
                let mut out = HashMap::new();
                for chunk in ids.chunks(MAX_BINDS) {
                    let groups: Vec<(String, i64, Option<i64>)> = verifications::table
                        .filter(verifications::plan_id.eq_any(chunk))
                        .group_by(verifications::plan_id)
                        .select((verifications::plan_id, count_star(), max(verifications::id)))
                        .load(conn)?;
                    let newest: Vec<i64> = groups.iter().filter_map(|(_, _, id)| *id).collect();
                    let counts: HashMap<String, i64> = groups.into_iter().map(|(id, n, _)| (id, n)).collect();
                    let rows: Vec<(String, String)> = verifications::table
                        .filter(verifications::id.eq_any(&newest))
                        .select((verifications::plan_id, verifications::outcome))
                        .load(conn)?;
                    for (plan_id, outcome) in rows {
                        let n = counts.get(&plan_id).copied().unwrap_or(0);
                        out.insert(plan_id, (n, parse_stored(&outcome)?));
                    }
                }
                Ok(out)
            }

            /// Keeps the last entry for each plan id, in input order.
            fn last_per_plan(records: &[PlanRecord]) -> Vec<&PlanRecord> {
                let last: HashMap<&str, usize> =
                    records.iter().enumerate().map(|(i, r)| (r.plan.id.as_str(), i)).collect();
                records.iter().enumerate().filter(|(i, r)| last[r.plan.id.as_str()] == *i).map(|(_, r)| r).collect()
            }

            /// Inserts the tags among `rows` that the plans do not carry yet (a plan's tags are a
            /// set; the first source to set a tag keeps it). Only plans in `tagged` can have
            /// tags already.
            fn insert_missing_tags(conn: &mut Conn, mut rows: Vec<NewTag<'_>>, tagged: &[&str]) -> Result<()> {
                let mut present: HashSet<(String, String, String)> = HashSet::new();
                for chunk in tagged.chunks(MAX_BINDS) {
                    present.extend(
                        tags::table
                            .filter(tags::plan_id.eq_any(chunk))
                            .select((tags::plan_id, tags::key, tags::value))
                            .load::<(String, String, String)>(conn)?,
                    );
                }
                rows.retain(|r| present.insert((r.plan_id.to_owned(), r.key.clone(), r.value.clone())));
                insert_rows!(conn, tags::table, rows);
                Ok(())
            }

            /// Tracked status and attempt of every phase of the plans `ids`, by (plan, ordinal).
            type PhaseStates = HashMap<(String, i64), (PhaseStatus, i64)>;

            fn phase_states(conn: &mut Conn, ids: &[&str]) -> Result<PhaseStates> {
                let mut states = HashMap::new();
                for chunk in ids.chunks(MAX_BINDS) {
                    let rows: Vec<(String, i64, String, i64)> = phases::table
                        .filter(phases::plan_id.eq_any(chunk))
                        .select((phases::plan_id, phases::ordinal, phases::status, phases::attempt))
                        .load(conn)?;
                    for (plan_id, ordinal, status, attempt) in rows {
                        states.insert((plan_id, ordinal), (parse_stored(&status)?, attempt));
                    }
                }
                Ok(states)
            }

            /// Classifies every trigger row of the plans `ids` under the plan's newest verification
            /// (the rules of `skillnet_core::analysis`), updating the rows whose class changed.
            /// Rows of unverified plans keep no class.
            pub(super) fn classify_plans(conn: &mut Conn, ids: &[&str]) -> Result<()> {
                for chunk in ids.chunks(MAX_BINDS) {
                    let newest: Vec<i64> = verifications::table
                        .filter(verifications::plan_id.eq_any(chunk))
                        .group_by(verifications::plan_id)
                        .select(max(verifications::id))
                        .load::<Option<i64>>(conn)?
                        .into_iter()
                        .flatten()
                        .collect();
                    if newest.is_empty() {
                        continue;
                    }
                    let mut verified = HashMap::with_capacity(newest.len());
                    for row in verifications::table
                        .filter(verifications::id.eq_any(&newest))
                        .select(VerificationRow::as_select())
                        .load(conn)?
                    {
                        let plan_id = row.plan_id.clone();
                        verified.insert(plan_id, Verified::new(&row.into_verification()?));
                    }
                    let plan_ids: Vec<&str> = verified.keys().map(String::as_str).collect();
                    let rows: Vec<(i64, String, String, bool, Option<String>, Option<String>)> = triggers::table
                        .filter(triggers::plan_id.eq_any(&plan_ids))
                        .select((
                            triggers::id,
                            triggers::plan_id,
                            triggers::name,
                            triggers::fired,
                            triggers::section_added,
                            triggers::class,
                        ))
                        .load(conn)?;
                    let mut changed: BTreeMap<Class, Vec<i64>> = BTreeMap::new();
                    for (id, plan_id, name, fired, section_added, stored) in rows {
                        let class = verified[&plan_id].classify(&name, fired, section_added.as_deref());
                        if stored.as_deref() != Some(class.as_str()) {
                            changed.entry(class).or_default().push(id);
                        }
                    }
                    for (class, ids) in changed {
                        for ids in ids.chunks(MAX_BINDS) {
                            diesel::update(triggers::table.filter(triggers::id.eq_any(ids)))
                                .set(triggers::class.eq(class.as_str()))
                                .execute(conn)?;
                        }
                    }
                }
                Ok(())
            }

            /// Calls `each` with every plan id in id order, a page of `EXPORT_PAGE` ids at a time.
            fn for_each_page_of_plans(
                conn: &mut Conn,
                mut each: impl FnMut(&mut Conn, Vec<String>) -> Result<()>,
            ) -> Result<()> {
                let mut after = String::new();
                loop {
                    let ids: Vec<String> = plans::table
                        .filter(plans::id.gt(&after))
                        .order(plans::id)
                        .limit(EXPORT_PAGE)
                        .select(plans::id)
                        .load(conn)?;
                    let Some(last) = ids.last() else { return Ok(()) };
                    after = last.clone();
                    each(conn, ids)?;
                }
            }

            /// Applies the backend's pending migrations on `conn`, inside the caller's lock and
            /// transaction, then what a migration leaves to Rust (classifying the trigger rows
            /// once `triggers.class` exists). Returns the versions applied.
            pub(super) fn apply_pending_migrations(conn: &mut Conn) -> Result<Vec<String>> {
                use diesel_migrations::MigrationHarness;
                let applied: Vec<String> = conn
                    .run_pending_migrations(super::MIGRATIONS)
                    .map_err(crate::migrations::failed)?
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if applied.iter().any(|v| v == crate::migrations::TRIGGER_CLASSES) {
                    classify_all(conn)?;
                }
                if applied.iter().any(|v| v == crate::migrations::SHAPE_SIGNATURES) {
                    sign_all(conn)?;
                }
                Ok(applied)
            }

            /// Writes the shape signature of every plan (after the migration that added it).
            fn sign_all(conn: &mut Conn) -> Result<()> {
                use skillnet_core::plan_dir::shape_hash::shape_signature;
                for_each_page_of_plans(conn, |conn, ids| {
                    let rows: Vec<(String, i64, i64, i64, crate::json::Json<BTreeMap<String, i64>>)> = plans::table
                        .filter(plans::id.eq_any(&ids))
                        .select((plans::id, plans::phase_count, plans::max_chain_depth, plans::repo_spread, plans::routing_dist))
                        .load(conn)?;
                    for (id, phase_count, depth, spread, dist) in rows {
                        let signature = shape_signature(phase_count, depth, spread, &dist.0);
                        diesel::update(plans::table.find(id)).set(plans::shape_signature.eq(signature)).execute(conn)?;
                    }
                    Ok(())
                })
            }

            /// What the history says about a plan of this shape signature and these phase slugs.
            pub(super) fn shape_history(
                conn: &mut Conn,
                signature: &str,
                slugs: &[String],
            ) -> Result<skillnet_core::plan_dir::meta::HistoryFacts> {
                let shape_seen = diesel::select(exists(plans::table.filter(plans::shape_signature.eq(signature))))
                    .get_result(conn)?;
                let mut slug_tiers: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
                for chunk in slugs.chunks(MAX_BINDS) {
                    let rows: Vec<(String, String, i64)> = phases::table
                        .filter(phases::slug.eq_any(chunk))
                        .group_by((phases::slug, phases::routing_tier))
                        .select((phases::slug, phases::routing_tier, count_star()))
                        .load(conn)?;
                    for (slug, tier, n) in rows {
                        slug_tiers.entry(slug).or_default().insert(tier, n);
                    }
                }
                Ok(skillnet_core::plan_dir::meta::HistoryFacts { shape_seen, slug_tiers })
            }

            /// Classifies the trigger rows of every plan (after the migration that added classes).
            fn classify_all(conn: &mut Conn) -> Result<()> {
                for_each_page_of_plans(conn, |conn, ids| {
                    classify_plans(conn, &ids.iter().map(String::as_str).collect::<Vec<_>>())
                })
            }

            fn insert_children(
                conn: &mut Conn,
                group: &[&PlanRecord],
                outcomes: &HashMap<String, Outcome>,
                tagged: &[&str],
                states: &PhaseStates,
            ) -> Result<()> {
                let phase_rows: Vec<NewPhase<'_>> = group
                    .iter()
                    .flat_map(|r| {
                        let id = r.plan.id.as_str();
                        r.phases.iter().map(move |p| NewPhase::new(id, p, states.get(&(id.to_owned(), p.ordinal)).copied()))
                    })
                    .collect();
                insert_rows!(conn, phases::table, phase_rows);
                let trigger_rows: Vec<NewTrigger<'_>> = group
                    .iter()
                    .flat_map(|r| r.triggers.iter().map(|t| NewTrigger::new(&r.plan, t)))
                    .collect();
                insert_rows!(conn, triggers::table, trigger_rows);
                let mut tag_rows = Vec::new();
                for r in group {
                    let id = r.plan.id.as_str();
                    let outcome = outcomes.get(id).copied();
                    for (key, value) in auto_tags(&r.plan, &r.phases, outcome) {
                        tag_rows.push(NewTag::new(id, key, value, TagSource::Auto));
                    }
                    // Auto keys are derived above; a sidecar value under one would contradict them.
                    tag_rows.extend(
                        r.tags
                            .iter()
                            .filter(|t| !is_auto_key(t.key.as_str()))
                            .map(|t| NewTag::from_tag(id, t, TagSource::Sidecar)),
                    );
                }
                insert_missing_tags(conn, tag_rows, tagged)
            }

            pub(super) fn record_plans(
                conn: &mut Conn,
                records: &[PlanRecord],
                recorded_at: i64,
                progress: Progress<'_>,
            ) -> Result<RecordSummary> {
                let mut summary = RecordSummary::default();
                let unique = last_per_plan(records);
                for group in unique.chunks(PLAN_GROUP) {
                    let ids: Vec<&str> = group.iter().map(|r| r.plan.id.as_str()).collect();
                    let existing = existing_plans(conn, &ids)?;
                    let (old, new): (Vec<&PlanRecord>, Vec<&PlanRecord>) =
                        group.iter().partition(|r| existing.contains(r.plan.id.as_str()));
                    let mut outcomes = HashMap::new();
                    let mut states = HashMap::new();
                    let old_ids: Vec<&str> = old.iter().map(|r| r.plan.id.as_str()).collect();
                    if !old.is_empty() {
                        // A re-recorded plan's phases keep their progress, matched by ordinal.
                        states = phase_states(conn, &old_ids)?;
                        diesel::delete(phases::table.filter(phases::plan_id.eq_any(&old_ids))).execute(conn)?;
                        diesel::delete(triggers::table.filter(triggers::plan_id.eq_any(&old_ids))).execute(conn)?;
                        diesel::delete(
                            tags::table
                                .filter(tags::plan_id.eq_any(&old_ids))
                                .filter(tags::source.ne(TagSource::User.as_str())),
                        )
                        .execute(conn)?;
                        outcomes = newest_outcomes(conn, &old_ids)?;
                        for r in &old {
                            diesel::update(plans::table.find(r.plan.id.as_str()))
                                .set(NewPlan::new(&r.plan, recorded_at))
                                .execute(conn)?;
                        }
                    }
                    let plan_rows: Vec<NewPlan<'_>> = new.iter().map(|r| NewPlan::new(&r.plan, recorded_at)).collect();
                    insert_rows!(conn, plans::table, plan_rows);
                    insert_children(conn, group, &outcomes, &old_ids, &states)?;
                    classify_plans(conn, &old_ids)?;
                    summary.new += new.len();
                    summary.updated += old.len();
                    progress(group.len());
                }
                Ok(summary)
            }

            pub(super) fn verify_plans(
                conn: &mut Conn,
                items: &[(PlanId, Verification)],
                progress: Progress<'_>,
            ) -> Result<usize> {
                for group in items.chunks(PLAN_GROUP) {
                    let ids: Vec<&str> = group.iter().map(|(id, _)| id.as_str()).collect();
                    let existing = existing_plans(conn, &ids)?;
                    if let Some(missing) = ids.iter().find(|id| !existing.contains(**id)) {
                        return Err(StoreError::NotFound(format!(
                            "{} (record it before verifying it)",
                            StoreError::unknown_plan(missing)
                        )));
                    }
                    // A verification without phase outcomes takes them from a tracked plan's
                    // final phase statuses; outcomes given in the sidecar win.
                    let untold: Vec<&str> = group
                        .iter()
                        .filter(|(_, v)| v.phase_outcomes.is_empty())
                        .map(|(id, _)| id.as_str())
                        .collect();
                    let mut statuses: HashMap<String, Vec<(String, PhaseStatus)>> = HashMap::new();
                    for chunk in untold.chunks(MAX_BINDS) {
                        let rows: Vec<(String, String, String)> = phases::table
                            .filter(phases::plan_id.eq_any(chunk))
                            .order((phases::plan_id, phases::ordinal))
                            .select((phases::plan_id, phases::slug, phases::status))
                            .load(conn)?;
                        for (plan_id, slug, status) in rows {
                            statuses.entry(plan_id).or_default().push((slug, parse_stored(&status)?));
                        }
                    }
                    // Only verifications whose outcomes are derived are copied.
                    let completed: Vec<Cow<'_, Verification>> = group
                        .iter()
                        .map(|(id, v)| {
                            if !v.phase_outcomes.is_empty() {
                                return Cow::Borrowed(v);
                            }
                            let phases = statuses.get(id.as_str()).map(Vec::as_slice).unwrap_or_default();
                            let mut v = v.clone();
                            v.phase_outcomes =
                                derived_phase_outcomes(phases.iter().map(|(slug, s)| (slug.as_str(), *s)));
                            Cow::Owned(v)
                        })
                        .collect();
                    let rows: Vec<NewVerification<'_>> = group
                        .iter()
                        .zip(&completed)
                        .map(|((id, _), v)| NewVerification::new(id.as_str(), v))
                        .collect();
                    insert_rows!(conn, verifications::table, rows);
                    diesel::delete(
                        tags::table
                            .filter(tags::plan_id.eq_any(&ids))
                            .filter(tags::key.eq("outcome"))
                            .filter(tags::source.eq(TagSource::Auto.as_str())),
                    )
                    .execute(conn)?;
                    let newest: BTreeMap<&str, Outcome> =
                        group.iter().map(|(id, v)| (id.as_str(), v.outcome)).collect();
                    let tag_rows: Vec<NewTag<'_>> = newest
                        .iter()
                        .map(|(id, o)| NewTag::new(id, "outcome", o.as_str(), TagSource::Auto))
                        .collect();
                    insert_missing_tags(conn, tag_rows, &ids)?;
                    classify_plans(conn, &ids)?;
                    progress(group.len());
                }
                Ok(items.len())
            }

            /// Full details of the plans with `ids`, in the order of `ids`.
            fn details(conn: &mut Conn, ids: &[String]) -> Result<Vec<PlanDetails>> {
                let plan_rows: Vec<PlanRow> =
                    plans::table.filter(plans::id.eq_any(ids)).select(PlanRow::as_select()).load(conn)?;
                let mut phase_rows: HashMap<String, (Vec<_>, Vec<_>)> = HashMap::new();
                for row in phases::table
                    .filter(phases::plan_id.eq_any(ids))
                    .order((phases::plan_id, phases::ordinal))
                    .select(PhaseRow::as_select())
                    .load(conn)?
                {
                    let entry = phase_rows.entry(row.plan_id.clone()).or_default();
                    let (phase, state) = row.into_phase()?;
                    entry.0.push(phase);
                    entry.1.push(state);
                }
                let mut transition_rows: HashMap<String, Vec<_>> = HashMap::new();
                for row in phase_transitions::table
                    .filter(phase_transitions::plan_id.eq_any(ids))
                    .order(phase_transitions::id)
                    .select(PhaseTransitionRow::as_select())
                    .load(conn)?
                {
                    let plan_id = row.plan_id.clone();
                    transition_rows.entry(plan_id).or_default().push(row.into_record()?);
                }
                let mut trigger_rows: HashMap<String, Vec<_>> = HashMap::new();
                for row in triggers::table
                    .filter(triggers::plan_id.eq_any(ids))
                    .order(triggers::id)
                    .select(TriggerRow::as_select())
                    .load(conn)?
                {
                    trigger_rows.entry(row.plan_id.clone()).or_default().push(row.into_trigger());
                }
                let mut tag_rows: HashMap<String, Vec<_>> = HashMap::new();
                for row in tags::table
                    .filter(tags::plan_id.eq_any(ids))
                    .order((tags::plan_id, tags::key, tags::value))
                    .select(TagRow::as_select())
                    .load(conn)?
                {
                    let tag = StoredTag {
                        key: parse_stored(&row.key)?,
                        value: row.value,
                        source: parse_stored(&row.source)?,
                    };
                    tag_rows.entry(row.plan_id).or_default().push(tag);
                }
                let mut verification_rows: HashMap<String, Vec<_>> = HashMap::new();
                for row in verifications::table
                    .filter(verifications::plan_id.eq_any(ids))
                    .order(verifications::id)
                    .select(VerificationRow::as_select())
                    .load(conn)?
                {
                    let plan_id = row.plan_id.clone();
                    verification_rows.entry(plan_id).or_default().push(row.into_verification()?);
                }
                let mut by_id: HashMap<String, PlanRow> = plan_rows.into_iter().map(|r| (r.id.clone(), r)).collect();
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    let Some(row) = by_id.remove(id) else { continue };
                    let (plan, recorded_at) = row.into_plan()?;
                    let (phases, phase_status) = phase_rows.remove(id).unwrap_or_default();
                    out.push(PlanDetails {
                        plan,
                        recorded_at,
                        phases,
                        phase_status,
                        transitions: transition_rows.remove(id).unwrap_or_default(),
                        triggers: trigger_rows.remove(id).unwrap_or_default(),
                        tags: tag_rows.remove(id).unwrap_or_default(),
                        verifications: verification_rows.remove(id).unwrap_or_default(),
                    });
                }
                Ok(out)
            }

            pub(super) fn plan(conn: &mut Conn, id: &PlanId) -> Result<PlanDetails> {
                details(conn, &[id.as_str().to_owned()])?
                    .pop()
                    .ok_or_else(|| StoreError::unknown_plan(id))
            }

            pub(super) fn move_phase(
                conn: &mut Conn,
                id: &PlanId,
                phase: &PhaseRef,
                to: PhaseStatus,
                at: i64,
                note: Option<&str>,
            ) -> Result<PhaseMove> {
                let of_plan = phases::table.filter(phases::plan_id.eq(id.as_str()));
                let columns = (phases::ordinal, phases::slug, phases::status, phases::attempt);
                let found: Vec<(i64, String, String, i64)> = match phase {
                    PhaseRef::Ordinal(n) => of_plan.filter(phases::ordinal.eq(*n)).select(columns).load(conn)?,
                    PhaseRef::Slug(slug) => {
                        of_plan.filter(phases::slug.eq(slug)).order(phases::ordinal).select(columns).load(conn)?
                    }
                };
                let (ordinal, slug, status, attempt) = match found.len() {
                    1 => found.into_iter().next().expect("one row"),
                    0 => {
                        require_plan(conn, id)?;
                        return Err(StoreError::NotFound(format!("phase `{phase}` of plan `{id}` not found")));
                    }
                    n => {
                        return Err(StoreError::InvalidInput(format!(
                            "{n} phases of plan `{id}` have the slug `{phase}`; name the phase by its ordinal"
                        )))
                    }
                };
                let from: PhaseStatus = parse_stored(&status)?;
                let step = from.transition(to)?;
                let attempt = if step.starts_attempt { attempt + 1 } else { attempt };
                // Compare-and-set: only if nobody moved the phase since we read it.
                let changed = diesel::update(
                    phases::table
                        .filter(phases::plan_id.eq(id.as_str()))
                        .filter(phases::ordinal.eq(ordinal))
                        .filter(phases::status.eq(from.as_str())),
                )
                .set((phases::status.eq(to.as_str()), phases::attempt.eq(attempt)))
                .execute(conn)?;
                if changed == 0 {
                    return Err(StoreError::Conflict(format!(
                        "phase `{slug}` of plan `{id}` was moved by another writer meanwhile; look at its status and try again"
                    )));
                }
                let record = PhaseTransitionRecord { ordinal, from, to, at, attempt, note: note.map(str::to_owned) };
                diesel::insert_into(phase_transitions::table)
                    .values(NewPhaseTransition::from_record(id.as_str(), &record))
                    .execute(conn)?;
                Ok(PhaseMove { ordinal, slug, from, to, attempt })
            }

            pub(super) fn query_plans(conn: &mut Conn, q: &PlanQuery) -> Result<Vec<PlanSummary>> {
                let mut query = filter_tags!(plans::table.into_boxed(), plans::id, &q.tags);
                if let Some(trigger) = &q.trigger {
                    let named = triggers::table
                        .filter(triggers::plan_id.eq(plans::id))
                        .filter(triggers::name.eq(trigger.clone()));
                    query = match q.fired {
                        None => query.filter(exists(named)),
                        Some(fired) => query.filter(exists(named.filter(triggers::fired.eq(fired)))),
                    };
                } else if q.fired.is_some() {
                    return Err(StoreError::InvalidInput("filtering on fired or missed needs a trigger".into()));
                }
                let verified = exists(verifications::table.filter(verifications::plan_id.eq(plans::id)));
                query = match q.verified {
                    Some(true) => query.filter(verified),
                    Some(false) => query.filter(not(verified)),
                    None => query,
                };
                if let Some(limit) = q.limit {
                    if limit < 0 {
                        return Err(StoreError::InvalidInput(format!("a limit of {limit} plans is negative")));
                    }
                    query = query.limit(limit);
                }
                let rows: Vec<PlanRow> = query
                    .order((plans::created_at.desc(), plans::id.asc()))
                    .select(PlanRow::as_select())
                    .load(conn)?;
                let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
                let summaries = verification_summaries(conn, &ids)?;
                rows.into_iter()
                    .map(|row| {
                        let (verifications, outcome) =
                            summaries.get(&row.id).map_or((0, None), |(n, o)| (*n, Some(*o)));
                        let (plan, _) = row.into_plan()?;
                        Ok(PlanSummary {
                            id: plan.id,
                            name: plan.name,
                            flavor: plan.flavor,
                            worktype: plan.worktype,
                            created_at: plan.created_at,
                            phase_count: plan.phase_count,
                            verifications,
                            outcome,
                        })
                    })
                    .collect()
            }

            pub(super) fn routing(conn: &mut Conn, filter: &[Tag]) -> Result<RoutingStats> {
                let sql = crate::queries::routing_sql(filter.len(), super::BIND_PREFIX);
                let mut query = diesel::sql_query(sql).into_boxed::<<Conn as Connection>::Backend>();
                for tag in filter {
                    query = query.bind::<Text, _>(tag.key.as_str()).bind::<Text, _>(tag.value.as_str());
                }
                let mut tiers =
                    query.load::<TierRow>(conn)?.into_iter().map(TierRow::into_stats).collect::<Result<Vec<_>>>()?;
                tiers.sort_by(|a, b| tier_order(&a.routing_tier, &b.routing_tier));
                Ok(RoutingStats { filter_tags: filter.to_vec(), tiers })
            }

            pub(super) fn add_tags(conn: &mut Conn, id: &PlanId, new_tags: &[Tag]) -> Result<usize> {
                require_plan(conn, id)?;
                let mut added = 0;
                for tag in new_tags {
                    refuse_auto_key(tag.key.as_str(), false)?;
                    let row = NewTag::from_tag(id.as_str(), tag, TagSource::User);
                    let existed: bool = diesel::select(exists(tags::table.find((
                        id.as_str(),
                        tag.key.as_str(),
                        tag.value.as_str(),
                    ))))
                    .get_result(conn)?;
                    diesel::insert_into(tags::table)
                        .values(&row)
                        .on_conflict((tags::plan_id, tags::key, tags::value))
                        .do_update()
                        .set(tags::source.eq(TagSource::User.as_str()))
                        .execute(conn)?;
                    added += usize::from(!existed);
                }
                Ok(added)
            }

            pub(super) fn remove_tags(conn: &mut Conn, id: &PlanId, key: &TagKey, value: Option<&str>) -> Result<usize> {
                refuse_auto_key(key.as_str(), true)?;
                require_plan(conn, id)?;
                let matching = tags::table.filter(tags::plan_id.eq(id.as_str())).filter(tags::key.eq(key.as_str()));
                let removed = match value {
                    Some(value) => diesel::delete(matching.filter(tags::value.eq(value))).execute(conn)?,
                    None => diesel::delete(matching).execute(conn)?,
                };
                if removed == 0 {
                    let tag = value.map_or_else(|| key.to_string(), |v| format!("{key}={v}"));
                    return Err(StoreError::NotFound(format!("tag `{tag}` on plan `{id}` not found")));
                }
                Ok(removed)
            }

            pub(super) fn export(conn: &mut Conn, sink: &mut dyn FnMut(HistoryItem) -> Result<()>) -> Result<()> {
                for_each_page_of_plans(conn, |conn, ids| {
                    for d in details(conn, &ids)? {
                        sink(HistoryItem::Plan(Box::new(d)))?;
                    }
                    Ok(())
                })?;
                for p in proposals(conn, None)? {
                    sink(HistoryItem::Proposal(Box::new(p)))?;
                }
                Ok(())
            }

            pub(super) fn import(conn: &mut Conn, items: &[HistoryItem], progress: Progress<'_>) -> Result<usize> {
                let mut plans_all = Vec::new();
                let mut proposals_in = Vec::new();
                for item in items {
                    match item {
                        HistoryItem::Plan(d) => plans_all.push(d.as_ref()),
                        HistoryItem::Proposal(p) => proposals_in.push(p.as_ref()),
                    }
                }
                for plans_in in plans_all.chunks(PLAN_GROUP) {
                    let group = plans_in;
                    let ids: Vec<&str> = plans_in.iter().map(|d| d.plan.id.as_str()).collect();
                    diesel::delete(plans::table.filter(plans::id.eq_any(&ids))).execute(conn)?;
                    let plan_rows: Vec<NewPlan<'_>> = plans_in.iter().map(|d| NewPlan::new(&d.plan, d.recorded_at)).collect();
                    insert_rows!(conn, plans::table, plan_rows);
                    let phase_rows: Vec<NewPhase<'_>> = plans_in
                        .iter()
                        .flat_map(|d| {
                            d.phases.iter().map(move |p| {
                                let state = d.phase_status.iter().find(|s| s.ordinal == p.ordinal);
                                NewPhase::new(d.plan.id.as_str(), p, state.map(|s| (s.status, s.attempt)))
                            })
                        })
                        .collect();
                    insert_rows!(conn, phases::table, phase_rows);
                    let trigger_rows: Vec<NewTrigger<'_>> = plans_in
                        .iter()
                        .flat_map(|d| d.triggers.iter().map(|t| NewTrigger::new(&d.plan, t)))
                        .collect();
                    insert_rows!(conn, triggers::table, trigger_rows);
                    let tag_rows: Vec<NewTag<'_>> = plans_in
                        .iter()
                        .flat_map(|d| {
                            d.tags.iter().map(|t| NewTag::new(d.plan.id.as_str(), t.key.as_str(), t.value.as_str(), t.source))
                        })
                        .collect();
                    insert_rows!(conn, tags::table, tag_rows);
                    let verification_rows: Vec<NewVerification<'_>> = plans_in
                        .iter()
                        .flat_map(|d| d.verifications.iter().map(|v| NewVerification::new(d.plan.id.as_str(), v)))
                        .collect();
                    insert_rows!(conn, verifications::table, verification_rows);
                    let transition_rows: Vec<NewPhaseTransition<'_>> = plans_in
                        .iter()
                        .flat_map(|d| d.transitions.iter().map(|t| NewPhaseTransition::from_record(d.plan.id.as_str(), t)))
                        .collect();
                    insert_rows!(conn, phase_transitions::table, transition_rows);
                    classify_plans(conn, &ids)?;
                    progress(group.len());
                }
                import_proposals(conn, &proposals_in)?;
                progress(proposals_in.len());
                Ok(items.len())
            }

            /// Writes proposals with their ids, replacing proposals with the same ids, and the
            /// thresholds of the accepted ones.
            fn import_proposals(conn: &mut Conn, list: &[&Proposal]) -> Result<()> {
                let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
                for chunk in ids.chunks(MAX_BINDS) {
                    diesel::delete(heuristic_thresholds::table.filter(heuristic_thresholds::proposal_id.eq_any(chunk)))
                        .execute(conn)?;
                    diesel::delete(calibration_proposals::table.filter(calibration_proposals::id.eq_any(chunk)))
                        .execute(conn)?;
                }
                let rows: Vec<NewProposal<'_>> = list.iter().map(|p| NewProposal::new(p, true)).collect();
                insert_rows!(conn, calibration_proposals::table, rows);
                for p in list.iter().filter(|p| p.state == ProposalState::Accepted) {
                    set_threshold(conn, NewThreshold::accepted(p, p.decided_at.unwrap_or(p.proposed_at)))?;
                }
                super::sync_id_sequences(conn)
            }

            pub(super) fn counts(conn: &mut Conn) -> Result<TableCounts> {
                Ok(TableCounts {
                    plans: plans::table.count().get_result(conn)?,
                    phases: phases::table.count().get_result(conn)?,
                    triggers: triggers::table.count().get_result(conn)?,
                    verifications: verifications::table.count().get_result(conn)?,
                    tags: tags::table.count().get_result(conn)?,
                    phase_transitions: phase_transitions::table.count().get_result(conn)?,
                    proposals: calibration_proposals::table.count().get_result(conn)?,
                    thresholds: heuristic_thresholds::table.count().get_result(conn)?,
                })
            }

            pub(super) fn thresholds(conn: &mut Conn) -> Result<Vec<ActiveThreshold>> {
                let mut list: Vec<ActiveThreshold> = heuristic_thresholds::table
                    .order((heuristic_thresholds::trigger, heuristic_thresholds::filter_key))
                    .select(ThresholdRow::as_select())
                    .load(conn)?
                    .into_iter()
                    .map(ThresholdRow::into_threshold)
                    .collect();
                // Each trigger's overall threshold before those under filter tags.
                list.sort_by(|a, b| {
                    (&a.trigger, !a.filter_tags.is_empty()).cmp(&(&b.trigger, !b.filter_tags.is_empty()))
                });
                Ok(list)
            }

            fn set_threshold(conn: &mut Conn, row: NewThreshold<'_>) -> Result<()> {
                diesel::insert_into(heuristic_thresholds::table)
                    .values(&row)
                    .on_conflict((heuristic_thresholds::trigger, heuristic_thresholds::filter_key))
                    .do_update()
                    .set(&row)
                    .execute(conn)?;
                Ok(())
            }

            /// The threshold in force for `trigger` under `filter_tags`, and where it came from: a
            /// proposal accepted for exactly these filter tags, else one accepted without filter
            /// tags, else the catalog default, else (custom trigger) the threshold recorded with
            /// the newest analysed plan.
            fn current_threshold(
                conn: &mut Conn,
                overrides: &HashMap<(String, String), ActiveThreshold>,
                trigger: &str,
                filter: &str,
            ) -> Result<Option<(f64, Option<ThresholdSource>)>> {
                let set = overrides
                    .get(&(trigger.to_owned(), filter.to_owned()))
                    .or_else(|| overrides.get(&(trigger.to_owned(), filter_key(&[]))));
                if let Some(t) = set {
                    return Ok(Some((t.threshold, Some(ThresholdSource::accepted_proposal(t.proposal_id, t.updated_at)))));
                }
                if let Some(h) = catalog::heuristic(trigger) {
                    return Ok(Some((h.default_threshold, Some(ThresholdSource::Default))));
                }
                let observed: Option<f64> = triggers::table
                    .inner_join(plans::table)
                    .filter(triggers::name.eq(trigger))
                    .filter(triggers::class.is_not_null())
                    .order((plans::created_at.desc(), plans::id.desc()))
                    .select(triggers::threshold)
                    .first(conn)
                    .optional()?;
                Ok(observed.map(|t| (t, None)))
            }

            pub(super) fn analyze(conn: &mut Conn, q: &AnalysisQuery) -> Result<AnalysisReport> {
                let mut query = triggers::table
                    .filter(triggers::class.is_not_null())
                    .group_by((triggers::name, triggers::class, triggers::plan_flavor, triggers::plan_worktype))
                    .select((
                        triggers::name,
                        triggers::class,
                        triggers::plan_flavor,
                        triggers::plan_worktype,
                        count_star(),
                    ))
                    .into_boxed();
                if let Some(trigger) = &q.trigger {
                    query = query.filter(triggers::name.eq(trigger.clone()));
                }
                query = filter_tags!(query, triggers::plan_id, &q.filter_tags);
                let rows: Vec<(String, Option<String>, String, Option<String>, i64)> = query.load(conn)?;

                let mut global: BTreeMap<String, Confusion> = BTreeMap::new();
                let mut bands: BTreeMap<(String, &'static str, String), Confusion> = BTreeMap::new();
                for (trigger, class, flavor, worktype, n) in rows {
                    let class: Class = parse_stored(class.as_deref().unwrap_or_default())?;
                    let n = u64::try_from(n).unwrap_or_default();
                    global.entry(trigger.clone()).or_default().add_count(class, n);
                    bands.entry((trigger.clone(), "flavor", flavor)).or_default().add_count(class, n);
                    if let Some(worktype) = worktype {
                        bands.entry((trigger, "worktype", worktype)).or_default().add_count(class, n);
                    }
                }

                let overrides: HashMap<(String, String), ActiveThreshold> = thresholds(conn)?
                    .into_iter()
                    .map(|t| ((t.trigger.clone(), filter_key(&t.filter_tags)), t))
                    .collect();
                let filter = filter_key(&q.filter_tags);
                let mut triggers_in = Vec::with_capacity(global.len());
                for (trigger, confusion) in global {
                    let (current_threshold, threshold_source) =
                        current_threshold(conn, &overrides, &trigger, &filter)?.unwrap_or((0.0, None));
                    triggers_in.push(TriggerInput { trigger, confusion, current_threshold, threshold_source });
                }
                let input = ReportInput {
                    analyzed_at: q.analyzed_at,
                    min_n: q.min_n,
                    filter_tags: q.filter_tags.clone(),
                    triggers: triggers_in,
                    bands: if q.filter_tags.is_empty() {
                        bands
                            .into_iter()
                            .map(|((trigger, tag_key, tag_value), confusion)| BandInput {
                                trigger,
                                tag_key: tag_key.to_owned(),
                                tag_value,
                                confusion,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                };
                build_report(input, |trigger, class| supporting_plan_ids(conn, trigger, class, &q.filter_tags))
            }

            /// The plans where `trigger` was of `class`, in plan creation order.
            fn supporting_plan_ids(conn: &mut Conn, trigger: &str, class: Class, filter: &[Tag]) -> Result<Vec<String>> {
                let query = triggers::table
                    .inner_join(plans::table)
                    .filter(triggers::class.is_not_null())
                    .filter(triggers::name.eq(trigger.to_owned()))
                    .filter(triggers::class.eq(class.as_str()))
                    .order((plans::created_at.asc(), plans::id.asc()))
                    .select(triggers::plan_id)
                    .into_boxed();
                Ok(filter_tags!(query, triggers::plan_id, filter).load(conn)?)
            }

            pub(super) fn propose(conn: &mut Conn, request: &ProposalRequest) -> Result<Proposal> {
                let trigger = request.trigger.as_str();
                if request.rationale.trim().is_empty() {
                    return Err(StoreError::InvalidInput("a proposal needs a rationale".into()));
                }
                if catalog::heuristic(trigger).is_none() {
                    let recorded: bool =
                        diesel::select(exists(triggers::table.filter(triggers::name.eq(trigger)))).get_result(conn)?;
                    if !recorded {
                        return Err(StoreError::NotFound(format!(
                            "trigger `{trigger}` not found (in neither the heuristic catalog nor any recorded plan)"
                        )));
                    }
                }
                let report = analyze(
                    conn,
                    &AnalysisQuery {
                        trigger: Some(request.trigger.clone()),
                        filter_tags: request.filter_tags.clone(),
                        min_n: request.min_n,
                        analyzed_at: request.at,
                    },
                )?;
                let Some(mut analysis) = report.triggers.into_iter().next() else {
                    return Err(StoreError::InvalidInput(format!(
                        "no verified plan{} has trigger `{trigger}`: there is no evidence to propose on",
                        if request.filter_tags.is_empty() { "" } else { " matching the filter tags" },
                    )));
                };
                if let Some(named) = &request.supporting_plan_ids {
                    let ids: Vec<&str> = named.iter().map(PlanId::as_str).collect();
                    let existing = existing_plans(conn, &ids)?;
                    if let Some(missing) = ids.iter().find(|id| !existing.contains(**id)) {
                        return Err(StoreError::NotFound(format!(
                            "{} (named as a supporting plan)",
                            StoreError::unknown_plan(missing)
                        )));
                    }
                    analysis.supporting_plan_ids = ids.iter().map(|id| id.to_string()).collect();
                }
                let current = analysis.current_threshold.unwrap_or_default();
                let proposed = match (request.threshold, report.proposals.first()) {
                    (Some(t), _) if !t.is_finite() => {
                        return Err(StoreError::InvalidInput(format!("threshold {t} is not a number")))
                    }
                    (Some(t), _) => t,
                    (None, Some(suggestion)) => suggestion.proposed_threshold,
                    (None, None) => {
                        return Err(StoreError::InvalidInput(format!(
                            "the analysis of `{trigger}` says `{}`: nothing to propose (give a threshold to propose one anyway)",
                            analysis.verdict
                        )))
                    }
                };
                let action = if proposed < current {
                    ProposalAction::LowerThreshold
                } else if proposed > current {
                    ProposalAction::RaiseThreshold
                } else {
                    return Err(StoreError::InvalidInput(format!(
                        "`{trigger}` already has threshold {current}: a proposal must change it"
                    )));
                };
                let mut proposal = Proposal {
                    id: 0,
                    trigger: request.trigger.clone(),
                    action,
                    current_threshold: current,
                    proposed_threshold: proposed,
                    filter_tags: request.filter_tags.clone(),
                    evidence: ProposalEvidence { min_n: request.min_n, analysis },
                    rationale: request.rationale.clone(),
                    state: ProposalState::Pending,
                    proposed_at: request.at,
                    decided_at: None,
                    decision_rationale: None,
                    superseded_by: None,
                };
                proposal.id = diesel::insert_into(calibration_proposals::table)
                    .values(NewProposal::new(&proposal, false))
                    .returning(calibration_proposals::id)
                    .get_result(conn)?;
                Ok(proposal)
            }

            pub(super) fn proposals(conn: &mut Conn, state: Option<ProposalState>) -> Result<Vec<Proposal>> {
                let mut query = calibration_proposals::table.order(calibration_proposals::id).into_boxed();
                if let Some(state) = state {
                    query = query.filter(calibration_proposals::state.eq(state.as_str()));
                }
                query.select(ProposalRow::as_select()).load(conn)?.into_iter().map(ProposalRow::into_proposal).collect()
            }

            pub(super) fn proposal(conn: &mut Conn, id: i64) -> Result<Proposal> {
                calibration_proposals::table
                    .find(id)
                    .select(ProposalRow::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("proposal {id} not found")))?
                    .into_proposal()
            }

            pub(super) fn decide(
                conn: &mut Conn,
                id: i64,
                decision: Decision,
                rationale: &str,
                at: i64,
            ) -> Result<DecisionOutcome> {
                if rationale.trim().is_empty() {
                    return Err(StoreError::InvalidInput("a decision needs a rationale".into()));
                }
                let before = proposal(conn, id)?;
                let to = decision.target();
                let effect = before.state.transition(to).map_err(|e| {
                    StoreError::Conflict(format!("proposal {id}: {e}"))
                })?;
                if effect == TransitionEffect::NoOp {
                    return Ok(DecisionOutcome { proposal: before, effect, superseded: None });
                }
                // Compare-and-set: only if nobody decided the proposal since we read it.
                let changed = diesel::update(
                    calibration_proposals::table
                        .filter(calibration_proposals::id.eq(id))
                        .filter(calibration_proposals::state.eq(before.state.as_str())),
                )
                .set((
                    calibration_proposals::state.eq(to.as_str()),
                    calibration_proposals::decided_at.eq(at),
                    calibration_proposals::decision_rationale.eq(rationale),
                ))
                .execute(conn)?;
                if changed == 0 {
                    return Err(StoreError::Conflict(format!(
                        "proposal {id} was decided by another writer meanwhile; see `skillnet calibration proposals`"
                    )));
                }
                let mut superseded = None;
                if to == ProposalState::Accepted {
                    let older: Vec<i64> = calibration_proposals::table
                        .filter(calibration_proposals::trigger.eq(&before.trigger))
                        .filter(calibration_proposals::filter_key.eq(filter_key(&before.filter_tags)))
                        .filter(calibration_proposals::state.eq(ProposalState::Accepted.as_str()))
                        .filter(calibration_proposals::id.ne(id))
                        .select(calibration_proposals::id)
                        .load(conn)?;
                    if !older.is_empty() {
                        diesel::update(calibration_proposals::table.filter(calibration_proposals::id.eq_any(&older)))
                            .set((
                                calibration_proposals::state.eq(ProposalState::Superseded.as_str()),
                                calibration_proposals::superseded_by.eq(id),
                            ))
                            .execute(conn)?;
                        superseded = older.into_iter().max();
                    }
                    set_threshold(conn, NewThreshold::accepted(&before, at))?;
                }
                Ok(DecisionOutcome { proposal: proposal(conn, id)?, effect, superseded })
            }

            /// Inserts a probe plan; the caller rolls the transaction back.
            pub(super) fn write_probe(conn: &mut Conn) -> Result<()> {
                let probe = skillnet_core::Plan {
                    id: PlanId::new("skillnet-doctor-write-probe").expect("valid id"),
                    name: "write probe".into(),
                    path: None,
                    flavor: "probe".into(),
                    worktype: None,
                    created_at: 0,
                    phase_count: 0,
                    wave_count: 0,
                    max_chain_depth: 0,
                    repo_spread: 0,
                    routing_dist: BTreeMap::new(),
                    shape_hash: String::new(),
                    capture_reasons: Vec::new(),
                    generator: None,
                };
                diesel::insert_into(plans::table).values(NewPlan::new(&probe, 0)).execute(conn)?;
                Ok(())
            }
        }

        impl $crate::CalibrationStore for $store {
            fn backend(&self) -> $crate::Backend {
                self.url.backend()
            }

            fn url(&self) -> &$crate::DatabaseUrl {
                &self.url
            }

            fn migration_status(&self) -> $crate::Result<$crate::MigrationStatus> {
                migration_status(&mut *self.conn()?)
            }

            fn migrate(&self) -> $crate::Result<Vec<String>> {
                run_migrations(&mut *self.conn()?)
            }

            fn record_plans(
                &self,
                plans: &[skillnet_core::PlanRecord],
                recorded_at: i64,
                progress: $crate::Progress<'_>,
            ) -> $crate::Result<$crate::RecordSummary> {
                write_txn(&mut *self.conn()?, |c| ops::record_plans(c, plans, recorded_at, progress))
            }

            fn verify_plans(
                &self,
                verifications: &[(skillnet_core::PlanId, skillnet_core::Verification)],
                progress: $crate::Progress<'_>,
            ) -> $crate::Result<usize> {
                write_txn(&mut *self.conn()?, |c| ops::verify_plans(c, verifications, progress))
            }

            fn plan(&self, id: &skillnet_core::PlanId) -> $crate::Result<$crate::PlanDetails> {
                read_txn(&mut *self.conn()?, |c| ops::plan(c, id))
            }

            fn query_plans(&self, query: &$crate::PlanQuery) -> $crate::Result<Vec<$crate::PlanSummary>> {
                read_txn(&mut *self.conn()?, |c| ops::query_plans(c, query))
            }

            fn move_phase(
                &self,
                plan: &skillnet_core::PlanId,
                phase: &$crate::PhaseRef,
                to: skillnet_core::phase_status::PhaseStatus,
                at: i64,
                note: Option<&str>,
            ) -> $crate::Result<$crate::PhaseMove> {
                write_txn(&mut *self.conn()?, |c| ops::move_phase(c, plan, phase, to, at, note))
            }

            fn routing(&self, filter: &[skillnet_core::Tag]) -> $crate::Result<skillnet_core::RoutingStats> {
                read_txn(&mut *self.conn()?, |c| ops::routing(c, filter))
            }

            fn add_tags(&self, id: &skillnet_core::PlanId, tags: &[skillnet_core::Tag]) -> $crate::Result<usize> {
                write_txn(&mut *self.conn()?, |c| ops::add_tags(c, id, tags))
            }

            fn remove_tags(
                &self,
                id: &skillnet_core::PlanId,
                key: &skillnet_core::TagKey,
                value: Option<&str>,
            ) -> $crate::Result<usize> {
                write_txn(&mut *self.conn()?, |c| ops::remove_tags(c, id, key, value))
            }

            fn export(
                &self,
                sink: &mut dyn FnMut($crate::HistoryItem) -> $crate::Result<()>,
            ) -> $crate::Result<()> {
                read_txn(&mut *self.conn()?, |c| ops::export(c, sink))
            }

            fn import(&self, items: &[$crate::HistoryItem], progress: $crate::Progress<'_>) -> $crate::Result<usize> {
                write_txn(&mut *self.conn()?, |c| ops::import(c, items, progress))
            }

            fn counts(&self) -> $crate::Result<$crate::TableCounts> {
                read_txn(&mut *self.conn()?, ops::counts)
            }

            fn analyze(
                &self,
                query: &$crate::AnalysisQuery,
            ) -> $crate::Result<skillnet_core::analysis::AnalysisReport> {
                read_txn(&mut *self.conn()?, |c| ops::analyze(c, query))
            }

            fn thresholds(&self) -> $crate::Result<Vec<$crate::ActiveThreshold>> {
                read_txn(&mut *self.conn()?, ops::thresholds)
            }

            fn shape_history(
                &self,
                signature: &str,
                slugs: &[String],
            ) -> $crate::Result<skillnet_core::plan_dir::meta::HistoryFacts> {
                read_txn(&mut *self.conn()?, |c| ops::shape_history(c, signature, slugs))
            }

            fn propose(&self, request: &$crate::ProposalRequest) -> $crate::Result<$crate::Proposal> {
                write_txn(&mut *self.conn()?, |c| ops::propose(c, request))
            }

            fn proposals(
                &self,
                state: Option<skillnet_core::proposal::ProposalState>,
            ) -> $crate::Result<Vec<$crate::Proposal>> {
                read_txn(&mut *self.conn()?, |c| ops::proposals(c, state))
            }

            fn proposal(&self, id: i64) -> $crate::Result<$crate::Proposal> {
                read_txn(&mut *self.conn()?, |c| ops::proposal(c, id))
            }

            fn decide(
                &self,
                id: i64,
                decision: skillnet_core::proposal::Decision,
                rationale: &str,
                at: i64,
            ) -> $crate::Result<$crate::DecisionOutcome> {
                write_txn(&mut *self.conn()?, |c| ops::decide(c, id, decision, rationale, at))
            }

            fn check_writable(&self) -> $crate::Result<()> {
                space_probe(&self.url)?;
                let outcome = write_txn(&mut *self.conn()?, |c| {
                    ops::write_probe(c)?;
                    Err::<(), _>($crate::StoreError::Conflict(ROLLBACK_PROBE.into()))
                });
                match outcome {
                    Err($crate::StoreError::Conflict(m)) if m == ROLLBACK_PROBE => Ok(()),
                    other => other,
                }
            }

            fn vacuum(&self) -> $crate::Result<()> {
                vacuum_now(&mut *self.conn()?)
            }
        }

        const ROLLBACK_PROBE: &str = "write probe rolled back";
    };
}

pub(crate) use calibration_store_impl;
