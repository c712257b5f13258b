//! Opens a store, records one plan from a sidecar, verifies it, and reads it back.
//!
//! ```sh
//! cargo run -p skillnet-store --example record_plan                       # a temporary SQLite file
//! cargo run -p skillnet-store --example record_plan -- sqlite:///tmp/x.sqlite
//! cargo run -p skillnet-store --features postgres --example record_plan -- postgres://me@localhost/skillnet
//! ```

use std::error::Error;

use skillnet_core::sidecar;
use skillnet_store::PlanQuery;

const SIDECAR: &str = include_str!("../../examples/plans/billing-migration/.calibration.json");

fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("calibration.sqlite").display()));
    let store = skillnet_store::open(&url)?;
    println!("opened {} ({})", store.url(), store.backend());

    let record = sidecar::parse(SIDECAR, "billing-migration/.calibration.json")?;
    let id = record.plan.id.clone();
    let verification = record.verification.clone().expect("the example plan is verified");
    let summary = store.record_plans(&[record], 1_762_700_000)?;
    println!("recorded: {} new, {} updated", summary.new, summary.updated);
    store.verify_plans(&[(id.clone(), verification)])?;

    let details = store.plan(&id)?;
    println!(
        "{} has {} phases and {} triggers",
        details.plan.name,
        details.phases.len(),
        details.triggers.len()
    );
    for tag in &details.tags {
        println!("  tag {}={} ({})", tag.key, tag.value, tag.source);
    }
    let verified = store.query_plans(&PlanQuery { verified: Some(true), ..PlanQuery::default() })?;
    println!("{} verified plan(s)", verified.len());
    Ok(())
}
