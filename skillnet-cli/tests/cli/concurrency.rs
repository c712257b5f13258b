//! Many processes writing one SQLite file at once lose nothing and never see "database is
//! locked" (writes take the lock up front and wait behind the busy timeout).

use std::process::Stdio;

use crate::support::{sidecar, Env};

#[test]
fn eight_processes_recording_200_plans_each_into_one_file() {
    let env = Env::new();
    let db = env.path("shared.sqlite");
    let mut children = Vec::new();
    for p in 0..8 {
        let lines: Vec<String> = (0..200).map(|i| sidecar(&format!("proc{p}-plan{i}")).to_string()).collect();
        let file = env.path(&format!("batch{p}.jsonl"));
        std::fs::write(&file, lines.join("\n")).unwrap();
        let child = env
            .command(&[
                "--database-url",
                db.to_str().unwrap(),
                "calibration",
                "record",
                "--jsonl",
                file.to_str().unwrap(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        children.push(child);
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a recording process failed: {stderr}");
        assert!(stderr.contains("recorded 200 plans (200 new, 0 updated)"), "{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    let counts = crate::support::counts_at(&db);
    assert_eq!(counts.plans, 1600);
    assert_eq!(counts.phases, 1600 * 3);
    assert_eq!(counts.triggers, 1600 * 3);
}
