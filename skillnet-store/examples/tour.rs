//! The library as a program meets it, with one import: record the example plans, verify them,
//! tag, query, analyse, track a new plan's phases, and tell errors apart by what they carry.
//!
//! ```sh
//! cargo run -p skillnet-store --example tour                  # an in-memory store
//! cargo run -p skillnet-store --example tour -- sqlite:///tmp/tour.sqlite
//! cargo run -p skillnet-store --features postgres --example tour -- postgres://me@localhost/tour
//! ```
//!
//! It checks what it prints, so a change that breaks the tour fails it (CI runs it).

use skillnet_store::prelude::*;

/// The sidecars of the example plans, as `skillnet calibration init` wrote them.
const SIDECARS: [(&str, &str); 5] = [
    ("auth-rewrite", include_str!("../../examples/plans/auth-rewrite/.calibration.json")),
    ("billing-migration", include_str!("../../examples/plans/billing-migration/.calibration.json")),
    ("ci-speedup", include_str!("../../examples/plans/ci-speedup/.calibration.json")),
    ("docs-refresh", include_str!("../../examples/plans/docs-refresh/.calibration.json")),
    ("search-reindex", include_str!("../../examples/plans/search-reindex/.calibration.json")),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store = match std::env::args().nth(1) {
        Some(url) => open(&url)?,
        None => open_in_memory()?,
    };
    println!("store: {} ({})", store.url(), store.backend());

    // Record: a sidecar with a `verify` block is two calls, the plan and then its verification.
    let records = SIDECARS
        .iter()
        .map(|(name, text)| skillnet_core::sidecar::parse(text, &format!("{name}/.calibration.json")))
        .collect::<Result<Vec<PlanRecord>, _>>()?;
    let verifications: Vec<(PlanId, Verification)> =
        records.iter().filter_map(|r| Some((r.plan.id.clone(), r.verification.clone()?))).collect();
    let recorded = store.record_plans(&records, 1_762_700_000)?;
    let verified = store.verify_plans(&verifications)?;
    println!("recorded {} plans, verified {verified}", recorded.new + recorded.updated);
    assert_eq!((recorded.new, verified), (5, verifications.len()));
    assert!(verified > 0, "the example plans include verified ones");

    // Tag and query.
    let billing = records[1].plan.id.clone();
    store.add_tags(&billing, &["owner=alice".parse::<Tag>()?])?;
    let owned =
        store.query_plans(&PlanQuery { tags: vec!["owner=alice".parse()?], ..PlanQuery::default() })?;
    println!(
        "plans owned by alice: {}",
        owned.iter().map(|p| p.plan.name.as_str()).collect::<Vec<_>>().join(", ")
    );
    assert_eq!(owned.len(), 1);

    // Analyse: the verdict is a value; its JSON form is the documented text.
    let report = store.analyze(&AnalysisQuery { min_n: 1, ..AnalysisQuery::default() })?;
    for line in &report.triggers {
        let action = line.action().map_or("keep".to_owned(), |a| a.to_string());
        println!("  {:<28} {:<16} {action}", line.trigger, line.verdict.to_string());
    }
    assert!(!report.triggers.is_empty());

    // Track a plan while it runs: a new id for the billing plan, its first phase started.
    let mut next = records[1].clone();
    next.plan.id = "tour-billing-2".parse()?;
    next.verification = None;
    store.record_plans(&[next.clone()], 1_762_800_000)?;
    let first = PhaseRef::Ordinal(1);
    store.move_phase(&next.plan.id, &first, PhaseStatus::Running, 1_762_800_060, Some("started"))?;
    let status = store.status(&next.plan.id)?;
    println!(
        "{} is {}: phase 1 {} since {}",
        status.plan_id, status.status, status.phases[0].status, status.phases[0].since
    );
    assert_eq!(status.status, PlanStatus::InProgress);

    // Errors carry what a program acts on.
    match store.move_phase(&next.plan.id, &first, PhaseStatus::Landed, 1_762_800_120, None) {
        Err(StoreError::IllegalTransition { transition, .. }) => {
            println!("cannot land a running phase; it may go to: {}", transition.legal.join(", "));
            assert!(transition.legal.contains(&"verifying".to_owned()));
        }
        other => panic!("expected an illegal transition, got {other:?}"),
    }
    match store.move_phase(
        &next.plan.id,
        &PhaseRef::Slug("no-such-phase".into()),
        PhaseStatus::Running,
        0,
        None,
    ) {
        Err(StoreError::NotFound(Missing::Phase { phase, .. })) => println!("no phase `{phase}`"),
        other => panic!("expected a missing phase, got {other:?}"),
    }
    match store.plan(&"no-such-plan".parse()?) {
        Err(StoreError::NotFound(Missing::Plan { id, .. })) => println!("no plan `{id}`"),
        other => panic!("expected a missing plan, got {other:?}"),
    }
    Ok(())
}
