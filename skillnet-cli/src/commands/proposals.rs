//! `calibration propose`, `proposals` and `decide`: the proposal machine of SPEC §5.1 from the
//! command line.
//!
//! The store validates and applies every move atomically; this module turns its answers into
//! output, and a `Conflict` into a message that names the proposal's state now (a lost race is
//! reported the same way as a decision on a decided proposal: exit 5).

use serde::Serialize;
use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
use skillnet_store::{CalibrationStore, DecisionOutcome, Proposal, ProposalRequest, StoreError};

use super::heuristics::{active_for, recorded_in, Source};
use super::Context;
use crate::cli::{DecideArgs, Format, ProposalsArgs, ProposeArgs, StateFilter};
use crate::input::InputError;
use crate::output::{self, number, or_dash, time};

/// Stores a pending proposal and prints it.
pub fn propose(ctx: &Context, args: &ProposeArgs) -> anyhow::Result<()> {
    let trigger = args.trigger.clone().or_else(|| args.trigger_flag.clone()).unwrap_or_default();
    let supporting_plan_ids = if args.supporting_plan_ids.is_empty() {
        None
    } else {
        Some(
            args.supporting_plan_ids
                .iter()
                .map(|id| super::plan_id(id.trim()))
                .collect::<anyhow::Result<_>>()?,
        )
    };
    let request = ProposalRequest {
        trigger,
        supporting_plan_ids,
        filter_tags: super::tags(&args.filter.filter_tags)?,
        threshold: args.threshold,
        rationale: args.rationale.clone(),
        min_n: args.filter.min_n,
        at: args.at.unwrap_or_else(output::now),
    };
    let proposal = ctx.store()?.propose(&request)?;
    output::note(
        ctx.quiet,
        format!(
            "decide it with `skillnet calibration decide {} accept|reject|withdraw --rationale TEXT`",
            proposal.id
        ),
    );
    match args.format.format {
        Some(Format::Json) => output::json(&proposal),
        Some(Format::Table) => output::text(render(&proposal)),
        None => output::text(format!(
            "proposal {} pending: {} {} -> {}",
            proposal.id,
            proposal.trigger,
            number(proposal.current_threshold),
            number(proposal.proposed_threshold)
        )),
    }
}

/// Lists proposals, oldest first, in one state or all.
pub fn list(ctx: &Context, args: &ProposalsArgs) -> anyhow::Result<()> {
    let proposals = ctx.store()?.proposals(state(&args.state))?;
    match args.format.format {
        Format::Json => output::json(&proposals),
        Format::Table => {
            output::text(table(&proposals))?;
            output::note(ctx.quiet, super::count(proposals.len(), "proposal"));
            Ok(())
        }
    }
}

fn state(filter: &StateFilter) -> Option<ProposalState> {
    [
        (filter.pending, ProposalState::Pending),
        (filter.accepted, ProposalState::Accepted),
        (filter.rejected, ProposalState::Rejected),
        (filter.superseded, ProposalState::Superseded),
        (filter.withdrawn, ProposalState::Withdrawn),
    ]
    .into_iter()
    .find_map(|(asked, state)| asked.then_some(state))
}

/// What `decide --format json` prints: the store's outcome, the state the proposal left, and the
/// threshold in force afterwards for its trigger and filter tags.
#[derive(Debug, Serialize)]
struct Decided {
    #[serde(flatten)]
    outcome: DecisionOutcome,
    /// The state before the decision: `pending`, or `accepted` for a repeated accept.
    previous_state: ProposalState,
    /// The threshold in force for the proposal's trigger and filter tags after the decision.
    active_threshold: Option<f64>,
    /// Where `active_threshold` comes from.
    active_source: Source,
}

/// Decides a pending proposal and prints what happened.
pub fn decide(ctx: &Context, args: &DecideArgs) -> anyhow::Result<()> {
    let decision: Decision = args
        .decision
        .parse()
        .map_err(|e: skillnet_core::transition::UnknownVariant| InputError(e.to_string()))?;
    let store = ctx.store()?;
    let at = args.at.unwrap_or_else(output::now);
    let outcome = match store.decide(args.id, decision, &args.rationale, at) {
        Ok(outcome) => outcome,
        Err(e @ (StoreError::Conflict(_) | StoreError::IllegalTransition { .. })) => {
            return Err(conflict(&*store, args.id, decision, e))
        }
        Err(e) => return Err(e.into()),
    };
    let p = &outcome.proposal;
    let (active_threshold, active_source) =
        active_for(&store.thresholds()?, &p.trigger, &p.filter_tags, &recorded_in(&*store))?;
    let previous_state = match outcome.effect {
        TransitionEffect::Applied => ProposalState::Pending,
        TransitionEffect::NoOp => p.state,
    };
    let decided = Decided { outcome, previous_state, active_threshold, active_source };
    match args.format.format {
        Some(Format::Json) => output::json(&decided),
        Some(Format::Table) => output::text(render_decided(&decided)),
        None => {
            let p = &decided.outcome.proposal;
            let already = if decided.outcome.effect == TransitionEffect::NoOp { "already " } else { "" };
            output::text(format!("proposal {} {already}{}", p.id, p.state))?;
            // The rest of the story, for the person at the terminal.
            for line in render_decided(&decided).lines().skip(1) {
                output::note(ctx.quiet, line);
            }
            Ok(())
        }
    }
}

/// A decision the store refused as a conflict, with the proposal's state now on top: another
/// process may have decided it a moment ago, so the state read before is not to be trusted.
fn conflict(store: &dyn CalibrationStore, id: i64, decision: Decision, e: StoreError) -> anyhow::Error {
    let now = store.proposal(id).map(|p| p.state.to_string()).unwrap_or_else(|_| "decided".into());
    anyhow::Error::new(e).context(format!("proposal {id} is already {now}: cannot {decision} it"))
}

fn render_decided(d: &Decided) -> String {
    let p = &d.outcome.proposal;
    let tags = if p.filter_tags.is_empty() {
        String::new()
    } else {
        format!(" under {}", output::tags(&p.filter_tags))
    };
    let active = format!(
        "{}{tags}: threshold {} ({})",
        p.trigger,
        or_dash(d.active_threshold.map(number)),
        d.active_source
    );
    let mut lines = Vec::new();
    if d.outcome.effect == TransitionEffect::NoOp {
        lines.push(format!("proposal {} was already {}: nothing changed", p.id, p.state));
    } else {
        lines.push(format!("proposal {}: {} -> {}", p.id, d.previous_state, p.state));
        if let Some(old) = d.outcome.superseded {
            lines.push(format!("proposal {old}: accepted -> superseded (by proposal {})", p.id));
        }
    }
    lines.push(format!("in force: {active}"));
    lines.join("\n")
}

/// The move a proposal makes: `raise threshold 4 -> 5`.
pub fn movement(p: &Proposal) -> String {
    let verb = match p.action {
        skillnet_core::analysis::ProposalAction::LowerThreshold => "lower",
        skillnet_core::analysis::ProposalAction::RaiseThreshold => "raise",
    };
    format!("{verb} threshold {} -> {}", number(p.current_threshold), number(p.proposed_threshold))
}

/// The evidence of a proposal on one line: counts, rates and verdict.
pub fn evidence(p: &Proposal) -> String {
    let a = &p.evidence.analysis;
    format!(
        "{} (fire rate {}), signal rate {}; {}",
        super::fires_and_misses(a.fires, a.misses),
        output::rate(a.fire_rate),
        output::signal(a.signal_rate),
        a.verdict_text()
    )
}

/// Proposals as a table, one per row: skillnet 0.6's columns (its DECISION is the state, FIRE%,
/// SIGNAL and SUPPORT come from the evidence), then the filter tags, the times and what
/// superseded it.
pub fn table(proposals: &[Proposal]) -> output::Table {
    let mut table = output::table([
        "id",
        "trigger",
        "current",
        "proposed",
        "decision",
        "fire%",
        "signal",
        "filter tags",
        "proposed at",
        "decided at",
        "superseded by",
        "support",
    ]);
    for p in proposals {
        let a = &p.evidence.analysis;
        table.add_row([
            p.id.to_string(),
            p.trigger.clone(),
            number(p.current_threshold),
            number(p.proposed_threshold),
            p.state.to_string(),
            format!("{:.1}%", a.fire_rate * 100.0),
            output::signal(a.signal_rate),
            output::tags(&p.filter_tags),
            time(p.proposed_at),
            or_dash(p.decided_at.map(time)),
            or_dash(p.superseded_by),
            or_dash((!a.supporting_plan_ids.is_empty()).then(|| a.supporting_plan_ids.join(","))),
        ]);
    }
    table
}

/// One proposal, field by field.
fn render(p: &Proposal) -> String {
    let a = &p.evidence.analysis;
    let mut facts = output::facts("proposal", &p.id.to_string());
    let supporting =
        if a.supporting_plan_ids.is_empty() { "none".to_owned() } else { a.supporting_plan_ids.join(", ") };
    let mut rows: Vec<(&str, String)> = vec![
        ("trigger", p.trigger.clone()),
        ("state", p.state.to_string()),
        ("move", movement(p)),
        ("filter tags", output::tags(&p.filter_tags)),
        ("rationale", p.rationale.clone()),
        ("proposed", time(p.proposed_at)),
        ("evidence", evidence(p)),
        (
            "counts",
            format!(
                "TP {}, FP {}, FN {}, TN {} (min-n {})",
                a.true_positives, a.false_positives, a.false_negatives, a.true_negatives, p.evidence.min_n
            ),
        ),
        ("supporting plans", supporting),
    ];
    if let Some(at) = p.decided_at {
        rows.push(("decided", time(at)));
    }
    if let Some(why) = &p.decision_rationale {
        rows.push(("decision rationale", why.clone()));
    }
    if let Some(by) = p.superseded_by {
        rows.push(("superseded by", format!("proposal {by}")));
    }
    for (k, v) in rows {
        facts.add_row([k.to_owned(), v]);
    }
    facts.to_string()
}
