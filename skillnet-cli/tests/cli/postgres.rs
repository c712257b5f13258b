//! The CLI against a real PostgreSQL server (started by the test harness).

use std::process::Stdio;

use skillnet_test_db::{postgres_database, postgres_server_url};

use crate::support::{sidecar, verified, Env};

#[test]
fn record_verify_and_show_against_postgres() {
    let Some(db) = postgres_database() else { return };
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let dir = env.plan_dir("p", &verified("p-1", "shipped", 100));
    env.ok(&["calibration", "record", &dir]);
    env.ok(&["calibration", "verify", &dir]);
    let shown = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    assert_eq!(shown["verifications"][0]["outcome"], "shipped");
    assert_eq!(shown["phases"].as_array().unwrap().len(), 3);
    let report = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(report["healthy"], true);
    assert_eq!(report["backend"], "postgres");
    assert!(!env.default_db().exists(), "nothing went to SQLite");
}

#[test]
fn an_unreachable_server_or_a_bad_login_exits_6_without_the_password() {
    let Some(server) = postgres_server_url() else { return };
    let env = Env::new();
    let dir = env.plan_dir("p", &sidecar("p-1"));
    // A role that does not exist, with a password in the URL.
    let bad_login = server.replacen("://", "://ghost:hunter2@", 1).replacen("skillnet@", "", 1);
    // Nothing listens on this socket directory.
    let stopped = "postgresql://skillnet:hunter2@/postgres?host=/nonexistent-socket-dir&port=1";
    for url in [bad_login.as_str(), stopped] {
        let run = env.run(&["--database-url", url, "calibration", "record", &dir]);
        assert_eq!(run.code(), 6, "{url}: {}", run.stderr());
        let stderr = run.stderr();
        assert!(!stderr.contains("hunter2"), "{stderr}");
        assert!(stderr.contains("***"), "the URL is shown redacted: {stderr}");
        assert!(stderr.lines().count() <= 2, "{stderr}");
    }
}

#[test]
fn sixteen_processes_migrate_a_fresh_database_exactly_once() {
    let Some(db) = postgres_database() else { return };
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let children: Vec<_> = (0..16)
        .map(|_| {
            env.command(&["calibration", "migrate"])
                .stderr(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        if stderr.contains("applied") {
            applied += 1;
        } else {
            assert!(stderr.contains("is up to date"), "{stderr}");
        }
    }
    assert_eq!(applied, 1, "exactly one process applied the migrations");
}

#[test]
fn copy_sqlite_to_postgres_and_back_keeps_the_whole_history() {
    let Some(pg) = postgres_database() else { return };
    let env = Env::new();
    let original = env.path("original.sqlite");
    let original = original.to_str().unwrap();
    env.record_history(original, 10_000);
    env.ok(&["--database-url", original, "calibration", "tag", "plan-00042", "owner=alice", "owner=bob"]);
    for (n, skill) in ["simplify", "Superpowers:simplify", "brainstorming"].into_iter().enumerate() {
        let (event, at) = (format!("toolu_{n}"), format!("{}", 1_700_000_000 + n));
        env.ok(&[
            "--database-url",
            original,
            "usage",
            "record",
            "--skill",
            skill,
            "--harness",
            "claude-code",
            "--session",
            "s-1",
            "--event-id",
            &event,
            "--at",
            &at,
        ]);
    }
    let before = env.ok(&["--database-url", original, "calibration", "export"]).stdout();
    assert_eq!(before.lines().count(), 10_003, "10,000 plans and 3 skill uses");
    let report = ["usage", "report", "--since", "1970-01-01", "--format", "json"];
    let usage_at = |url: &str| env.ok(&[&["--database-url", url][..], &report].concat()).stdout();
    let usage = usage_at(original);

    env.ok(&["calibration", "copy", "--from", original, "--to", pg.url()]);
    let back = env.path("back.sqlite");
    let back = back.to_str().unwrap();
    env.ok(&["calibration", "copy", "--from", pg.url(), "--to", back]);
    assert_eq!(env.ok(&["--database-url", pg.url(), "calibration", "export"]).stdout(), before);
    assert_eq!(env.ok(&["--database-url", back, "calibration", "export"]).stdout(), before);
    assert_eq!((usage_at(pg.url()), usage_at(back)), (usage.clone(), usage.clone()));

    // A target that holds plans is refused unless --force.
    let run = env.run(&["calibration", "copy", "--from", original, "--to", back]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(run.stderr().contains("already holds 10000 plans; pass --force"), "{}", run.stderr());
    env.ok(&["calibration", "copy", "--from", original, "--to", back, "--force"]);
    assert_eq!(env.ok(&["--database-url", back, "calibration", "export"]).stdout(), before);
}

/// Runs `args_list` as processes all at once; returns each one's exit code and stderr.
fn all_at_once(env: &Env, args_list: &[Vec<String>]) -> Vec<(i32, String)> {
    let children: Vec<_> = args_list
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            env.command(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
        })
        .collect()
}

/// Two processes recording the same plans at once, and four recording overlapping batches in
/// different orders, on PostgreSQL: 20 rounds, no failure, nothing lost.
#[test]
fn defect_2_processes_recording_the_same_plans_at_once_never_fail_on_postgres() {
    let Some(db) = postgres_database() else { return };
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let dirs: Vec<String> =
        (0..6).map(|i| env.plan_dir(&format!("p{i}"), &sidecar(&format!("p-{i}")))).collect();
    let batch = |picks: &[usize]| {
        let mut args = vec!["calibration".to_owned(), "record".to_owned()];
        args.extend(picks.iter().map(|&i| dirs[i].clone()));
        args
    };
    for round in 0..20 {
        let results = all_at_once(&env, &[batch(&[0]), batch(&[0])]);
        assert!(results.iter().all(|(code, _)| *code == 0), "round {round}, same plan: {results:?}");
        let results = all_at_once(
            &env,
            &[batch(&[0, 1, 2]), batch(&[2, 1, 0]), batch(&[1, 3, 4, 2]), batch(&[5, 4, 3, 0])],
        );
        assert!(
            results.iter().all(|(code, _)| *code == 0),
            "round {round}, overlapping batches: {results:?}"
        );
    }
    let counts = env.ok(&["calibration", "query", "--format", "json"]).json();
    assert_eq!(counts.as_array().unwrap().len(), 6);
}

/// Two processes accepting the same proposal at once on PostgreSQL: accepting an accepted
/// proposal is a no-op success, so both succeed, 20 rounds out of 20.
#[test]
fn defect_3_two_processes_accepting_one_proposal_at_once_both_succeed_on_postgres() {
    let Some(db) = postgres_database() else { return };
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let dir = env.plan_dir("p", &verified("p-1", "shipped", 1_760_100_000));
    env.ok(&["calibration", "record", &dir]);
    env.ok(&["calibration", "verify", &dir]);
    for round in 0..20 {
        let threshold = (5 + round).to_string();
        let proposal = env
            .ok(&[
                "calibration",
                "propose",
                "long-serial-chain",
                "--threshold",
                &threshold,
                "--rationale",
                "race",
                "--format",
                "json",
            ])
            .json();
        let id = proposal["id"].to_string();
        let accept: Vec<String> = ["calibration", "decide", &id, "accept", "--rationale", "race"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let results = all_at_once(&env, &[accept.clone(), accept]);
        assert!(results.iter().all(|(code, _)| *code == 0), "round {round}: {results:?}");
        let shown =
            env.ok(&["calibration", "heuristics", "show", "long-serial-chain", "--format", "json"]).json();
        assert_eq!(shown["active_threshold"].as_f64(), Some(5.0 + f64::from(round)));
    }
}

/// The validation that refuses NUL characters and oversized text runs before any backend, so
/// PostgreSQL refuses exactly what SQLite refuses, with the same message and exit code.
#[test]
fn defect_6_postgres_refuses_what_sqlite_refuses() {
    let Some(db) = postgres_database() else { return };
    let pg = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let sqlite = Env::new();
    let mut cases = Vec::new();
    for (name, value) in
        [("nul", serde_json::json!("bad\u{0}name")), ("huge", serde_json::json!("x".repeat(2 << 20)))]
    {
        let mut s = sidecar("p-1");
        s["plan"]["name"] = value;
        cases.push((name, s));
    }
    for (name, s) in cases {
        let runs: Vec<(i32, String)> = [&pg, &sqlite]
            .iter()
            .map(|env| {
                let run = env.run(&["calibration", "record", &env.plan_dir(name, &s)]);
                let stderr = run.stderr();
                (run.code(), stderr[stderr.find("field").unwrap_or(0)..].to_owned())
            })
            .collect();
        assert_eq!(runs[0], runs[1], "{name}");
        assert_eq!(runs[0].0, 3, "{name}: {}", runs[0].1);
    }
    assert_eq!(pg.ok(&["calibration", "query", "--format", "json"]).json(), serde_json::json!([]));
}

/// A batch recorded on PostgreSQL whose connection is cut mid-way (the server terminates it):
/// exit 6, and nothing of the batch is stored.
#[test]
fn defect_5_a_connection_lost_mid_batch_exits_6_and_writes_nothing() {
    let Some(db) = postgres_database() else { return };
    if std::process::Command::new("psql").arg("--version").output().is_err() {
        eprintln!("skipped: psql (PostgreSQL's client) is needed to cut the connection");
        return;
    }
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    // Migrated first, so that the cut finds the batch's transaction, not the migrations'.
    env.ok(&["calibration", "migrate"]);
    let lines: Vec<String> =
        (0..4000).map(|i| serde_json::to_string(&sidecar(&format!("p-{i}"))).unwrap()).collect();
    let file = env.path("batch.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let mut child = env
        .command(&["calibration", "record", "--jsonl", &file.display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Cut the connection that holds the batch's transaction open, as a restarting server does.
    let terminate = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut cut = false;
    while !cut && std::time::Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        let out = std::process::Command::new("psql").args([db.url(), "-tAc", terminate]).output().unwrap();
        cut = String::from_utf8_lossy(&out.stdout).trim() != "0";
    }
    let out = child.wait_with_output().unwrap();
    if !cut {
        eprintln!("skipped: the batch finished before its connection could be cut");
        return;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let recorded = env.ok(&["calibration", "query", "--limit", "5000", "--format", "json"]).json();
    // A cut that lands while the batch commits comes too late to lose it: then every plan is
    // there, never some of them.
    if out.status.success() {
        assert_eq!(recorded.as_array().map(Vec::len), Some(4000), "{stderr}");
        eprintln!("skipped: the connection was cut as the batch committed");
        return;
    }
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert_eq!(recorded, serde_json::json!([]));
}
