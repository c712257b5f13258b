//! The 8 meta-heuristics: reasons a plan is worth recording for calibration. skillnet 0.6's
//! rules, with `uniform-random` a function of the plan id and the two history-based ones
//! (`novel-shape-signature`, `routing-tier-outlier`) answered from the recorded history.

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
    /// For each phase slug of the plan, the tiers of the recorded phases with that slug (any
    /// order).
    pub slug_tiers: Vec<(String, Vec<String>)>,
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
        "high-stakes-combo" => max_phases >= 1 && plan.phases.iter().any(|p| p.working_tree.is_some()),
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
            let Some((_, tiers)) = history.slug_tiers.iter().find(|(slug, _)| *slug == phase.slug) else {
                return false;
            };
            let mut ranks: Vec<u8> = tiers.iter().map(|t| tier_rank(t)).filter(|&r| r > 0).collect();
            if rank == 0 || ranks.len() < 5 {
                return false;
            }
            ranks.sort_unstable();
            let median = ranks[(ranks.len() - 1) / 2];
            rank.abs_diff(median) >= 2
        })
        .count()
}
