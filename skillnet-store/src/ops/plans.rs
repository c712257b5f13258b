//! Reading plans: one plan's details, and listings.

use std::collections::HashMap;

use diesel::dsl::{count_star, exists, max, not};
use diesel::prelude::*;
use skillnet_core::{Outcome, PlanId};

use super::dialect::Conn;
use super::{plan_carries, MAX_BINDS};
use crate::error::{Result, StoreError};
use crate::rows::{parse_stored, PhaseRow, PhaseTransitionRow, PlanRow, TagRow, TriggerRow, VerificationRow};
use crate::schema::{phase_transitions, phases, plans, tags, triggers, verifications};
use crate::store::{PlanDetails, PlanQuery, PlanSummary, StoredTag};

/// Full details of the plans with `ids`, in the order of `ids`.
pub(super) fn details(conn: &mut Conn, ids: &[String]) -> Result<Vec<PlanDetails>> {
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
    let mut tag_rows = tags_of(conn, ids)?;
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

/// The tags of the plans with `ids`, each plan's sorted by key and value.
fn tags_of(conn: &mut Conn, ids: &[impl AsRef<str>]) -> Result<HashMap<String, Vec<StoredTag>>> {
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for chunk in ids.chunks(MAX_BINDS) {
        let chunk: Vec<&str> = chunk.iter().map(AsRef::as_ref).collect();
        for row in tags::table
            .filter(tags::plan_id.eq_any(chunk))
            .order((tags::plan_id, tags::key, tags::value))
            .select(TagRow::as_select())
            .load(conn)?
        {
            let tag = StoredTag {
                key: parse_stored(&row.key)?,
                value: row.value,
                source: parse_stored(&row.source)?,
            };
            out.entry(row.plan_id).or_default().push(tag);
        }
    }
    Ok(out)
}

pub(super) fn plan(conn: &mut Conn, id: &PlanId) -> Result<PlanDetails> {
    details(conn, &[id.as_str().to_owned()])?.pop().ok_or_else(|| StoreError::unknown_plan(id))
}

pub(super) fn query_plans(conn: &mut Conn, q: &PlanQuery) -> Result<Vec<PlanSummary>> {
    let mut query = plans::table.into_boxed();
    for tag in &q.tags {
        query = query.filter(plan_carries(tag.key.as_str(), &tag.value));
    }
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
    let rows: Vec<PlanRow> =
        query.order((plans::created_at.desc(), plans::id.asc())).select(PlanRow::as_select()).load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let summaries = verification_summaries(conn, &ids)?;
    let mut tags = tags_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let (verifications, outcome) = summaries.get(&row.id).map_or((0, None), |(n, o)| (*n, Some(*o)));
            let tags = tags.remove(&row.id).unwrap_or_default();
            let (plan, _) = row.into_plan()?;
            Ok(PlanSummary { plan, tags, verifications, outcome })
        })
        .collect()
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

/// Newest verification outcome of each plan among `ids` that has one.
pub(super) fn newest_outcomes(conn: &mut Conn, ids: &[&str]) -> Result<HashMap<String, Outcome>> {
    Ok(verification_summaries(conn, ids)?.into_iter().map(|(id, (_, outcome))| (id, outcome)).collect())
}
