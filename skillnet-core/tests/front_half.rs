//! The front half on the plan of skillnet 0.6's own helper tests: every value 0.6 derives for
//! it, worked out by hand from 0.6's rules (its shape hash recomputed independently).

use skillnet_core::catalog;
use skillnet_core::plan_dir::{self, heuristics, init, meta, shape_hash, MemoryPlan};

const README: &str = "# Synthetic calibration plan

> **Recommended Codex model: GPT 5.5 medium**

| Phase | File | Depends on | Touches | Can parallel with |
|---|---|---|---|---|
| 01 | [01-foundation.md](./01-foundation.md) | — | `src/lib.rs` | 02 |
| 02 | [02-external.md](./02-external.md) | — | `src/lib.rs` | 01 |
| 03 | [03-integrate.md](./03-integrate.md) | 01, 02 | `tests/e2e.rs` | — |
";

fn phase(number: &str, name: &str, tier: &str, tree: &str, file: &str) -> String {
    format!(
        "# Phase {number} — {name}\n\n> **Recommended Codex model: GPT 5.5 {tier}**\n\n## Working tree\n\n{tree}\n\n## Files likely touched\n\n- `{file}`\n"
    )
}

fn helper_plan(phase_3_files: &str) -> MemoryPlan {
    let p1 = phase("01", "foundation", "medium", "same as primary", "src/lib.rs");
    let p2 = phase("02", "external", "high", "/tmp/external-repo", "src/lib.rs");
    let p3 = phase("03", "integrate", "max", "same as primary", phase_3_files);
    MemoryPlan::new([
        ("README.md", README),
        ("01-foundation.md", p1.as_str()),
        ("02-external.md", p2.as_str()),
        ("03-integrate.md", p3.as_str()),
    ])
}

#[test]
fn the_helper_plan_reads_as_0_6_reads_it() {
    let shape = plan_dir::parse(&helper_plan("tests/e2e.rs")).unwrap();
    assert_eq!(shape.name, "Synthetic calibration plan");
    assert_eq!(shape.flavor, "codex");
    let phases: Vec<(i64, &str, &str, Vec<&str>)> = shape
        .phases
        .iter()
        .map(|p| {
            (
                p.ordinal,
                p.slug.as_str(),
                p.routing_tier.as_str(),
                p.files.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            (1, "foundation", "medium", vec!["src/lib.rs"]),
            (2, "external", "high", vec!["src/lib.rs"]),
            (3, "integrate", "max", vec!["tests/e2e.rs"]),
        ]
    );
    assert_eq!(shape.waves, [vec![1, 2], vec![3]]);
    assert_eq!((shape.wave_count, shape.max_chain_depth, shape.repo_spread), (2, 2, 2));
    assert_eq!(
        shape.routing_dist.iter().map(|(t, n)| (t.as_str(), *n)).collect::<Vec<_>>(),
        [("high", 1), ("max", 1), ("medium", 1)]
    );

    let triggers = heuristics::evaluate(&shape, |h| h.default_threshold);
    let values: Vec<(&str, f64, bool)> =
        triggers.iter().map(|t| (t.name.as_str(), t.input_value, t.fired)).collect();
    assert_eq!(
        values,
        [
            ("shared-file-contention", 2.0, true),
            ("external-repo-phases", 1.0, true),
            ("convergence-point", 2.0, false),
            ("ownership-boundary-spread", 2.0, true),
            ("risk-concentration", 1.0, false),
            ("risk-late-in-plan", 1.0, true),
            ("infrastructure-spof", 0.0, false),
            ("revendor-phase", 0.0, false),
            ("long-serial-chain", 2.0, false),
            ("mid-plan-rerouting", 3.0, false),
            ("trivial-phase-swamp", 0.5, false),
            ("no-integrated-verification", 0.0, false),
            ("routing-tier-inversion", 1.0, true),
            ("mechanical-streak", 0.0, false),
            ("hidden-prerequisite", 0.0, false),
        ]
    );
    assert_eq!(triggers[0].section_added.as_deref(), Some("Shared-file lockstep"));
    assert_eq!(triggers[12].section_added, None, "quality lints add no section");
    assert_eq!(triggers.len(), catalog::CATALOG.len());

    let inputs =
        meta::MetaInputs { plan: &shape, triggers: &triggers, verify: None, plan_id: None, history: None };
    assert_eq!(meta::evaluate(&inputs).fired, ["threshold-proximity", "high-stakes-combo"]);

    assert_eq!(
        shape_hash::shape_hash(&shape),
        "38cbf138b63566bbfb49525ce67c5ab95c0471de06b3a75ad365f9e9b74b3b6f"
    );
    let with_smoke = plan_dir::parse(&helper_plan("tests/e2e.rs`\n- `tests/smoke.rs")).unwrap();
    assert_eq!(
        shape_hash::shape_hash(&with_smoke),
        "05f39dd53ddc0ed3f55e34f3440dc153c38a5ee4c7c44190d1c184ec7ce0c826"
    );

    let sidecar = init::sidecar(&shape, triggers, vec![], "id".into(), 1, init::Kept::default(), None);
    let tags: Vec<(&str, &str)> = sidecar.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("flavor", "codex"), ("risk", "high"), ("scope", "multi-repo")]);
}
