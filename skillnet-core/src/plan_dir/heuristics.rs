//! The 15 heuristics of the [catalog](crate::catalog), evaluated against a [`PlanShape`]: the
//! formulas of skillnet 0.6, fed by the corrected parser.

use std::collections::{BTreeMap, BTreeSet};

use super::{PhaseShape, PlanShape};
use crate::catalog::{Heuristic, CATALOG};
use crate::plan::Trigger;

/// The input value of the catalog heuristic `name` for `plan`; `None` for a name outside the
/// catalog.
pub fn input_value(name: &str, plan: &PlanShape) -> Option<f64> {
    let value = match name {
        "shared-file-contention" => shared_file_contention(plan),
        "external-repo-phases" => count(plan.phases.iter().filter(|p| !p.working_trees.is_empty())),
        "convergence-point" => plan.phases.iter().map(|p| p.depends_on.len()).max().unwrap_or(0) as f64,
        "ownership-boundary-spread" => plan.repo_spread as f64,
        "risk-concentration" => tier_count(plan, "max") as f64,
        "risk-late-in-plan" => risk_late_in_plan(plan),
        "infrastructure-spof" => infrastructure_spof(plan),
        "revendor-phase" => count(plan.phases.iter().filter(|p| is_revendor(p))),
        "long-serial-chain" => plan.max_chain_depth as f64,
        "mid-plan-rerouting" => plan.phase_count as f64,
        "trivial-phase-swamp" => trivial_phase_swamp(plan),
        "no-integrated-verification" => {
            if plan.phases.iter().any(is_integrated_verification) {
                0.0
            } else {
                1.0
            }
        }
        "routing-tier-inversion" => routing_tier_inversion(plan),
        "mechanical-streak" => mechanical_streak(plan),
        "hidden-prerequisite" => hidden_prerequisite(plan),
        _ => return None,
    };
    Some(value)
}

/// Evaluates every catalog heuristic, in catalog order, against `threshold(heuristic)`: a
/// trigger fires when its input value is at least the threshold, and then names its section.
pub fn evaluate(plan: &PlanShape, threshold: impl Fn(&Heuristic) -> f64) -> Vec<Trigger> {
    CATALOG
        .iter()
        .map(|h| {
            let input_value = input_value(h.name, plan).expect("every catalog heuristic has a formula");
            let threshold = threshold(h);
            let fired = input_value >= threshold;
            Trigger {
                name: h.name.to_owned(),
                input_value,
                threshold,
                fired,
                section_added: h.section_added.filter(|_| fired).map(str::to_owned),
            }
        })
        .collect()
}

fn count<T>(items: impl Iterator<Item = T>) -> f64 {
    items.count() as f64
}

fn tier_count(plan: &PlanShape, tier: &str) -> i64 {
    plan.routing_dist.get(tier).copied().unwrap_or(0)
}

/// The most phases that list one file.
fn shared_file_contention(plan: &PlanShape) -> f64 {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for file in plan.phases.iter().flat_map(|p| &p.files) {
        *counts.entry(file).or_default() += 1;
    }
    f64::from(counts.into_values().max().unwrap_or(0))
}

/// With W waves, the waves from index ⌊2W/3⌋ on that hold a `max` phase.
fn risk_late_in_plan(plan: &PlanShape) -> f64 {
    let first_late = plan.waves.len() * 2 / 3;
    let max_phases: BTreeSet<i64> =
        plan.phases.iter().filter(|p| p.routing_tier == "max").map(|p| p.ordinal).collect();
    count(plan.waves.iter().skip(first_late).filter(|wave| wave.iter().any(|o| max_phases.contains(o))))
}

/// When some phase touches an infrastructure file: the phases that depend directly on one.
fn infrastructure_spof(plan: &PlanShape) -> f64 {
    let infra: BTreeSet<i64> =
        plan.phases.iter().filter(|p| p.files.iter().any(|f| is_infra_file(f))).map(|p| p.ordinal).collect();
    if infra.is_empty() {
        return 0.0;
    }
    count(plan.phases.iter().filter(|p| p.depends_on.iter().any(|d| infra.contains(d))))
}

fn is_infra_file(file: &str) -> bool {
    let file = file.to_ascii_lowercase();
    ["flake.nix", "flake.lock", "cargo.lock", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"]
        .iter()
        .any(|end| file.ends_with(end))
        || [".github/workflows/", ".forgejo/workflows/", "/ci/", "build.rs", "justfile", "makefile"]
            .iter()
            .any(|part| file.contains(part))
}

fn mentions_dependency_surface(text: &str) -> bool {
    ["vendor", "bump", "dependency", "dependencies", "lockfile"].iter().any(|w| text.contains(w))
        || ["cargo.lock", "flake.lock", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"]
            .iter()
            .any(|end| text.ends_with(end))
}

fn is_revendor(phase: &PhaseShape) -> bool {
    mentions_dependency_surface(&phase.slug.to_ascii_lowercase())
        || phase.files.iter().any(|f| mentions_dependency_surface(&f.to_ascii_lowercase()))
}

fn is_integrated_verification(phase: &PhaseShape) -> bool {
    let slug = phase.slug.to_ascii_lowercase();
    ["verify", "verification", "e2e", "end-to-end", "integration"].iter().any(|w| slug.contains(w))
        || phase.files.iter().any(|f| {
            let f = f.to_ascii_lowercase();
            ["e2e", "integration", "smoke"].iter().any(|w| f.contains(w))
        })
}

/// Low/medium phases per high/max phase; the low/medium count itself when there is none.
fn trivial_phase_swamp(plan: &PlanShape) -> f64 {
    let trivial = tier_count(plan, "low") + tier_count(plan, "medium");
    let serious = tier_count(plan, "high") + tier_count(plan, "max");
    if serious == 0 {
        trivial as f64
    } else {
        trivial as f64 / serious as f64
    }
}

/// The rank of a tier, 0 for anything else.
pub fn tier_rank(tier: &str) -> u8 {
    match tier.strip_prefix("5.5 ").unwrap_or(tier) {
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        "max" => 4,
        _ => 0,
    }
}

/// Leaf phases (no phase depends on them) routed at the plan's highest tier or above.
fn routing_tier_inversion(plan: &PlanShape) -> f64 {
    let top = plan.routing_dist.iter().filter(|(_, &n)| n > 0).map(|(t, _)| tier_rank(t)).max().unwrap_or(0);
    if top == 0 {
        return 0.0;
    }
    let depended_on: BTreeSet<i64> = plan.phases.iter().flat_map(|p| p.depends_on.iter().copied()).collect();
    count(
        plan.phases.iter().filter(|p| !depended_on.contains(&p.ordinal) && tier_rank(&p.routing_tier) >= top),
    )
}

/// The longest run of consecutive `low` phases in ordinal order.
fn mechanical_streak(plan: &PlanShape) -> f64 {
    let (mut longest, mut current) = (0_u32, 0_u32);
    for phase in &plan.phases {
        current = if phase.routing_tier == "low" { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    f64::from(longest)
}

/// References to phases that do not exist.
fn hidden_prerequisite(plan: &PlanShape) -> f64 {
    let ordinals: BTreeSet<i64> = plan.phases.iter().map(|p| p.ordinal).collect();
    count(plan.phases.iter().flat_map(|p| &p.depends_on).filter(|d| !ordinals.contains(d)))
}
