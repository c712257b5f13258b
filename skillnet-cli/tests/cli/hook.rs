//! Skill uses: `hook ingest` as Claude Code runs it (never failing the harness), `hook
//! install|uninstall|status`, `usage record|report`, and the link from a use to the plan in
//! progress where it happened, shown by `show`.

use std::io::Write;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{sidecar, Env};

const PAYLOAD: &str = r#"{"session_id": "s-1", "tool_name": "Skill", "tool_use_id": "toolu_1",
  "tool_input": {"skill": "simplify"}, "tool_response": {"is_error": false}}"#;

/// Runs `skillnet ARGS` with `payload` on stdin; kills it after a minute, which no case may need.
fn with_stdin(env: &Env, args: &[&str], payload: &str) -> Output {
    let mut child = env
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(payload.as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("skillnet {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn uses(env: &Env) -> serde_json::Value {
    env.ok(&["usage", "report", "--since", "1970-01-01", "--format", "json"]).json()["skills"].clone()
}

#[test]
fn ingest_records_a_use_once_and_links_it_to_the_plan_in_progress() {
    let env = Env::new();
    let plan_dir = env.plan_dir("p", &sidecar("p-1"));
    env.ok(&["calibration", "record", &plan_dir]);
    let env = env.set("CLAUDE_PROJECT_DIR", format!("{plan_dir}/src")).set("CLAUDE_SESSION_ID", "s-env");
    for _ in 0..2 {
        let out = with_stdin(&env, &["hook", "ingest", "--event", "PostToolUse", "--strict"], PAYLOAD);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "a hook prints nothing on stdout");
    }
    let report = uses(&env);
    assert_eq!(report.as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report[0]["skill"], "simplify");
    assert_eq!(report[0]["harness"], "claude-code");
    assert_eq!(report[0]["uses"], 1, "the retried report (same tool_use_id) is stored once");

    let shown = env.ok(&["calibration", "show", "p-1"]).json();
    assert_eq!(shown["skills"][0]["skill"], "simplify");
    let table = env.ok(&["calibration", "show", "p-1", "--format", "table"]).stdout();
    assert!(table.contains("Skills used\nSKILL"), "{table}");
    let by_plan = env.ok(&["usage", "report", "--plan", "p-1", "--format", "json"]).json();
    assert_eq!(by_plan["skills"][0]["uses"], 1);
    assert_eq!(env.run(&["usage", "report", "--plan", "nope"]).code(), 4);
}

#[test]
fn ingest_without_strict_never_fails_the_harness() {
    let env = Env::new();
    let not_a_database = env.path("garbage.sqlite");
    std::fs::write(&not_a_database, "this is not an SQLite file, and never was one").unwrap();
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("a malformed payload", vec![], "{"),
        ("a payload that is not JSON at all", vec![], "Skill used: simplify"),
        (
            "an unreachable PostgreSQL server",
            vec!["--database-url", "postgres://u:hunter2@127.0.0.1:9/db"],
            PAYLOAD,
        ),
        ("a URL of no database skillnet knows", vec!["--database-url", "not://a/postgres/url"], PAYLOAD),
        ("a file that is not a database", vec!["--database-url", not_a_database.to_str().unwrap()], PAYLOAD),
        (
            "a directory that cannot be made",
            vec!["--database-url", "/proc/skillnet/calibration.sqlite"],
            PAYLOAD,
        ),
    ];
    for (what, flags, payload) in cases {
        let mut args = flags.clone();
        args.extend(["hook", "ingest", "--event", "PostToolUse"]);
        let out = with_stdin(&env, &args, payload);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
        assert!(stderr.starts_with("skillnet hook ingest failed: "), "{what}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{what}: {stderr}");
        // --strict reports the same failure with skillnet's exit codes.
        let mut strict = args.clone();
        strict.push("--strict");
        let code = with_stdin(&env, &strict, payload).status.code();
        assert!(matches!(code, Some(3 | 6)), "{what}: --strict exits {code:?}");
    }
    assert!(!env.default_db().exists(), "nothing was written anywhere else");
}

#[test]
fn ingest_without_strict_gives_up_on_a_silent_server_within_its_five_seconds() {
    // The kernel accepts connections on this port; nothing ever answers them.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("postgres://u@127.0.0.1:{}/db", silent.local_addr().unwrap().port());
    let env = Env::new();
    let started = Instant::now();
    let out =
        with_stdin(&env, &["--database-url", &url, "hook", "ingest", "--event", "PostToolUse"], PAYLOAD);
    let waited = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("skillnet hook ingest failed: "), "{stderr}");
    // It waited for the server (libpq's connect_timeout), and gave up instead of hanging.
    assert!(waited >= Duration::from_secs(4), "gave up after {waited:?}: {stderr}");
    assert!(waited < Duration::from_secs(30), "waited {waited:?}");
}

#[test]
fn ingest_without_strict_into_a_history_it_may_not_write_says_so_and_exits_0() {
    let env = Env::new();
    let db = env.path("history/calibration.sqlite");
    let payload = env.path("payload.json");
    std::fs::write(&payload, PAYLOAD).unwrap();
    let url = db.display().to_string();
    let ingest = ["--database-url", &url, "hook", "ingest", "--event", "PostToolUse"];
    let from_file = |strict: bool| {
        let mut args = ingest.to_vec();
        args.extend(["--payload-file", payload.to_str().unwrap()]);
        args.extend(strict.then_some("--strict"));
        env.as_nobody(&args)
    };
    env.ok(&["--database-url", &url, "usage", "report"]);
    env.readable_by_all(&[&db, &payload]);
    let before = std::fs::read(&db).unwrap();
    let Some(run) = from_file(false) else {
        return; // not root: file modes would not stop the writer
    };
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
    assert!(run.stderr().starts_with("skillnet hook ingest failed: "), "{}", run.stderr());
    assert!(run.stderr().contains("readonly database"), "{}", run.stderr());
    assert_eq!(from_file(true).unwrap().code(), 6);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the history changed");
}

#[test]
fn install_status_and_uninstall_touch_only_skillnet_s_entries() {
    let env = Env::new();
    let settings = env.path("claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let original = "{\"permissions\": {\"allow\": [\"Bash(ls)\"]}}\n";
    std::fs::write(&settings, original).unwrap();
    let path = settings.to_str().unwrap();

    let status = env.run(&["hook", "status", "--settings", path]);
    assert_eq!(
        (status.code(), status.stdout().as_str(), status.stderr().as_str()),
        (1, "not installed\n", "")
    );
    let dry = env.ok(&["hook", "install", "--settings", path, "--dry-run"]).stdout();
    assert!(dry.starts_with("would install skillnet hooks in"), "{dry}");
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), original, "a dry run writes nothing");

    assert_eq!(env.ok(&["hook", "install", "--settings", path]).stdout(), "installed\n");
    let installed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(
        installed["hooks"]["PostToolUse"][0]["hooks"][0]["command"],
        "skillnet hook ingest --event PostToolUse"
    );
    assert_eq!(installed["hooks"]["SessionEnd"][0]["matcher"], "Skill");
    assert_eq!(installed["permissions"], json!({"allow": ["Bash(ls)"]}));
    assert_eq!(env.ok(&["hook", "status", "--settings", path]).stdout(), "installed\n");

    assert_eq!(env.ok(&["hook", "uninstall", "--settings", path]).stdout(), "uninstalled\n");
    let left: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(left, json!({"permissions": {"allow": ["Bash(ls)"]}}));
    let backup = std::fs::read_to_string(format!("{path}.bak")).unwrap();
    assert_eq!(backup, original, "one backup, of the original");

    std::fs::write(&settings, "{ // not JSON\n").unwrap();
    let refused = env.run(&["hook", "install", "--settings", path]);
    assert_eq!(refused.code(), 3, "{}", refused.stderr());
    assert!(refused.stderr().contains("failed to parse Claude settings JSON"), "{}", refused.stderr());
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), "{ // not JSON\n");
}

#[test]
fn usage_record_is_the_harness_neutral_form() {
    let env = Env::new();
    let record = |event: &str, skill: &str, at: &str| {
        env.ok(&[
            "usage",
            "record",
            "--skill",
            skill,
            "--harness",
            "codex",
            "--session",
            "s",
            "--event-id",
            event,
            "--outcome",
            "ok",
            "--at",
            at,
        ])
        .stdout()
    };
    assert_eq!(record("e-1", "Simplify", "1700000000"), "recorded use of Simplify (codex)\n");
    assert_eq!(record("e-1", "Simplify", "1700000000"), "already recorded: event e-1 of codex\n");
    record("e-2", "plugin:simplify", "1700000100");
    let report = uses(&env);
    assert_eq!(
        report,
        json!([{"skill": "simplify", "harness": "codex", "uses": 2, "errors": 0,
        "first_used": 1_700_000_000, "last_used": 1_700_000_100}])
    );
    // The default window is the last 90 days, which these old uses are not in.
    let recent = env.ok(&["usage", "report"]).stdout();
    assert!(recent.starts_with("skill uses since ") && recent.trim_end().ends_with(": 0"), "{recent}");
    assert_eq!(env.run(&["usage", "report", "--since", "lately"]).code(), 2);
}
