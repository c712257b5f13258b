//! `calibration phase` and `calibration status`: tracking a running plan from the command line.

use std::process::Stdio;

use crate::support::{sidecar, Env};

fn status(env: &Env, plan: &str) -> serde_json::Value {
    env.ok(&["calibration", "status", plan, "--format", "json"]).json()
}

#[test]
fn phases_move_by_ordinal_or_slug_and_illegal_moves_exit_5() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    assert_eq!(status(&env, "p-1")["status"], "recorded");
    let run = env.ok(&["calibration", "phase", "p-1", "schema", "start", "--at", "100", "--note", "agent 7"]);
    assert!(
        run.stderr().contains("phase 1 (schema) of plan p-1: queued -> running (attempt 1)"),
        "{}",
        run.stderr()
    );
    env.ok(&["calibration", "phase", "p-1", "1", "verify", "--at", "160"]);
    let run = env.run(&["calibration", "phase", "p-1", "1", "skip"]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(
        run.stderr().contains("from `verifying` to `skipped`; legal next states: running, landed, failed"),
        "{}",
        run.stderr()
    );
    env.ok(&["calibration", "phase", "p-1", "1", "fail", "--at", "170"]);
    env.ok(&["calibration", "phase", "p-1", "1", "retry", "--at", "180"]);
    let s = status(&env, "p-1");
    assert_eq!(s["phases"][0]["status"], "queued");
    assert_eq!(s["phases"][0]["attempt"], 2);
    assert_eq!(s["phases"][0]["since"], 180);
    env.ok(&["calibration", "phase", "p-1", "1", "start"]);
    assert_eq!(status(&env, "p-1")["status"], "in-progress");
    for phase in ["2", "3"] {
        env.ok(&["calibration", "phase", "p-1", phase, "skip"]);
    }
    env.ok(&["calibration", "phase", "p-1", "1", "verify"]);
    env.ok(&["calibration", "phase", "p-1", "1", "land"]);
    assert_eq!(status(&env, "p-1")["status"], "done");
    let run = env.run(&["calibration", "phase", "p-1", "1", "start"]);
    assert_eq!(run.code(), 5);
    assert!(run.stderr().contains("`landed` is final"), "{}", run.stderr());
    assert_eq!(env.run(&["calibration", "phase", "p-1", "9", "start"]).code(), 4);
    assert_eq!(env.run(&["calibration", "phase", "p-404", "1", "start"]).code(), 4);
    assert_eq!(env.run(&["calibration", "phase", "p-1", "1", "explode"]).code(), 2);
    let shown = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    assert_eq!(shown["transitions"][0]["note"], "agent 7");
    assert_eq!(shown["transitions"].as_array().unwrap().len(), 9);
}

#[test]
fn two_processes_racing_to_start_one_phase_exactly_one_wins() {
    let env = Env::new();
    let ids: Vec<String> = (0..5).map(|i| format!("race-{i}")).collect();
    let dirs: Vec<String> = ids.iter().map(|id| env.plan_dir(id, &sidecar(id))).collect();
    let mut args = vec!["calibration", "record"];
    args.extend(dirs.iter().map(String::as_str));
    env.ok(&args);
    for id in &ids {
        let racers: Vec<_> = (0..2)
            .map(|_| {
                env.command(&["calibration", "phase", id, "1", "start"])
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let codes: Vec<i32> =
            racers.into_iter().map(|c| c.wait_with_output().unwrap().status.code().unwrap()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(sorted, [0, 5], "{id}: exit codes {codes:?}");
        let shown = env.ok(&["calibration", "show", id, "--format", "json"]).json();
        assert_eq!(shown["transitions"].as_array().unwrap().len(), 1);
    }
}
