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

/// `status --watch` on a pseudo-terminal (through `script`), while another process moves the
/// phases: it shows each new status and exits by itself once the plan is done. Each move waits
/// until the previous status is on the screen, so the test does not depend on timing.
#[test]
fn status_watch_follows_the_plan_until_it_is_done() {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    let line = format!("{} calibration status p-1 --watch --format table", env!("CARGO_BIN_EXE_skillnet"));
    // `script` runs the command line on a pseudo-terminal and copies what it draws to stdout.
    let mut watcher = env
        .command(&[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn_with_program("script", &["-q", "-e", "-c", &line, "/dev/null"]);
    let screen = Arc::new(Mutex::new(String::new()));
    let mut stdout = watcher.stdout.take().unwrap();
    let reader = {
        let screen = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        while !screen.lock().unwrap().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "never showed `{text}`:\n{}",
                screen.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("recorded");
    let steps = [
        ("1", "start", "running"),
        ("1", "verify", "verifying"),
        ("1", "land", "landed"),
        ("2", "skip", "skipped"),
    ];
    for (phase, action, shows) in steps {
        env.ok(&["calibration", "phase", "p-1", phase, action]);
        wait_for(shows);
    }
    env.ok(&["calibration", "phase", "p-1", "3", "start"]);
    env.ok(&["calibration", "phase", "p-1", "3", "fail"]);
    let status = watcher.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success(), "the watch exits by itself once the plan is done");
    let screen = screen.lock().unwrap();
    assert!(screen.contains("done"), "{screen}");
    assert!(screen.contains("\u{1b}[J"), "it redraws in place rather than scrolling");
}

/// Runs another program with the environment and directory of a prepared command.
trait SpawnWith {
    fn spawn_with_program(&mut self, program: &str, args: &[&str]) -> std::process::Child;
}

impl SpawnWith for std::process::Command {
    fn spawn_with_program(&mut self, program: &str, args: &[&str]) -> std::process::Child {
        let mut cmd = std::process::Command::new(program);
        cmd.args(args).env_clear().stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (k, v) in self.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        if let Some(dir) = self.get_current_dir() {
            cmd.current_dir(dir);
        }
        cmd.spawn().unwrap_or_else(|e| panic!("cannot run {program} (util-linux): {e}"))
    }
}
