//! The README's first command: init, record, verify, list and analyze the example plans with no
//! configuration.

use std::path::Path;

use crate::support::{repo_root, Env};

/// Copies a plan directory (flat) into `to`.
fn copy_plan(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn the_example_plans_init_record_verify_list_and_analyze_with_no_configuration() {
    let env = Env::new();
    let mut originals: Vec<_> =
        std::fs::read_dir(repo_root().join("examples/plans")).unwrap().map(|e| e.unwrap().path()).collect();
    originals.sort();
    assert!(originals.len() >= 5, "the repository ships example plans");
    let plans: Vec<String> = originals
        .iter()
        .map(|from| {
            let to = env.path("plans").join(from.file_name().unwrap());
            copy_plan(from, &to);
            to.display().to_string()
        })
        .collect();

    // init rewrites each sidecar from its plan files, keeping its id and verify block: on a
    // fresh machine that gives exactly the sidecars the repository ships.
    let mut args = vec!["calibration", "init", "--force"];
    args.extend(plans.iter().map(String::as_str));
    let run = env.ok(&args);
    assert_eq!(run.stdout().matches("wrote ").count(), plans.len());
    for (from, to) in originals.iter().zip(&plans) {
        let shipped = std::fs::read_to_string(from.join(".calibration.json")).unwrap();
        let written = std::fs::read_to_string(Path::new(to).join(".calibration.json")).unwrap();
        assert_eq!(written, shipped, "{} is not what init writes", from.display());
    }
    assert!(!env.default_db().exists(), "init created a database");

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
