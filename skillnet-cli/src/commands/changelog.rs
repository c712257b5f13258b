//! `calibration export-changelog`: the accepted threshold changes as Markdown, newest decision
//! first, one block per change, ready to paste into a skill's changelog. `walkthrough` ends with
//! the same blocks for what it accepted.
//!
//! A proposal that was accepted and later superseded is listed too, marked as superseded: its
//! threshold was in force between the two decisions, which is what a changelog records. Rejected,
//! withdrawn and pending proposals never changed a threshold and are left out. The output depends
//! only on the stored proposals, so the same history always prints the same text.

use skillnet_core::analysis::{format_utc_timestamp, ProposalAction};
use skillnet_core::proposal::ProposalState;
use skillnet_store::Proposal;

use super::Context;
use crate::output::{self, number};

/// Prints the changelog of the changes decided at or after `since` (unix seconds).
pub fn export(ctx: &Context, since: Option<i64>) -> anyhow::Result<()> {
    let mut changes: Vec<Proposal> = ctx
        .store()?
        .proposals(None)?
        .into_iter()
        .filter(|p| matches!(p.state, ProposalState::Accepted | ProposalState::Superseded))
        .filter(|p| since.is_none_or(|since| decided_at(p) >= since))
        .collect();
    sort(&mut changes);
    if changes.is_empty() {
        let since = since.map(|s| format!(" since {}", format_utc_timestamp(s))).unwrap_or_default();
        output::note(ctx.quiet, format!("no accepted threshold changes{since}"));
        return Ok(());
    }
    output::text(render(&changes))
}

/// Puts the newest decision first (the higher id first among decisions made in the same second).
pub fn sort(changes: &mut [Proposal]) {
    changes.sort_by_key(|p| std::cmp::Reverse((decided_at(p), p.id)));
}

/// When an accepted proposal was decided (it always is; the proposal time is a fallback).
fn decided_at(p: &Proposal) -> i64 {
    p.decided_at.unwrap_or(p.proposed_at)
}

/// The blocks of `changes`, in the order given, separated by blank lines.
pub fn render(changes: &[Proposal]) -> String {
    changes.iter().map(block).collect::<Vec<_>>().join("\n\n")
}

fn block(p: &Proposal) -> String {
    let decided = format_utc_timestamp(decided_at(p));
    let verb = match p.action {
        ProposalAction::LowerThreshold => "lower",
        ProposalAction::RaiseThreshold => "raise",
    };
    let (from, to) = (number(p.current_threshold), number(p.proposed_threshold));
    let mut lines = vec![
        format!("### {}: `{}` threshold {from} -> {to} ({verb})", &decided[..10], p.trigger),
        String::new(),
        format!(
            "- Change: {verb} the threshold from {from} to {to} (proposal {}, accepted {decided} UTC)",
            p.id
        ),
    ];
    if !p.filter_tags.is_empty() {
        let tags: Vec<String> = p.filter_tags.iter().map(|t| format!("`{t}`")).collect();
        lines.push(format!(
            "- Filter tags: {} (the threshold applies only to plans with these tags)",
            tags.join(", ")
        ));
    }
    if p.state == ProposalState::Superseded {
        let by = p.superseded_by.map_or_else(|| "a newer proposal".to_owned(), |id| format!("proposal {id}"));
        lines.push(format!("- Superseded by {by}"));
    }
    lines.push(item("Why proposed", &p.rationale));
    lines.push(item("Why accepted", p.decision_rationale.as_deref().unwrap_or("(none given)")));
    let a = &p.evidence.analysis;
    lines.push(format!(
        "- Evidence: {} (fire rate {}), signal rate {}, {} (verdict `{}`, min-n {})",
        super::fires_and_misses(a.fires, a.misses),
        output::rate(a.fire_rate),
        output::signal(a.signal_rate),
        super::count(a.supporting_plan_ids.len(), "supporting plan"),
        a.verdict,
        p.evidence.min_n,
    ));
    lines.join("\n")
}

/// A list item whose text may run over several lines: the later lines are indented so that
/// Markdown keeps them in the item.
pub fn item(label: &str, text: &str) -> String {
    let mut out = format!("- {label}:");
    for (i, line) in text.trim().lines().map(str::trim_end).enumerate() {
        match (i, line.is_empty()) {
            (0, _) => out.push(' '),
            (_, true) => out.push('\n'),
            (_, false) => out.push_str("\n  "),
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_rationales_stay_in_their_item() {
        assert_eq!(item("Why", "one line"), "- Why: one line");
        assert_eq!(item("Why", "first\nsecond  \n\nthird\n"), "- Why: first\n  second\n\n  third");
    }
}
