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
use crate::store::{SkillUsage, UsageQuery, UseRecorded};

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
    let mut conditions = Vec::new();
    let mut n = 0;
    if query.since.is_some() {
        n += 1;
        conditions.push(format!("started_at >= {}", dialect::timestamp_param(&marker(n))));
    }
    if query.plan.is_some() {
        n += 1;
        conditions.push(format!("plan_id = {}", marker(n)));
    }
    let filter =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
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
