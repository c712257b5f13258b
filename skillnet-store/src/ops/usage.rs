//! Skill uses: storing one (linked to the plan in progress where it happened) and the usage
//! report. Raw SQL, since the timestamp and payload columns keep 0.6's types, which differ
//! between the dialects (see `dialect::timestamp_param`, `dialect::json_param`,
//! `dialect::unix_seconds`).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use skillnet_core::usage::SkillUse;
use skillnet_core::PlanId;

use super::dialect::{self, Conn, BIND_PREFIX};
use crate::error::{Result, StoreError};
use crate::store::{SkillUsage, StoredSkillUse, UsageQuery, UseRecorded};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct UsageRow {
    #[diesel(sql_type = Text)]
    skill: String,
    #[diesel(sql_type = Text)]
    harness: String,
    #[diesel(sql_type = BigInt)]
    uses: i64,
    #[diesel(sql_type = BigInt)]
    errors: i64,
    #[diesel(sql_type = BigInt)]
    first_used: i64,
    #[diesel(sql_type = BigInt)]
    last_used: i64,
}

#[derive(QueryableByName)]
struct StoredRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    session_id: String,
    #[diesel(sql_type = Text)]
    skill_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    tool_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    project_dir: Option<String>,
    #[diesel(sql_type = BigInt)]
    started: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    ended: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    outcome: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    plan_id: Option<String>,
    #[diesel(sql_type = Text)]
    payload: String,
    #[diesel(sql_type = Text)]
    hook_event: String,
    #[diesel(sql_type = Text)]
    harness: String,
    #[diesel(sql_type = Nullable<Text>)]
    source_event_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    adapter_version: Option<String>,
}

/// Bind marker number `n` in the dialect's spelling.
fn marker(n: usize) -> String {
    format!("{BIND_PREFIX}{n}")
}

pub(super) fn record_skill_use(conn: &mut Conn, u: &SkillUse) -> Result<UseRecorded> {
    skillnet_core::limits::check_skill_use(u)
        .map_err(|(field, problem)| StoreError::InvalidInput(format!("skill use: `{field}` {problem}")))?;
    let plan_id = match &u.project_dir {
        Some(dir) => plan_in_progress_at(conn, dir)?,
        None => None,
    };
    let m = marker;
    let sql = format!(
        "INSERT INTO skill_invocations (session_id, skill_name, tool_name, project_dir, started_at, ended_at, \
         outcome, plan_id, payload, hook_event, harness, source_event_id, adapter_version, canonical_skill_name) \
         VALUES ({}, {}, {}, {}, {at}, {at}, {}, {}, {}, {}, {}, {}, {}, {}) \
         ON CONFLICT DO NOTHING RETURNING id",
        m(1),
        m(2),
        m(3),
        m(4),
        m(6),
        m(7),
        dialect::json_param(&m(8)),
        m(9),
        m(10),
        m(11),
        m(12),
        m(13),
        at = dialect::timestamp_param(&m(5)),
    );
    let ids: Vec<Id> = diesel::sql_query(sql)
        .bind::<Text, _>(&u.session_id)
        .bind::<Text, _>(&u.skill_name)
        .bind::<Nullable<Text>, _>(u.tool_name.as_deref())
        .bind::<Nullable<Text>, _>(u.project_dir.as_deref())
        .bind::<BigInt, _>(u.at)
        .bind::<Nullable<Text>, _>(u.outcome.as_deref())
        .bind::<Nullable<Text>, _>(plan_id.as_ref().map(PlanId::as_str))
        .bind::<Text, _>(&u.payload)
        .bind::<Text, _>(&u.event)
        .bind::<Text, _>(&u.harness)
        .bind::<Nullable<Text>, _>(u.source_event_id.as_deref())
        .bind::<Nullable<Text>, _>(u.adapter_version.as_deref())
        .bind::<Text, _>(u.canonical_skill_name())
        .load(conn)?;
    Ok(match ids.first() {
        Some(row) => UseRecorded::Recorded { id: row.id, plan_id },
        None => UseRecorded::AlreadyRecorded,
    })
}

/// The plan with no verification yet whose directory is `dir` or holds it: the one with the
/// longest directory, then the one recorded last.
fn plan_in_progress_at(conn: &mut Conn, dir: &str) -> Result<Option<PlanId>> {
    let dir = match dir.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    let d = marker(1);
    let sql = format!(
        "SELECT p.id FROM plans p \
         WHERE p.path IS NOT NULL AND p.path <> '' \
           AND (p.path = {d} OR substr({d}, 1, length(p.path) + 1) = p.path || '/') \
           AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.plan_id = p.id) \
         ORDER BY length(p.path) DESC, p.recorded_at DESC, p.id LIMIT 1"
    );
    let rows: Vec<PlanRow> = diesel::sql_query(sql).bind::<Text, _>(dir).load(conn)?;
    rows.into_iter().next().map(|row| crate::rows::parse_stored(&row.id)).transpose()
}

pub(super) fn skill_usage(conn: &mut Conn, query: &UsageQuery) -> Result<Vec<SkillUsage>> {
    // A hook event that names no skill is stored under its own name with no tool (`SessionEnd`,
    // as 0.6 stored it): kept, but no use of a skill.
    let mut conditions = vec!["NOT (tool_name IS NULL AND skill_name = hook_event)".to_owned()];
    let mut n = 0;
    if query.since.is_some() {
        n += 1;
        conditions.push(format!("started_at >= {}", dialect::timestamp_param(&marker(n))));
    }
    if query.plan.is_some() {
        n += 1;
        conditions.push(format!("plan_id = {}", marker(n)));
    }
    let filter = format!("WHERE {}", conditions.join(" AND "));
    let time = dialect::unix_seconds("started_at");
    let sql = format!(
        "SELECT canonical_skill_name AS skill, harness, count(*) AS uses, \
         CAST(sum(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS BIGINT) AS errors, \
         min({time}) AS first_used, max({time}) AS last_used \
         FROM skill_invocations {filter} \
         GROUP BY canonical_skill_name, harness ORDER BY uses DESC, skill, harness"
    );
    let mut q = diesel::sql_query(sql).into_boxed::<<Conn as Connection>::Backend>();
    if let Some(since) = query.since {
        q = q.bind::<BigInt, _>(since);
    }
    if let Some(plan) = &query.plan {
        q = q.bind::<Text, _>(plan.as_str().to_owned());
    }
    Ok(q.load::<UsageRow>(conn)?
        .into_iter()
        .map(|r| SkillUsage {
            skill: r.skill,
            harness: r.harness,
            uses: r.uses,
            errors: r.errors,
            first_used: r.first_used,
            last_used: r.last_used,
        })
        .collect())
}

/// The stored uses with ids above `after`, at most `limit` of them, by id.
pub(super) fn stored_uses_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<StoredSkillUse>> {
    let sql = format!(
        "SELECT id, session_id, skill_name, tool_name, project_dir, {started} AS started, {ended} AS ended, \
         outcome, plan_id, {payload} AS payload, hook_event, harness, source_event_id, adapter_version \
         FROM skill_invocations WHERE id > {} ORDER BY id LIMIT {}",
        marker(1),
        marker(2),
        started = dialect::unix_seconds("started_at"),
        ended = dialect::unix_seconds("ended_at"),
        payload = dialect::json_text("payload"),
    );
    let rows: Vec<StoredRow> =
        diesel::sql_query(sql).bind::<BigInt, _>(after).bind::<BigInt, _>(limit).load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(StoredSkillUse {
                id: r.id,
                plan_id: r.plan_id.as_deref().map(crate::rows::parse_stored).transpose()?,
                ended_at: r.ended,
                reported: SkillUse {
                    harness: r.harness,
                    source_event_id: r.source_event_id,
                    session_id: r.session_id,
                    skill_name: r.skill_name,
                    tool_name: r.tool_name,
                    project_dir: r.project_dir,
                    outcome: r.outcome,
                    event: r.hook_event,
                    adapter_version: r.adapter_version,
                    payload: same_on_every_backend(r.payload),
                    at: r.started,
                },
            })
        })
        .collect()
}

/// A payload in one spelling whichever backend holds it: PostgreSQL keeps JSONB, which
/// reorders keys and respaces; SQLite keeps the text as received. Text that is not JSON (0.6
/// did not check) is kept as it is.
fn same_on_every_backend(payload: String) -> String {
    match serde_json::from_str::<serde_json::Value>(&payload) {
        Ok(json) => json.to_string(),
        Err(_) => payload,
    }
}

/// Columns a stored use is written with, in the order [`write_stored_uses`] binds them.
const STORED_COLUMNS: usize = 15;

/// Writes uses with their ids, replacing uses with the same ids. A use whose plan is not in the
/// history is kept unlinked; one whose harness event is already stored under another id is
/// skipped (the event happened once).
pub(super) fn write_stored_uses(conn: &mut Conn, list: &[StoredSkillUse]) -> Result<()> {
    for u in list {
        skillnet_core::limits::check_skill_use(&u.reported).map_err(|(field, problem)| {
            StoreError::InvalidInput(format!("skill use {}: `{field}` {problem}", u.id))
        })?;
    }
    for chunk in list.chunks(super::MAX_BINDS / STORED_COLUMNS) {
        let ids: Vec<String> = (1..=chunk.len()).map(marker).collect();
        let mut delete =
            diesel::sql_query(format!("DELETE FROM skill_invocations WHERE id IN ({})", ids.join(", ")))
                .into_boxed::<<Conn as Connection>::Backend>();
        for u in chunk {
            delete = delete.bind::<BigInt, _>(u.id);
        }
        delete.execute(conn)?;

        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                let m = |column: usize| marker(row * STORED_COLUMNS + column);
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, {}, (SELECT id FROM plans WHERE id = {}), {}, {}, {}, {}, {}, {})",
                    m(1),
                    m(2),
                    m(3),
                    m(4),
                    m(5),
                    dialect::timestamp_param(&m(6)),
                    dialect::timestamp_param(&m(7)),
                    m(8),
                    m(9),
                    dialect::json_param(&m(10)),
                    m(11),
                    m(12),
                    m(13),
                    m(14),
                    m(15),
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO skill_invocations (id, session_id, skill_name, tool_name, project_dir, started_at, \
             ended_at, outcome, plan_id, payload, hook_event, harness, source_event_id, adapter_version, \
             canonical_skill_name) VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        let mut insert = diesel::sql_query(sql).into_boxed::<<Conn as Connection>::Backend>();
        for u in chunk {
            let r = &u.reported;
            insert = insert
                .bind::<BigInt, _>(u.id)
                .bind::<Text, _>(r.session_id.clone())
                .bind::<Text, _>(r.skill_name.clone())
                .bind::<Nullable<Text>, _>(r.tool_name.clone())
                .bind::<Nullable<Text>, _>(r.project_dir.clone())
                .bind::<BigInt, _>(r.at)
                .bind::<Nullable<BigInt>, _>(u.ended_at)
                .bind::<Nullable<Text>, _>(r.outcome.clone())
                .bind::<Nullable<Text>, _>(u.plan_id.as_ref().map(|p| p.as_str().to_owned()))
                .bind::<Text, _>(r.payload.clone())
                .bind::<Text, _>(r.event.clone())
                .bind::<Text, _>(r.harness.clone())
                .bind::<Nullable<Text>, _>(r.source_event_id.clone())
                .bind::<Nullable<Text>, _>(r.adapter_version.clone())
                .bind::<Text, _>(r.canonical_skill_name());
        }
        insert.execute(conn)?;
    }
    Ok(())
}

pub(super) fn count(conn: &mut Conn) -> Result<i64> {
    let rows: Vec<Id> = diesel::sql_query("SELECT count(*) AS id FROM skill_invocations").load(conn)?;
    Ok(rows.first().map_or(0, |r| r.id))
}
