//! Re-recording, tags, verification history, export/import, and the output of show and query.

use serde_json::json;

use crate::support::{sidecar, verified, Env};

#[test]
fn re_recording_keeps_user_tags_verifications_and_the_outcome_tag() {
    let env = Env::new();
    let dir = env.plan_dir("p", &verified("p-1", "abandoned", 100));
    env.ok(&["calibration", "record", &dir]);
    env.ok(&["calibration", "tag", "p-1", "owner=alice", "sprint=42"]);
    env.ok(&["calibration", "verify", &dir]);
    // The plan changes shape and its sidecar tags change; record it again.
    let mut changed = verified("p-1", "abandoned", 100);
    changed["tags"] = json!({"team": "platform"});
    changed["plan"]["flavor"] = json!("claude");
    let dir = env.plan_dir("p", &changed);
    let run = env.ok(&["calibration", "record", &dir]);
    assert!(run.stderr().contains("(0 new, 1 updated)"));

    let shown = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    let tags: Vec<(String, String, String)> = shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["key"].as_str().unwrap().into(),
                t["value"].as_str().unwrap().into(),
                t["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    let has = |k: &str, v: &str, s: &str| tags.contains(&(k.into(), v.into(), s.into()));
    assert!(has("owner", "alice", "user") && has("sprint", "42", "user"), "user tags kept: {tags:?}");
    assert!(has("outcome", "abandoned", "auto"), "outcome tag kept: {tags:?}");
    assert!(has("team", "platform", "sidecar") && !has("team", "core", "sidecar"), "sidecar tags replaced");
    assert!(has("flavor", "claude", "auto") && !has("flavor", "codex", "auto"), "auto tags re-derived");
    assert_eq!(shown["verifications"].as_array().unwrap().len(), 1, "verification kept");
}

#[test]
fn verifying_again_appends_and_the_newest_counts() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    env.ok(&["calibration", "verify", &env.plan_dir("p", &verified("p-1", "abandoned", 100))]);
    env.ok(&["calibration", "verify", &env.plan_dir("p", &verified("p-1", "shipped", 200))]);
    let shown = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    let outcomes: Vec<&str> =
        shown["verifications"].as_array().unwrap().iter().map(|v| v["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["abandoned", "shipped"]);
    let listed = env.ok(&["calibration", "query", "--tag", "outcome=shipped", "--format", "json"]).json();
    assert_eq!(listed[0]["id"], "p-1");
    assert_eq!(listed[0]["verifications"], 2);
    let none = env.ok(&["calibration", "query", "--tag", "outcome=abandoned", "--format", "json"]).json();
    assert_eq!(none, json!([]));
}

#[test]
fn tag_rules_are_enforced() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    let run = env.run(&["calibration", "untag", "p-1", "risk"]);
    assert_eq!(run.code(), 3);
    assert!(run.stderr().contains("cannot remove derived auto-tag key `risk`"), "{}", run.stderr());
    let run = env.run(&["calibration", "tag", "p-1", "scope=x"]);
    assert_eq!(run.code(), 3);
    assert!(run.stderr().contains("tag key `scope` is maintained by skillnet"), "{}", run.stderr());
    assert_eq!(env.run(&["calibration", "tag", "p-1", "Bad=x"]).code(), 3);
    assert_eq!(env.run(&["calibration", "tag", "p-404", "owner=x"]).code(), 4);
    assert_eq!(env.run(&["calibration", "untag", "p-1", "owner=nobody"]).code(), 4);
    env.ok(&["calibration", "tag", "p-1", "owner=a", "owner=b"]);
    let run = env.ok(&["calibration", "untag", "p-1", "owner"]);
    assert!(run.stderr().contains("2 tags removed"), "{}", run.stderr());
    assert_eq!(env.run(&["calibration", "show", "p-404"]).code(), 4);
}

#[test]
fn export_and_import_round_trip_a_whole_history() {
    let env = Env::new();
    for i in 0..5 {
        let id = format!("p-{i}");
        env.ok(&["calibration", "record", &env.plan_dir(&id, &verified(&id, "partial", 100 + i))]);
        if i % 2 == 0 {
            env.ok(&["calibration", "verify", &env.plan_dir(&id, &verified(&id, "partial", 100 + i))]);
            env.ok(&["calibration", "tag", &id, "owner=alice"]);
        }
    }
    let exported = env.ok(&["calibration", "export"]).stdout();
    assert_eq!(exported.lines().count(), 5);
    let file = env.path("history.jsonl");
    std::fs::write(&file, &exported).unwrap();
    let other = env.path("other.sqlite");
    let other = other.to_str().unwrap();
    env.ok(&["--database-url", other, "calibration", "import", "--jsonl", file.to_str().unwrap()]);
    let again = env.ok(&["--database-url", other, "calibration", "export"]).stdout();
    assert_eq!(again, exported);
    // Importing again replaces rather than duplicates.
    env.ok(&["--database-url", other, "calibration", "import", "--jsonl", file.to_str().unwrap()]);
    assert_eq!(env.ok(&["--database-url", other, "calibration", "export"]).stdout(), exported);
}

fn snapshot_env() -> Env {
    let env = Env::new();
    let dirs = [
        env.plan_dir("one", &verified("p-1", "shipped", 1_760_100_000)),
        env.plan_dir("two", &sidecar("p-2")),
    ];
    env.ok(&["calibration", "record", &dirs[0], &dirs[1]]);
    env.ok(&["calibration", "verify", &dirs[0]]);
    env.ok(&["calibration", "tag", "p-1", "owner=alice"]);
    env
}

/// The output with the temporary home and the wall clock masked, and runs of spaces folded so
/// that column widths (which follow the temporary path's length) do not matter.
fn stable(text: &str, env: &Env) -> String {
    let home = env.dir.path().canonicalize().unwrap();
    let text = text.replace(&home.display().to_string(), "[HOME]");
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.starts_with("recorded ") {
            out.push_str("recorded [NOW]\n");
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn show_and_query_output() {
    let env = snapshot_env();
    let show = env.ok(&["calibration", "show", "p-1", "--format", "table"]).stdout();
    insta::assert_snapshot!("show-table", stable(&show, &env));
    let mut json = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    json["recorded_at"] = json!("[NOW]");
    json["path"] = json!("[HOME]/plans/one");
    insta::assert_json_snapshot!("show-json", json);
    let query = env.ok(&["calibration", "query", "--format", "table"]).stdout();
    insta::assert_snapshot!("query-table", stable(&query, &env));
    let mut query = env.ok(&["calibration", "query", "--format", "json"]).json();
    for (plan, dir) in query.as_array_mut().unwrap().iter_mut().zip(["one", "two"]) {
        plan["path"] = json!(format!("[HOME]/plans/{dir}"));
    }
    insta::assert_json_snapshot!("query-json", query);
}

/// A reader that closes the pipe early (`skillnet ... --format json | head`) ends the run quietly,
/// as with tables: exit 0 and nothing on stderr.
#[test]
fn json_into_a_closed_pipe_exits_quietly() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    for args in [
        ["calibration", "show", "p-1", "--format", "json"],
        ["calibration", "query", "--format", "json", "--verified"],
        ["calibration", "routing", "--format", "json", "--quiet"],
    ] {
        let mut child = env
            .command(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The only reading end closes before the command writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// skillnet 0.6's `export --out FILE`, which never overwrites a file.
#[test]
fn export_out_writes_a_new_file_and_refuses_an_existing_one() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    let file = env.path("history.jsonl");
    let path = file.display().to_string();
    env.ok(&["calibration", "export", "--out", &path]);
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written.lines().count(), 1);
    let run = env.run(&["calibration", "export", "--out", &path]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(run.stderr().contains("refusing to overwrite"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
}

/// skillnet 0.6's `query --trigger T --fired|--missed`.
#[test]
fn query_by_trigger_fired_or_missed() {
    let env = Env::new();
    let mut missed = sidecar("p-missed");
    missed["triggers"][0]["input_value"] = json!(1.0);
    missed["triggers"][0]["fired"] = json!(false);
    missed["triggers"][0]["section_added"] = json!(null);
    env.ok(&["calibration", "record", &env.plan_dir("a", &sidecar("p-fired")), &env.plan_dir("b", &missed)]);
    let ids = |extra: &[&str]| -> Vec<String> {
        let mut args =
            vec!["calibration", "query", "--trigger", "shared-file-contention", "--format", "json"];
        args.extend_from_slice(extra);
        let listed = env.ok(&args).json();
        let mut ids: Vec<String> =
            listed.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().into()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&[]), ["p-fired", "p-missed"]);
    assert_eq!(ids(&["--fired"]), ["p-fired"]);
    assert_eq!(ids(&["--missed"]), ["p-missed"]);
    assert_eq!(env.run(&["calibration", "query", "--fired"]).code(), 2, "--fired needs --trigger");
}

/// Without `--limit`, `query` lists the newest 100 plans, as skillnet 0.6 did, and says on
/// stderr when more match; `--limit N` lists N.
#[test]
fn query_lists_the_newest_100_plans_unless_told_otherwise() {
    let env = Env::new();
    let lines: Vec<String> = (0..101)
        .map(|i| {
            let mut plan = sidecar(&format!("p-{i:03}"));
            plan["plan"]["created_at"] = json!(1_760_000_000 + i);
            plan.to_string()
        })
        .collect();
    let file = env.path("plans.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    env.ok(&["calibration", "record", "--jsonl", file.to_str().unwrap()]);
    let ids = |run: &crate::support::Run| -> Vec<String> {
        run.json().as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().into()).collect()
    };

    let newest = env.ok(&["calibration", "query", "--format", "json"]);
    let expected: Vec<String> = (1..101).rev().map(|i| format!("p-{i:03}")).collect();
    assert_eq!(ids(&newest), expected, "the newest 100, newest first");
    assert!(newest.stderr().contains("the newest 100 plans; more match (--limit N"), "{}", newest.stderr());
    let table = env.ok(&["calibration", "query", "--format", "table"]);
    assert_eq!(table.stdout().lines().filter(|l| l.starts_with("p-")).count(), 100);
    assert!(table.stderr().contains("more match"), "{}", table.stderr());

    let all = env.ok(&["calibration", "query", "--format", "json", "--limit", "500"]);
    assert_eq!(ids(&all).len(), 101);
    assert!(!all.stderr().contains("more match"), "{}", all.stderr());
    let few = env.ok(&["calibration", "query", "--format", "json", "--limit", "3"]);
    assert_eq!(ids(&few), ["p-100", "p-099", "p-098"]);
    assert!(!few.stderr().contains("more match"), "asked for 3: {}", few.stderr());
    let matching = env.ok(&["calibration", "query", "--format", "json", "--tag", "flavor=claude"]);
    assert!(ids(&matching).is_empty() && matching.stderr().is_empty(), "{}", matching.stderr());
}

/// `import` streams its file in one transaction: a bad line after good ones writes nothing, and
/// a file whose first line is bad does not even create the database.
#[test]
fn an_import_with_a_bad_line_anywhere_writes_nothing() {
    let env = Env::new().with_examples();
    let export = env.ok(&["calibration", "export"]).stdout();
    let file = env.path("history.jsonl");
    std::fs::write(&file, format!("{export}{{\"kind\": \"plan\", \"oops\": 1}}\n")).unwrap();
    let target = Env::new();
    target.ok(&["calibration", "record", &target.plan_dir("p", &crate::support::sidecar("p-1"))]);
    let before = target.counts();
    let run = target.run(&["calibration", "import", "--jsonl", &file.display().to_string()]);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    let line = export.lines().count() + 1;
    assert!(run.stderr().contains(&format!("line {line}")), "{}", run.stderr());
    assert_eq!(target.counts(), before);

    std::fs::write(&file, "not json\n").unwrap();
    let fresh = Env::new();
    assert_eq!(fresh.run(&["calibration", "import", "--jsonl", &file.display().to_string()]).code(), 3);
    assert!(!fresh.default_db().exists());
}
