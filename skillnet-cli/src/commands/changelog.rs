//! `calibration export-changelog`: the accepted threshold changes as Markdown, newest decision
//! first, one block per change, ready to paste into a skill's changelog. `walkthrough` ends with
//! the same blocks.
//!
//! The blocks are skillnet 0.6's (`### YYYY-MM-DD — trigger: 4 → 5`, then `- **Rationale**: ...`,
//! the rates at decision and the supporting plans), so pasted blocks look like the old ones and
//! `walkthrough --skill-md` finds the newest entry of a SKILL.md written with 0.6; lines 0.6 did
//! not have follow them. A proposal that was accepted and later superseded is listed too, marked
//! as superseded: its threshold was in force between the two decisions, which is what a changelog
//! records. Rejected, withdrawn and pending proposals never changed a threshold and are left out.
//! The output depends only on the stored proposals, so the same history always prints the same
//! text.

use skillnet_core::analysis::{format_utc_timestamp, ProposalAction};
use skillnet_core::proposal::ProposalState;
use skillnet_store::{CalibrationStore, Proposal};

use super::Context;
use crate::output::{self, number};

/// What the changelog says when there is nothing to say (on stdout, as skillnet 0.6 did, so that
/// a script appending the output to a SKILL.md sees it).
pub const EMPTY: &str = "no accepted proposals";

/// Prints the changelog of the changes decided at or after `since` (unix seconds).
pub fn export(ctx: &Context, since: Option<i64>) -> anyhow::Result<()> {
    let changes = accepted_since(&*ctx.store()?, since)?;
    output::text(render_or_empty(&changes))
}

/// The accepted (and later superseded) proposals decided at or after `since`, newest first.
pub fn accepted_since(store: &dyn CalibrationStore, since: Option<i64>) -> anyhow::Result<Vec<Proposal>> {
    let mut changes: Vec<Proposal> = store
        .proposals(None)?
        .into_iter()
        .filter(|p| matches!(p.state, ProposalState::Accepted | ProposalState::Superseded))
        .filter(|p| since.is_none_or(|since| decided_at(p) >= since))
        .collect();
    sort(&mut changes);
    Ok(changes)
}

/// Puts the newest decision first (the higher id first among decisions made in the same second).
pub fn sort(changes: &mut [Proposal]) {
    changes.sort_by_key(|p| std::cmp::Reverse((decided_at(p), p.id)));
}

/// When an accepted proposal was decided (it always is; the proposal time is a fallback).
fn decided_at(p: &Proposal) -> i64 {
    p.decided_at.unwrap_or(p.proposed_at)
}

/// The blocks of `changes`, in the order given, each ending with a blank line (so output appended
/// to a SKILL.md time after time stays separated, as 0.6's did); [`EMPTY`] for none. The last
/// line has no newline: the caller ends it.
pub fn render_or_empty(changes: &[Proposal]) -> String {
    if changes.is_empty() {
        EMPTY.to_owned()
    } else {
        changes.iter().map(|p| block(p) + "\n").collect::<Vec<_>>().join("\n")
    }
}

/// A block's heading: `### 2026-05-24 — long-serial-chain: 4 → 5`.
pub fn heading(p: &Proposal) -> String {
    let date = &format_utc_timestamp(decided_at(p))[..10];
    format!(
        "### {date} \u{2014} {}: {} \u{2192} {}",
        p.trigger,
        number(p.current_threshold),
        number(p.proposed_threshold)
    )
}

fn block(p: &Proposal) -> String {
    let a = &p.evidence.analysis;
    let proposed_because = p.rationale.trim();
    let decided_because = p.decision_rationale.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let mut lines = vec![
        heading(p),
        String::new(),
        item(
            "**Rationale**",
            decided_because.unwrap_or(if proposed_because.is_empty() {
                "accepted"
            } else {
                proposed_because
            }),
        ),
        format!("- **Fire rate at decision**: {:.1}%", a.fire_rate * 100.0),
        format!(
            "- **Signal rate at decision**: {}",
            a.signal_rate.map_or_else(|| "n/a".to_owned(), |s| format!("{s:+.2}"))
        ),
        match a.supporting_plan_ids.len() {
            0 => "- **Supporting plans**: 0".to_owned(),
            n => format!("- **Supporting plans**: {n}, ids: {}", a.supporting_plan_ids.join(", ")),
        },
    ];
    if !p.filter_tags.is_empty() {
        let tags: Vec<String> = p.filter_tags.iter().map(ToString::to_string).collect();
        lines.push(format!("- **Filter tags**: {}", tags.join(", ")));
    }
    if decided_because.is_some() && !proposed_because.is_empty() && Some(proposed_because) != decided_because
    {
        lines.push(item("**Proposed because**", proposed_because));
    }
    let verb = match p.action {
        ProposalAction::LowerThreshold => "lower",
        ProposalAction::RaiseThreshold => "raise",
    };
    lines.push(format!(
        "- **Proposal**: {}, to {verb} the threshold, accepted {} UTC (verdict `{}`, {}, min-n {})",
        p.id,
        format_utc_timestamp(decided_at(p)),
        a.verdict_text(),
        super::fires_and_misses(a.fires, a.misses),
        p.evidence.min_n,
    ));
    if p.state == ProposalState::Superseded {
        let by = p.superseded_by.map_or_else(|| "a newer proposal".to_owned(), |id| format!("proposal {id}"));
        lines.push(format!("- **Superseded by**: {by}"));
    }
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
        assert_eq!(item("**Rationale**", "a\nb"), "- **Rationale**: a\n  b");
        assert_eq!(item("Why", "first\nsecond  \n\nthird\n"), "- Why: first\n  second\n\n  third");
    }
}
