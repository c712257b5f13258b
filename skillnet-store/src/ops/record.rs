//! Recording and verifying plans: the two batch writes of the loop.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use skillnet_core::phase_status::{derived_phase_outcomes, PhaseStatus};
use skillnet_core::tag::{auto_tags, is_auto_key};
use skillnet_core::{Outcome, PlanId, PlanRecord, TagSource, Verification};

use super::classify::classify_plans;
use super::dialect::Conn;
use super::plans::newest_outcomes;
use super::tags::insert_missing_tags;
use super::{existing_plans, insert_rows, MAX_BINDS, PLAN_GROUP};
use crate::error::{Missing, Result, StoreError};
use crate::rows::{parse_stored, NewPhase, NewPlan, NewTag, NewTrigger, NewVerification};
use crate::schema::{phases, plans, tags, triggers};
use crate::store::{Progress, RecordSummary};

/// Keeps the last entry for each plan id, in input order.
fn last_per_plan(records: &[PlanRecord]) -> Vec<&PlanRecord> {
    let last: HashMap<&str, usize> =
        records.iter().enumerate().map(|(i, r)| (r.plan.id.as_str(), i)).collect();
    records.iter().enumerate().filter(|(i, r)| last[r.plan.id.as_str()] == *i).map(|(_, r)| r).collect()
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
            r.phases
                .iter()
                .map(move |p| NewPhase::new(id, p, states.get(&(id.to_owned(), p.ordinal)).copied()))
        })
        .collect();
    insert_rows(conn, &phase_rows)?;
    let trigger_rows: Vec<NewTrigger<'_>> =
        group.iter().flat_map(|r| r.triggers.iter().map(|t| NewTrigger::new(&r.plan, t))).collect();
    insert_rows(conn, &trigger_rows)?;
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
        insert_rows(conn, &plan_rows)?;
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
            return Err(StoreError::NotFound(Missing::Plan {
                id: (*missing).to_owned(),
                hint: Some("record it before verifying it"),
            }));
        }
        // A verification without phase outcomes takes them from a tracked plan's
        // final phase statuses; outcomes given in the sidecar win.
        let untold: Vec<&str> =
            group.iter().filter(|(_, v)| v.phase_outcomes.is_empty()).map(|(id, _)| id.as_str()).collect();
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
                v.phase_outcomes = derived_phase_outcomes(phases.iter().map(|(slug, s)| (slug.as_str(), *s)));
                Cow::Owned(v)
            })
            .collect();
        let rows: Vec<NewVerification<'_>> =
            group.iter().zip(&completed).map(|((id, _), v)| NewVerification::new(id.as_str(), v)).collect();
        insert_rows(conn, &rows)?;
        diesel::delete(
            tags::table
                .filter(tags::plan_id.eq_any(&ids))
                .filter(tags::key.eq("outcome"))
                .filter(tags::source.eq(TagSource::Auto.as_str())),
        )
        .execute(conn)?;
        let newest: BTreeMap<&str, Outcome> = group.iter().map(|(id, v)| (id.as_str(), v.outcome)).collect();
        let tag_rows: Vec<NewTag<'_>> =
            newest.iter().map(|(id, o)| NewTag::new(id, "outcome", o.as_str(), TagSource::Auto)).collect();
        insert_missing_tags(conn, tag_rows, &ids)?;
        classify_plans(conn, &ids)?;
        progress(group.len());
    }
    Ok(items.len())
}
