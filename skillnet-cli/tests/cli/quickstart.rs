//! The README's first command: record, verify, list and analyze the example plans with no
//! configuration.

use crate::support::{repo_root, Env};

#[test]
fn the_example_plans_record_verify_list_and_analyze_with_no_configuration() {
    let env = Env::new();
    let plans: Vec<String> = std::fs::read_dir(repo_root().join("examples/plans"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    assert!(plans.len() >= 5, "the repository ships example plans");
    let mut args = vec!["calibration", "record"];
    args.extend(plans.iter().map(String::as_str));
    let run = env.ok(&args);
    assert!(run.stderr().contains(&format!(
        "recorded {} plans ({} new, 0 updated)",
        plans.len(),
        plans.len()
    )));
    args[1] = "verify";
    let run = env.ok(&args);
    assert!(run.stderr().contains("verified 3 plans"), "{}", run.stderr());
    assert!(run.stderr().contains("skipped 2 sidecars without a verify block yet"));

    assert!(env.default_db().exists(), "the database lives in the XDG data directory");
    let listed = env.ok(&["calibration", "query", "--format", "json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), plans.len());
    let verified = env.ok(&["calibration", "query", "--verified", "--format", "json"]).json();
    assert_eq!(verified.as_array().unwrap().len(), 3);
    let table = env.ok(&["calibration", "query", "--format", "table"]).stdout();
    assert!(table.contains("Move invoices to the new billing service"), "{table}");

    // 3 verified plans x 15 catalog triggers; one trigger has a suggestion (the analyze snapshots
    // in calibration.rs show the whole table).
    let table = env.ok(&["calibration", "analyze", "--min-n", "1", "--format", "table"]).stdout();
    assert!(table.contains("45 rows") && table.contains("raise threshold (4->5)"), "{table}");
}
