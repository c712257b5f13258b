//! The 8 meta-heuristics: reasons a plan is worth recording for calibration. skillnet 0.6's
//! rules, with `uniform-random` a function of the plan id and the two history-based ones
//! (`novel-shape-signature`, `routing-tier-outlier`) answered from the recorded history.

use std::collections::BTreeMap;

use super::heuristics::tier_rank;
use super::shape_hash::uniform_sample;
use super::PlanShape;
use crate::plan::Trigger;
use crate::verification::Verification;

/// The meta-heuristics, in the order every output lists them.
pub const META_HEURISTICS: [&str; 8] = [
    "threshold-proximity",
    "trigger-absence-with-risk-shape",
    "novel-shape-signature",
    "routing-tier-outlier",
    "verify-surprise",
    "rerouting-event",
    "high-stakes-combo",
    "uniform-random",
];

/// What the recorded history says about a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFacts {
    /// Whether some recorded plan has the same shape signature.
    pub shape_seen: bool,
    /// For phase slugs of the plan: how many recorded phases with that slug went to each tier.
    pub slug_tiers: BTreeMap<String, BTreeMap<String, i64>>,
}

/// Everything the meta-heuristics look at.
#[derive(Debug, Clone, Copy)]
pub struct MetaInputs<'a> {
    /// The parsed plan.
    pub plan: &'a PlanShape,
    /// Its triggers, with the thresholds in force.
    pub triggers: &'a [Trigger],
    /// A verification, when one is at hand (verify-time meta-heuristics).
    pub verify: Option<&'a Verification>,
    /// The plan's id, for the deterministic sample.
    pub plan_id: Option<&'a str>,
    /// The history; `None` when it was not consulted.
    pub history: Option<&'a HistoryFacts>,
}

/// Which meta-heuristics fired and which did not, each in [`META_HEURISTICS`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MetaOutcome {
    /// Names that fired.
    pub fired: Vec<String>,
    /// Names that did not.
    pub not_fired: Vec<String>,
}

/// Evaluates all eight.
pub fn evaluate(inputs: &MetaInputs<'_>) -> MetaOutcome {
    let mut outcome = MetaOutcome::default();
    for name in META_HEURISTICS {
        let list = if fires(name, inputs) { &mut outcome.fired } else { &mut outcome.not_fired };
        list.push(name.to_owned());
    }
    outcome
}

fn fires(name: &str, inputs: &MetaInputs<'_>) -> bool {
    let plan = inputs.plan;
    let max_phases = plan.routing_dist.get("max").copied().unwrap_or(0);
    let surprises = || inputs.verify.and_then(|v| v.surprises.as_deref()).map(str::to_ascii_lowercase);
    match name {
        "threshold-proximity" => inputs.triggers.iter().any(|t| {
            if t.threshold == 0.0 {
                t.input_value == 0.0
            } else {
                (t.input_value - t.threshold).abs() / t.threshold.abs() <= 0.2
            }
        }),
        "trigger-absence-with-risk-shape" => {
            !inputs.triggers.iter().any(|t| t.fired)
                && (max_phases >= 1 || plan.repo_spread >= 3 || plan.max_chain_depth >= 3)
        }
        "novel-shape-signature" => inputs.history.is_some_and(|h| !h.shape_seen),
        "routing-tier-outlier" => inputs.history.is_some_and(|h| tier_outliers(plan, h) > 0),
        "verify-surprise" => inputs.verify.is_some_and(|v| {
            v.emergency_changes.as_ref().is_some_and(|e| !e.is_null())
                || surprises().is_some_and(|s| {
                    ["missed-signal", "failure", "emergency", "added phase", "phase added"]
                        .iter()
                        .any(|w| s.contains(w))
                })
        }),
        "rerouting-event" => surprises().is_some_and(|s| {
            ["rerouting", "re-routing", "different tier", "executed at"].iter().any(|w| s.contains(w))
        }),
        "high-stakes-combo" => max_phases >= 1 && plan.phases.iter().any(|p| !p.working_trees.is_empty()),
        "uniform-random" => inputs.plan_id.is_some_and(uniform_sample),
        _ => false,
    }
}

/// Phases routed two or more notches away from the median tier of at least 5 recorded phases
/// with the same slug (the lower median for an even count).
pub fn tier_outliers(plan: &PlanShape, history: &HistoryFacts) -> usize {
    plan.phases
        .iter()
        .filter(|phase| {
            let rank = tier_rank(&phase.routing_tier);
            let Some(tiers) = history.slug_tiers.get(&phase.slug) else { return false };
            let mut counts: Vec<(u8, i64)> =
                tiers.iter().map(|(t, &n)| (tier_rank(t), n)).filter(|&(r, n)| r > 0 && n > 0).collect();
            counts.sort_unstable();
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            if rank == 0 || total < 5 {
                return false;
            }
            // The lower median: the rank at position (total - 1) / 2, counting from 0.
            let mut position = (total - 1) / 2;
            let median = counts
                .iter()
                .find(|(_, n)| {
                    let here = position < *n;
                    position -= n;
                    here
                })
                .map_or(0, |(r, _)| *r);
            rank.abs_diff(median) >= 2
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_dir::{self, MemoryPlan};

    fn history(tiers: &[(&str, i64)]) -> HistoryFacts {
        let tiers = tiers.iter().map(|(t, n)| (t.to_string(), *n)).collect();
        HistoryFacts { shape_seen: true, slug_tiers: BTreeMap::from([("schema".to_owned(), tiers)]) }
    }

    #[test]
    fn a_tier_two_notches_from_the_slug_median_of_five_is_an_outlier() {
        let plan = MemoryPlan::new([
            ("README.md", "| Phase | File | Depends on |\n|---|---|---|\n| 1 | 01-schema.md | - |\n"),
            ("01-schema.md", "> Recommended Codex model: GPT 5.5 max\n"),
        ]);
        let plan = plan_dir::parse(&plan).unwrap();
        assert_eq!(tier_outliers(&plan, &history(&[("medium", 3), ("high", 1), ("low", 1)])), 1);
        assert_eq!(tier_outliers(&plan, &history(&[("medium", 2), ("high", 3)])), 0, "median high");
        assert_eq!(tier_outliers(&plan, &history(&[("low", 4)])), 0, "fewer than 5");
        assert_eq!(
            tier_outliers(&plan, &history(&[("low", 2), ("medium", 2), ("high", 2)])),
            1,
            "lower median"
        );
    }
}
