//! Every rejection of SPEC §4: exit code 3, one message naming the file and the problem, and
//! the database exactly as it was.

use serde_json::{json, Value};

use crate::support::{sidecar, verified, Env};

/// Turns a valid sidecar into a bad one.
type Breaker = Box<dyn Fn(&mut Value)>;

/// Each case: how to break a valid sidecar, and what the message must say.
fn cases() -> Vec<(&'static str, Breaker, &'static str)> {
    vec![
        ("schema-version", Box::new(|s| s["schema_version"] = json!(2)), "unsupported calibration sidecar schema_version 2; expected 1"),
        (
            "fired-contradicts",
            Box::new(|s| s["triggers"][1]["fired"] = json!(true)),
            "field `triggers[1].fired`: trigger `long-serial-chain` has fired=true but input_value 3 < threshold 4",
        ),
        (
            "duplicate-ordinal",
            Box::new(|s| s["phases"][2]["ordinal"] = json!(1)),
            "field `phases[2].ordinal`: phase ordinal 1 appears more than once",
        ),
        (
            "phase-count",
            Box::new(|s| s["plan"]["phase_count"] = json!(4)),
            "phase_count is 4 but 3 phases are listed",
        ),
        (
            "negative-count",
            Box::new(|s| s["plan"]["wave_count"] = json!(-1)),
            "field `plan.wave_count`: must not be negative, found -1",
        ),
        (
            "bad-outcome",
            Box::new(|s| {
                *s = verified("p-x", "shipped", 1);
                s["verify"]["outcome"] = json!("merged");
            }),
            "field `verify.outcome`: malformed calibration sidecar: unknown variant `merged`, expected one of `shipped`, `partial`, `abandoned`",
        ),
        ("bad-tag-key", Box::new(|s| s["tags"] = json!({"Team Name": "x"})), "invalid tag key `Team Name`"),
        ("empty-plan-id", Box::new(|s| s["plan"]["id"] = json!("")), "the plan id must be a non-empty string"),
        ("not-json", Box::new(|s| *s = json!("{")), "invalid type: string"),
    ]
}

#[test]
fn every_bad_sidecar_is_rejected_with_exit_3_and_nothing_written() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("good", &sidecar("p-good"))]);
    let before = env.counts();
    assert_eq!(before.plans, 1);
    for (name, breaks, expected) in cases() {
        let mut s = sidecar("p-bad");
        breaks(&mut s);
        let dir = env.plan_dir(name, &s);
        for command in ["record", "verify"] {
            let run = env.run(&["calibration", command, &dir]);
            assert_eq!(run.code(), 3, "{name} ({command}): {}", run.stderr());
            let stderr = run.stderr();
            assert!(stderr.contains(&format!("{dir}/.calibration.json")), "{name}: names the file: {stderr}");
            assert!(stderr.contains(expected), "{name}: says what is wrong: {stderr}");
            assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
            assert_eq!(env.counts(), before, "{name} ({command}) wrote something");
        }
    }
}

#[test]
fn a_batch_with_one_bad_sidecar_in_the_middle_writes_nothing() {
    let env = Env::new();
    let mut bad = sidecar("p-2");
    bad["plan"]["phase_count"] = json!(7);
    let dirs =
        [env.plan_dir("a", &sidecar("p-1")), env.plan_dir("b", &bad), env.plan_dir("c", &sidecar("p-3"))];
    let run = env.run(&["calibration", "record", &dirs[0], &dirs[1], &dirs[2]]);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert_eq!(env.counts().plans, 0);

    let lines: Vec<String> = [sidecar("p-1"), bad, sidecar("p-3")].iter().map(|s| s.to_string()).collect();
    let file = env.path("batch.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let run = env.run(&["calibration", "record", "--jsonl", file.to_str().unwrap()]);
    assert_eq!(run.code(), 3);
    assert!(run.stderr().contains("batch.jsonl line 2: field `plan.phase_count`"), "{}", run.stderr());
    assert_eq!(env.counts().plans, 0);
}

#[test]
fn verifying_an_unknown_plan_is_not_found_and_writes_nothing() {
    let env = Env::new();
    let known = env.plan_dir("known", &verified("p-known", "shipped", 10));
    env.ok(&["calibration", "record", &known]);
    let unknown = env.plan_dir("unknown", &verified("p-unknown", "shipped", 10));
    let run = env.run(&["calibration", "verify", &known, &unknown]);
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(
        run.stderr().contains("unknown calibration plan id p-unknown (record it before verifying it)"),
        "{}",
        run.stderr()
    );
    assert_eq!(env.counts().verifications, 0);
}

#[test]
fn a_missing_sidecar_is_invalid_input() {
    let env = Env::new();
    let run = env.run(&["calibration", "record", "no-such-dir"]);
    assert_eq!(run.code(), 3);
    assert!(run.stderr().contains("cannot read the sidecar no-such-dir"), "{}", run.stderr());
}

#[test]
fn a_skillnet_0_6_sidecar_records_verifies_and_shows_every_field() {
    let env = Env::new();
    // Exactly the fields skillnet 0.6 writes, plus one it may add later (ignored).
    let mut s = verified("0b0e7d1c-5f1a-4a52-8a7e-2f0c6c1d9e01", "partial", 1_762_000_000);
    s["verify"]["emergency_changes"] = json!({"files": ["deploy.yaml"], "reverted": [1, 2]});
    s["verify"]["surprises"] =
        json!("missed-signal: shared-file-contention: api and schema both edited db.rs");
    s["future_field"] = json!({"x": 1});
    let dir = env.plan_dir("v06", &s);
    env.ok(&["calibration", "record", &dir]);
    env.ok(&["calibration", "verify", &dir]);
    let shown =
        env.ok(&["calibration", "show", "0b0e7d1c-5f1a-4a52-8a7e-2f0c6c1d9e01", "--format", "json"]).json();
    // skillnet 0.6's shape: the plan's fields at the top level, the newest verification as `verify`.
    let plan = &shown;
    for (field, value) in s["plan"].as_object().unwrap() {
        assert_eq!(&plan[field], value, "plan.{field}");
    }
    assert_eq!(plan["capture_reasons"], s["meta_heuristics_fired"]);
    assert_eq!(shown["phases"], s["phases"]);
    assert_eq!(shown["triggers"], s["triggers"]);
    assert_eq!(shown["verifications"], json!([s["verify"]]));
    assert_eq!(shown["verify"], s["verify"]);
    let tags = shown["tags"].as_array().unwrap();
    assert!(tags.contains(&json!({"key": "team", "value": "core", "source": "sidecar"})));
    assert!(tags.contains(&json!({"key": "outcome", "value": "partial", "source": "auto"})));
}

#[test]
fn verifying_sidecars_without_any_verify_block_is_not_found_as_in_0_6() {
    let env = Env::new();
    let dir = env.plan_dir("p", &sidecar("p-1"));
    env.ok(&["calibration", "record", &dir]);
    let run = env.run(&["calibration", "verify", &dir]);
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(
        run.stderr().contains(&format!("no verify section in sidecar {dir}/.calibration.json")),
        "{}",
        run.stderr()
    );
    assert_eq!(env.counts().verifications, 0);
}

#[test]
fn record_and_verify_print_0_6_s_confirmation_lines_on_stdout() {
    let env = Env::new();
    let dir = env.plan_dir("p", &verified("p-1", "partial", 1_760_100_000));
    let run = env.ok(&["calibration", "record", &dir]);
    assert_eq!(run.stdout(), "recorded p-1 (3 triggers, 3 phases, 6 tags)\n");
    let run = env.ok(&["calibration", "verify", &dir]);
    assert_eq!(run.stdout(), "verified p-1: partial (2/3 phases passed)\n");
}

#[test]
fn a_user_error_prints_no_backtrace_even_when_rust_backtrace_asks_for_one() {
    let env = Env::new().set("RUST_BACKTRACE", "1");
    let mut bad = sidecar("p-bad");
    bad["plan"]["phase_count"] = json!(4);
    let bad_dir = env.plan_dir("bad", &bad);
    let no_readme = env.path("no-readme");
    std::fs::create_dir_all(&no_readme).unwrap();
    let no_readme = no_readme.to_str().unwrap().to_owned();
    let cases: [(&[&str], i32); 4] = [
        (&["calibration", "record", &bad_dir], 3),
        (&["calibration", "init", "--offline", "--stdout", &no_readme], 4),
        (&["calibration", "show", "no-such-plan"], 4),
        (&["--database-url", "mysql://nowhere/db", "calibration", "analyze"], 6),
    ];
    for (args, code) in cases {
        let run = env.run(args);
        let stderr = run.stderr();
        assert_eq!(run.code(), code, "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line, no backtrace: {stderr}");
    }
}
