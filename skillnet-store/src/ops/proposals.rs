//! Threshold proposals and their decisions.

use diesel::dsl::exists;
use diesel::prelude::*;
use skillnet_core::analysis::ProposalAction;
use skillnet_core::catalog;
use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
use skillnet_core::threshold::filter_identity;
use skillnet_core::PlanId;

use super::analysis::analyze;
use super::dialect::Conn;
use super::existing_plans;
use crate::error::{Missing, Result, StoreError};
use crate::rows::{NewProposal, NewThreshold, ProposalRow};
use crate::schema::{calibration_proposals, heuristic_thresholds, triggers};
use crate::store::{AnalysisQuery, DecisionOutcome, Proposal, ProposalEvidence, ProposalRequest};

pub(super) fn propose(conn: &mut Conn, request: &ProposalRequest) -> Result<Proposal> {
    let trigger = request.trigger.as_str();
    if request.rationale.trim().is_empty() {
        return Err(StoreError::InvalidInput("a proposal needs a rationale".into()));
    }
    if catalog::heuristic(trigger).is_none() {
        let recorded: bool =
            diesel::select(exists(triggers::table.filter(triggers::name.eq(trigger)))).get_result(conn)?;
        if !recorded {
            return Err(StoreError::NotFound(Missing::Trigger { name: trigger.to_owned() }));
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
            return Err(StoreError::NotFound(Missing::Plan {
                id: (*missing).to_owned(),
                hint: Some("named as a supporting plan"),
            }));
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
                "the analysis of `{trigger}` says `{}`: nothing to propose \
                 (give a threshold to propose one anyway)",
                analysis.verdict_text()
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
        query = query.filter(calibration_proposals::decision.eq(state.as_str()));
    }
    query.select(ProposalRow::as_select()).load(conn)?.into_iter().map(ProposalRow::into_proposal).collect()
}

pub(super) fn proposal(conn: &mut Conn, id: i64) -> Result<Proposal> {
    calibration_proposals::table
        .find(id)
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound(Missing::Proposal { id }))?
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
    let effect = before.state.transition(to).map_err(|transition| StoreError::IllegalTransition {
        subject: format!("proposal {id}"),
        transition,
    })?;
    if effect == TransitionEffect::NoOp {
        return Ok(DecisionOutcome { proposal: before, effect, superseded: None });
    }
    // Compare-and-set: only if nobody decided the proposal since we read it.
    let changed = diesel::update(
        calibration_proposals::table
            .filter(calibration_proposals::id.eq(id))
            .filter(calibration_proposals::decision.eq(before.state.as_str())),
    )
    .set((
        calibration_proposals::decision.eq(to.as_str()),
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
            .filter(calibration_proposals::trigger_name.eq(&before.trigger))
            .filter(calibration_proposals::filter_key.eq(filter_identity(&before.filter_tags)))
            .filter(calibration_proposals::decision.eq(ProposalState::Accepted.as_str()))
            .filter(calibration_proposals::id.ne(id))
            .select(calibration_proposals::id)
            .load(conn)?;
        if !older.is_empty() {
            diesel::update(calibration_proposals::table.filter(calibration_proposals::id.eq_any(&older)))
                .set((
                    calibration_proposals::decision.eq(ProposalState::Superseded.as_str()),
                    calibration_proposals::superseded_by.eq(id),
                ))
                .execute(conn)?;
            superseded = older.into_iter().max();
        }
        set_threshold(conn, NewThreshold::accepted(&before, at))?;
    }
    Ok(DecisionOutcome { proposal: proposal(conn, id)?, effect, superseded })
}

pub(super) fn set_threshold(conn: &mut Conn, row: NewThreshold<'_>) -> Result<()> {
    diesel::insert_into(heuristic_thresholds::table)
        .values(&row)
        .on_conflict((heuristic_thresholds::name, heuristic_thresholds::filter_key))
        .do_update()
        .set(&row)
        .execute(conn)?;
    Ok(())
}
