//! The history as a whole: export, import and row counts.

use diesel::prelude::*;
use skillnet_core::analysis::Verified;
use skillnet_core::proposal::ProposalState;

use super::dialect::{sync_id_sequences, Conn};
use super::plans::details;
use super::proposals::{proposals, set_threshold};
use super::usage::{stored_uses_after, write_stored_uses};
use super::{for_each_page_of_plans, insert_rows, MAX_BINDS, PLAN_GROUP};
use crate::error::Result;
use crate::rows::{
    NewPhase, NewPhaseTransition, NewPlan, NewProposal, NewTag, NewThreshold, NewTrigger, NewVerification,
};
use crate::schema::{
    calibration_proposals, heuristic_thresholds, phase_transitions, phases, plans, tags, triggers,
    verifications,
};
use crate::store::{HistoryItem, PlanDetails, Progress, Proposal, StoredSkillUse, TableCounts};

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
    let mut after = 0;
    loop {
        let page = stored_uses_after(conn, after, USE_PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for u in page {
            sink(HistoryItem::SkillUse(Box::new(u)))?;
        }
    }
    Ok(())
}

/// Skill uses read per page when exporting.
const USE_PAGE: i64 = 1_000;

/// Writes the items of an export, a group of `PLAN_GROUP` items of a kind at a time, so that
/// no more than one group of each is held in memory.
pub(super) fn import(
    conn: &mut Conn,
    items: &mut dyn Iterator<Item = Result<HistoryItem>>,
    progress: Progress<'_>,
) -> Result<usize> {
    let mut written = 0;
    let mut pending = Pending::default();
    for item in items {
        match item? {
            HistoryItem::Plan(d) => pending.plans.push(*d),
            HistoryItem::Proposal(p) => pending.proposals.push(*p),
            HistoryItem::SkillUse(u) => pending.uses.push(*u),
        }
        written += 1;
        if pending.is_full() {
            pending.write(conn, progress)?;
        }
    }
    pending.write(conn, progress)?;
    // Proposals and skill uses were written with their ids: once, at the end.
    sync_id_sequences(conn)?;
    Ok(written)
}

/// Items read and not written yet.
#[derive(Default)]
struct Pending {
    plans: Vec<PlanDetails>,
    proposals: Vec<Proposal>,
    uses: Vec<StoredSkillUse>,
}

impl Pending {
    fn is_full(&self) -> bool {
        [self.plans.len(), self.proposals.len(), self.uses.len()].contains(&PLAN_GROUP)
    }

    /// Writes everything pending, plans first: the uses linked to a plan find it.
    fn write(&mut self, conn: &mut Conn, progress: Progress<'_>) -> Result<()> {
        import_plans(conn, &self.plans)?;
        import_proposals(conn, &self.proposals)?;
        write_stored_uses(conn, &self.uses)?;
        progress(self.plans.len() + self.proposals.len() + self.uses.len());
        *self = Self::default();
        Ok(())
    }
}

/// Writes plans with everything stored about them, replacing plans with the same ids.
fn import_plans(conn: &mut Conn, plans_in: &[PlanDetails]) -> Result<()> {
    if plans_in.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = plans_in.iter().map(|d| d.plan.id.as_str()).collect();
    diesel::delete(plans::table.filter(plans::id.eq_any(&ids))).execute(conn)?;
    let plan_rows: Vec<NewPlan<'_>> = plans_in.iter().map(|d| NewPlan::new(&d.plan, d.recorded_at)).collect();
    insert_rows(conn, &plan_rows)?;
    let phase_rows: Vec<NewPhase<'_>> = plans_in
        .iter()
        .flat_map(|d| {
            d.phases.iter().map(move |p| {
                let state = d.phase_status.iter().find(|s| s.ordinal == p.ordinal);
                NewPhase::new(d.plan.id.as_str(), p, state.map(|s| (s.status, s.attempt)))
            })
        })
        .collect();
    insert_rows(conn, &phase_rows)?;
    // Each plan comes with all its verifications: its trigger rows are written classified, as
    // `classify_plans` would classify them, instead of written and then updated.
    let trigger_rows: Vec<NewTrigger<'_>> = plans_in
        .iter()
        .flat_map(|d| {
            let newest = d.latest_verification().map(Verified::new);
            d.triggers.iter().map(move |t| NewTrigger::classified(&d.plan, t, newest.as_ref()))
        })
        .collect();
    insert_rows(conn, &trigger_rows)?;
    let tag_rows: Vec<NewTag<'_>> = plans_in
        .iter()
        .flat_map(|d| {
            d.tags.iter().map(|t| NewTag::new(d.plan.id.as_str(), t.key.as_str(), t.value.as_str(), t.source))
        })
        .collect();
    insert_rows(conn, &tag_rows)?;
    let verification_rows: Vec<NewVerification<'_>> = plans_in
        .iter()
        .flat_map(|d| d.verifications.iter().map(|v| NewVerification::new(d.plan.id.as_str(), v)))
        .collect();
    insert_rows(conn, &verification_rows)?;
    let transition_rows: Vec<NewPhaseTransition<'_>> = plans_in
        .iter()
        .flat_map(|d| d.transitions.iter().map(|t| NewPhaseTransition::from_record(d.plan.id.as_str(), t)))
        .collect();
    insert_rows(conn, &transition_rows)
}

/// Writes proposals with their ids, replacing proposals with the same ids, and the
/// thresholds of the accepted ones.
fn import_proposals(conn: &mut Conn, list: &[Proposal]) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    for chunk in ids.chunks(MAX_BINDS) {
        diesel::delete(heuristic_thresholds::table.filter(heuristic_thresholds::proposal_id.eq_any(chunk)))
            .execute(conn)?;
        diesel::delete(calibration_proposals::table.filter(calibration_proposals::id.eq_any(chunk)))
            .execute(conn)?;
    }
    let rows: Vec<NewProposal<'_>> = list.iter().map(|p| NewProposal::new(p, true)).collect();
    insert_rows(conn, &rows)?;
    for p in list.iter().filter(|p| p.state == ProposalState::Accepted) {
        set_threshold(conn, NewThreshold::accepted(p, p.decided_at.unwrap_or(p.proposed_at)))?;
    }
    Ok(())
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
        skill_uses: super::usage::count(conn)?,
    })
}
