//! Calibrating the heuristics: `analyze`, `propose`, `proposals`, `decide`, `export-changelog`,
//! `walkthrough` and `heuristics list|show`, on the example plans of the README.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use serde_json::{json, Value};

use crate::support::Env;

/// The active threshold of `heuristic`, as `heuristics show` reports it.
fn active(env: &Env, heuristic: &str) -> Value {
    env.ok(&["calibration", "heuristics", "show", heuristic, "--format", "json"]).json()["active_threshold"]
        .clone()
}

/// Proposes a threshold change and returns the proposal's id.
fn propose(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["calibration", "propose"];
    all.extend(args);
    all.extend(["--format", "json"]);
    env.ok(&all).json()["id"].to_string()
}

/// The analysis table with the wall clock masked: `analyzed_at` is the only part that moves.
fn mask_clock(table: &str) -> String {
    let (head, rest) = table.split_once('\n').unwrap();
    let (_, tail) = head.split_once(" UTC: ").unwrap();
    format!("analyzed at [NOW] UTC: {tail}\n{rest}")
}

/// The example plans, worked out by hand for `--min-n 1` (SPEC §6). Three are verified:
/// auth-rewrite (shipped; surprise `dead-weight: long-serial-chain`), billing-migration (partial;
/// `missed-signal: shared-file-contention`; its emergency changes name only `infra-SPOF`) and
/// docs-refresh (shipped; `dead-weight: no-integrated-verification`): 3 plans x 15 triggers = 45
/// rows.
///
/// - long-serial-chain fired on auth-rewrite (dead weight: FP) and billing-migration (partial,
///   helpful: TP), not on docs-refresh (TN): fires 2, misses 1, fire rate 2/3 = 0.67, signal
///   (1 - 1 - 0) / 2 = 0 <= 0 with fire rate >= 0.5: raise 4 -> 5, supported by the FP plan
///   auth-rewrite (…a01). The only proposal.
/// - shared-file-contention fired on auth-rewrite (TP), missed billing-migration (missed signal:
///   FN), docs-refresh TN: signal (1 - 0 - 1) / 2 = 0 but fire rate 1/3 < 0.5: hold.
/// - no-integrated-verification fired only on docs-refresh (dead weight: FP): signal -1, fire rate
///   1/3: hold.
/// - revendor-phase, mid-plan-rerouting and routing-tier-inversion never fired on a verified plan
///   (search-reindex is not verified): n=0 < min-n=1, signal null (—).
/// - No band reaches 30 fires: no skew warnings.
#[test]
fn analyze_the_example_plans() {
    let env = Env::new().with_examples();
    let table = env.ok(&["calibration", "analyze", "--min-n", "1", "--format", "table"]).stdout();
    insta::assert_snapshot!("analyze-table", mask_clock(&table));
    let mut report = env.ok(&["calibration", "analyze", "--min-n", "1", "--format", "json"]).json();
    let analyzed_at = report["analyzed_at"].as_str().unwrap();
    assert!(
        analyzed_at.len() == 19 && analyzed_at.as_bytes()[10] == b' ',
        "UTC `YYYY-MM-DD HH:MM:SS`: {analyzed_at}"
    );
    report["analyzed_at"] = json!("[NOW]");
    insta::assert_json_snapshot!("analyze-json", report);

    // With the default min-n of 10 nothing is judged yet.
    let table = env.ok(&["calibration", "analyze", "--format", "table"]).stdout();
    insta::assert_snapshot!("analyze-table-default-min-n", mask_clock(&table));

    // Filters: one trigger; tags (AND), which turn the skew check off and are echoed back.
    let one =
        env.ok(&["calibration", "analyze", "--trigger", "long-serial-chain", "--format", "json"]).json();
    assert_eq!(one["triggers"].as_array().unwrap().len(), 1);
    assert_eq!(one["dataset_size"], 3);
    let codex = env
        .ok(&[
            "calibration",
            "analyze",
            "--filter-tag",
            "flavor=codex",
            "--filter-tag",
            "outcome=partial",
            "--min-n",
            "1",
            "--format",
            "json",
        ])
        .json();
    // Only billing-migration is a codex plan that went partially.
    assert_eq!(codex["dataset_size"], 15);
    assert_eq!(
        codex["filter_tags"],
        json!([{"key": "flavor", "value": "codex"}, {"key": "outcome", "value": "partial"}])
    );
    assert_eq!(codex["filter_tags_applied"], codex["filter_tags"]);
    let run = env.ok(&["calibration", "analyze", "--trigger", "no-such-heuristic", "--format", "json"]);
    assert_eq!(run.json()["triggers"], json!([]));
    assert!(run.stderr().contains("no verified plan matching the filters has trigger `no-such-heuristic`"));
}

#[test]
fn propose_decide_and_the_threshold_in_force() {
    let env = Env::new().with_examples();
    assert_eq!(active(&env, "long-serial-chain"), 4.0);

    // The analysis's move by default; the evidence is the analysis line.
    let proposal = env
        .ok(&[
            "calibration",
            "propose",
            "long-serial-chain",
            "--min-n",
            "1",
            "--rationale",
            "never stalled",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(proposal["state"], "pending");
    assert_eq!(
        (proposal["current_threshold"].as_f64(), proposal["proposed_threshold"].as_f64()),
        (Some(4.0), Some(5.0))
    );
    assert_eq!(proposal["evidence"]["verdict"], "raise threshold (4->5)");
    assert_eq!(proposal["evidence"]["min_n"], 1);
    let id = proposal["id"].to_string();
    let table = env.ok(&["calibration", "proposals", "--pending", "--format", "table"]).stdout();
    let row: Vec<&str> = table.lines().nth(1).unwrap_or_default().split_whitespace().collect();
    assert_eq!(row[..5], [id.as_str(), "long-serial-chain", "4", "5", "pending"], "{table}");
    assert_eq!(env.ok(&["calibration", "proposals", "--accepted", "--format", "json"]).json(), json!([]));

    // Accepting makes it the active threshold.
    let run = env.ok(&["calibration", "decide", &id, "accept", "--rationale", "agreed", "--format", "table"]);
    assert!(run.stdout().contains(&format!("proposal {id}: pending -> accepted")), "{}", run.stdout());
    assert!(run.stdout().contains("in force: long-serial-chain: threshold 5 (proposal"), "{}", run.stdout());
    assert_eq!(active(&env, "long-serial-chain"), 5.0);
    let shown =
        env.ok(&["calibration", "heuristics", "show", "long-serial-chain", "--format", "json"]).json();
    assert_eq!(shown["source"]["type"], "proposal");
    assert_eq!(shown["source"]["proposal_id"].to_string(), id);
    assert_eq!(shown["proposals"][0]["decision_rationale"], "agreed");
    assert_eq!(shown["proposals"][0]["rationale"], "never stalled", "the proposal keeps its own rationale");

    // Accepting again changes nothing and succeeds; any other move out of `accepted` is exit 5.
    let again =
        env.ok(&["calibration", "decide", &id, "accept", "--rationale", "twice", "--format", "json"]).json();
    assert_eq!(again["effect"], "no-op");
    assert_eq!(again["proposal"]["decision_rationale"], "agreed");
    let run = env.ok(&["calibration", "decide", &id, "accept", "--rationale", "twice", "--format", "table"]);
    assert!(run.stdout().contains(&format!("proposal {id} was already accepted: nothing changed")));
    for decision in ["reject", "withdraw"] {
        let run = env.run(&["calibration", "decide", &id, decision, "--rationale", "no"]);
        assert_eq!(run.code(), 5, "{}", run.stderr());
        assert!(
            run.stderr().contains(&format!("proposal {id} is already accepted: cannot {decision} it")),
            "{}",
            run.stderr()
        );
    }

    // A threshold under filter tags applies beside the overall one.
    let codex = propose(
        &env,
        &[
            "convergence-point",
            "--filter-tag",
            "flavor=codex",
            "--threshold",
            "2",
            "--rationale",
            "late merges",
        ],
    );
    env.ok(&["calibration", "decide", &codex, "accept", "--rationale", "yes"]);
    let shown =
        env.ok(&["calibration", "heuristics", "show", "convergence-point", "--format", "json"]).json();
    assert_eq!(shown["active_threshold"], 3.0, "the overall threshold stays the default");
    assert_eq!(shown["by_filter_tags"][0]["threshold"], 2.0);
    assert_eq!(shown["by_filter_tags"][0]["filter_tags"], json!([{"key": "flavor", "value": "codex"}]));
    let list = env.ok(&["calibration", "heuristics", "list", "--format", "table"]).stdout();
    assert!(list.contains(&format!("flavor=codex: 2 (proposal {codex})")), "{list}");

    // A newer accepted proposal for the same trigger and filter tags supersedes the older one.
    let newer = propose(&env, &["long-serial-chain", "--threshold", "6", "--rationale", "still too eager"]);
    let decided =
        env.ok(&["calibration", "decide", &newer, "accept", "--rationale", "ok", "--format", "json"]).json();
    assert_eq!(decided["superseded"].to_string(), id);
    assert_eq!(decided["active_threshold"], 6.0);
    let superseded = env.ok(&["calibration", "proposals", "--superseded", "--format", "json"]).json();
    assert_eq!(superseded[0]["id"].to_string(), id);
    assert_eq!(superseded[0]["superseded_by"].to_string(), newer);
    assert_eq!(active(&env, "long-serial-chain"), 6.0);

    // Rejecting and withdrawing leave the threshold alone.
    let rejected = propose(&env, &["long-serial-chain", "--threshold", "9", "--rationale", "too far"]);
    let run = env.ok(&[
        "calibration",
        "decide",
        &rejected,
        "reject",
        "--rationale",
        "too far",
        "--format",
        "table",
    ]);
    assert!(run.stdout().contains("in force: long-serial-chain: threshold 6 (proposal"), "{}", run.stdout());
    let withdrawn = propose(&env, &["long-serial-chain", "--threshold", "7", "--rationale", "maybe"]);
    env.ok(&["calibration", "decide", &withdrawn, "withdraw", "--rationale", "never mind"]);
    assert_eq!(active(&env, "long-serial-chain"), 6.0);
    let states: Vec<String> = env
        .ok(&["calibration", "proposals", "--format", "json"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["superseded", "accepted", "accepted", "rejected", "withdrawn"]);
}

/// A fixed history: two accepted changes (one later superseded), one under filter tags, and a
/// rejected, a withdrawn and a pending proposal that never changed a threshold.
fn changelog_env() -> Env {
    let env = Env::new().with_examples();
    let decide = |id: &str, decision: &str, rationale: &str, at: &str| {
        env.ok(&["calibration", "decide", id, decision, "--rationale", rationale, "--at", at]);
    };
    // 2025-11-09 14:53:20 UTC, accepted 2025-11-10 14:53:20 UTC.
    let first = propose(
        &env,
        &[
            "long-serial-chain",
            "--min-n",
            "1",
            "--rationale",
            "auth-rewrite's chain never stalled",
            "--at",
            "1762700000",
        ],
    );
    decide(&first, "accept", "agreed in the planning review", "1762786400");
    // Accepted 2025-11-11 16:53:20 UTC, under a filter tag, with a two-paragraph rationale.
    let codex = propose(
        &env,
        &[
            "convergence-point",
            "--filter-tag",
            "flavor=codex",
            "--threshold",
            "2",
            "--rationale",
            "codex plans merge late",
            "--at",
            "1762800000",
        ],
    );
    decide(
        &codex,
        "accept",
        "billing-migration needed the checklist.\n\nRevisit after ten more plans.",
        "1762880000",
    );
    // Accepted 2025-11-12 23:26:40 UTC; supersedes the first.
    let second = propose(
        &env,
        &["long-serial-chain", "--threshold", "6", "--rationale", "still noisy", "--at", "1762900000"],
    );
    decide(&second, "accept", "one more notch", "1762990000");
    let rejected = propose(
        &env,
        &["hidden-prerequisite", "--threshold", "2", "--rationale", "noisy", "--at", "1762990100"],
    );
    decide(&rejected, "reject", "it caught billing-migration", "1762990200");
    let withdrawn =
        propose(&env, &["mechanical-streak", "--threshold", "4", "--rationale", "x", "--at", "1762990300"]);
    decide(&withdrawn, "withdraw", "wrong trigger", "1762990400");
    propose(
        &env,
        &["risk-concentration", "--threshold", "3", "--rationale", "pending", "--at", "1762990500"],
    );
    env
}

#[test]
fn export_changelog_lists_accepted_changes_newest_first() {
    let env = changelog_env();
    let changelog = env.ok(&["calibration", "export-changelog"]).stdout();
    insta::assert_snapshot!("export-changelog", changelog);
    assert_eq!(env.ok(&["calibration", "export-changelog"]).stdout(), changelog, "deterministic");
    // Every block ends with a blank line, as 0.6's did: appended to a SKILL.md time after time,
    // the blocks stay apart.
    assert!(changelog.ends_with("\n\n"), "{changelog:?}");
    assert!(!changelog.contains("\n\n\n"), "{changelog:?}");

    // --since takes a UTC day or unix seconds, and keeps decisions made on or after it.
    let since_day = env.ok(&["calibration", "export-changelog", "--since", "2025-11-11"]).stdout();
    assert_eq!(since_day.matches("### ").count(), 2, "{since_day}");
    assert!(!since_day.contains("4 \u{2192} 5"), "{since_day}");
    let since_second = env.ok(&["calibration", "export-changelog", "--since", "1762880000"]).stdout();
    assert_eq!(since_second, since_day);
    // Nothing to list is said on stdout, as skillnet 0.6 did (a script appends it to a SKILL.md).
    let run = env.ok(&["calibration", "export-changelog", "--since", "2030-01-01"]);
    assert_eq!(run.stdout(), "no accepted proposals\n");
    for bad in ["yesterday", "2025-02-29", "11/11/2025"] {
        let run = env.run(&["calibration", "export-changelog", "--since", bad]);
        assert_eq!(run.code(), 2, "{bad}: {}", run.stderr());
        assert!(run.stderr().contains("is not a date"), "{}", run.stderr());
    }

    // The same history as tables.
    let proposals = env.ok(&["calibration", "proposals", "--format", "table"]).stdout();
    insta::assert_snapshot!("proposals-table", proposals);
    let heuristics = env.ok(&["calibration", "heuristics", "list", "--format", "table"]).stdout();
    insta::assert_snapshot!("heuristics-list-table", heuristics);
    let show =
        env.ok(&["calibration", "heuristics", "show", "long-serial-chain", "--format", "table"]).stdout();
    insta::assert_snapshot!("heuristics-show-table", show);
}

/// Two processes decide one pending proposal at once, one accepting and one rejecting: exactly
/// one wins, the other exits 5 naming the state the winner left, and the threshold in force is
/// the winner's. Repeated with fresh proposals, alternating which process starts first.
#[test]
fn racing_accept_and_reject_exactly_one_wins() {
    let env = Env::new().with_examples();
    let mut winners = BTreeMap::new();
    for round in 0..8 {
        let before = active(&env, "long-serial-chain").as_f64().unwrap();
        let proposed = (before + 1.0).to_string();
        let id = propose(&env, &["long-serial-chain", "--threshold", &proposed, "--rationale", "race"]);
        let mut order = ["accept", "reject"];
        if round % 2 == 1 {
            order.reverse();
        }
        let racers: Vec<_> = order
            .iter()
            .map(|decision| {
                let child = env
                    .command(&["calibration", "decide", &id, decision, "--rationale", "race"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (*decision, child)
            })
            .collect();
        let results: Vec<(&str, i32, String)> = racers
            .into_iter()
            .map(|(decision, child)| {
                let out = child.wait_with_output().unwrap();
                (decision, out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
            })
            .collect();
        let mut codes: Vec<i32> = results.iter().map(|r| r.1).collect();
        codes.sort_unstable();
        assert_eq!(codes, [0, 5], "round {round}: {results:?}");
        let winner = results.iter().find(|r| r.1 == 0).unwrap().0;
        let (loser, _, stderr) = results.iter().find(|r| r.1 == 5).unwrap();
        let state = if winner == "accept" { "accepted" } else { "rejected" };
        assert!(
            stderr.contains(&format!("proposal {id} is already {state}: cannot {loser} it")),
            "round {round}: {stderr}"
        );
        let expected = if winner == "accept" { before + 1.0 } else { before };
        assert_eq!(active(&env, "long-serial-chain"), expected, "round {round}: {winner} won");
        let proposal = env.ok(&["calibration", "proposals", "--format", "json"]).json();
        let proposal = proposal
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id.parse::<i64>().unwrap())
            .unwrap()
            .clone();
        assert_eq!(proposal["state"], state, "round {round}");
        *winners.entry(winner).or_insert(0) += 1;
    }
    eprintln!("winners over the rounds: {winners:?}");
}

/// What a reader must leave as it found: the database file's bytes, and its write-ahead log,
/// which may be left behind (a pooled connection still open at exit keeps SQLite from removing
/// it) but must hold no frame, i.e. be empty. The `-shm` index is shared memory, not data.
/// Every file in the database's folder, with its bytes: the database, and whatever `-wal`,
/// `-shm` or journal file is beside it.
fn stored(db: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

#[test]
fn read_only_commands_do_not_write() {
    let env = changelog_env();
    env.ok(&["calibration", "tag", "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a01", "owner=alice"]);
    // A command that wrote closes its connection before it exits: the log is checkpointed into
    // the file and the -wal and -shm files are gone.
    let files: Vec<String> = stored(&env.default_db()).into_keys().collect();
    assert_eq!(files, ["calibration.sqlite"]);
    let before = stored(&env.default_db());
    let plan = "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a02";
    let commands: &[&[&str]] = &[
        &["analyze"],
        &["analyze", "--min-n", "1", "--format", "table"],
        &["analyze", "--trigger", "long-serial-chain", "--filter-tag", "flavor=codex", "--format", "json"],
        &["heuristics", "list", "--format", "table"],
        &["heuristics", "list", "--format", "json"],
        &["heuristics", "show", "long-serial-chain", "--format", "table"],
        &["heuristics", "show", "convergence-point", "--format", "json"],
        &["proposals", "--format", "table"],
        &["proposals", "--accepted", "--format", "json"],
        &["show", plan, "--format", "table"],
        &["show", plan, "--format", "json"],
        &["query", "--format", "table"],
        &["query", "--verified", "--tag", "flavor=codex", "--format", "json"],
        &["export-changelog"],
        &["export-changelog", "--since", "2025-11-11"],
        &["export"],
        &["walkthrough", "--min-n", "1", "--non-interactive", "--decisions", "decisions.json", "--dry-run"],
    ];
    std::fs::write(
        env.path("decisions.json"),
        r#"[{"trigger": "long-serial-chain", "decision": "accept", "rationale": "dry"}]"#,
    )
    .unwrap();
    for command in commands {
        let mut args = vec!["calibration"];
        args.extend(*command);
        env.ok(&args);
        assert!(
            stored(&env.default_db()) == before,
            "`skillnet {}` changed the database or left files beside it",
            args.join(" ")
        );
    }
    // Failing reads write nothing either.
    assert_eq!(env.run(&["calibration", "heuristics", "show", "no-such-heuristic"]).code(), 4);
    assert!(stored(&env.default_db()) == before);
}

#[test]
fn bad_input_exits_with_its_code_and_writes_nothing() {
    let env = Env::new().with_examples();
    let accepted = propose(&env, &["long-serial-chain", "--threshold", "5", "--rationale", "ok"]);
    env.ok(&["calibration", "decide", &accepted, "accept", "--rationale", "ok"]);
    let rejected = propose(&env, &["convergence-point", "--threshold", "2", "--rationale", "no"]);
    env.ok(&["calibration", "decide", &rejected, "reject", "--rationale", "no"]);
    let decisions = env.path("decisions.json");
    std::fs::write(
        &decisions,
        r#"[{"trigger": "long-serial-chain", "decision": "accept", "rationale": " "}]"#,
    )
    .unwrap();
    let decisions = decisions.display().to_string();
    let counts = env.counts();

    #[rustfmt::skip]
    let cases: &[(&[&str], i32, &str)] = &[
        (&["propose", "no-such-heuristic", "--threshold", "2", "--rationale", "x"], 4, "trigger `no-such-heuristic`"),
        (&["propose", "long-serial-chain", "--threshold", "6", "--rationale", ""], 3, "a proposal needs a rationale"),
        (&["propose", "long-serial-chain", "--rationale", "x"], 3, "nothing to propose"),
        (&["propose", "long-serial-chain", "--threshold", "5", "--rationale", "x"], 3, "already has threshold 5"),
        (&["propose", "long-serial-chain", "--filter-tag", "Team=x", "--rationale", "x"], 3, "invalid tag key `Team`"),
        (&["propose", "long-serial-chain", "--threshold", "6"], 2, "--rationale <TEXT>"),
        (&["decide", "999", "accept", "--rationale", "x"], 4, "proposal 999 not found"),
        (&["decide", &accepted, "reject", "--rationale", " "], 3, "a decision needs a rationale"),
        (&["decide", &rejected, "accept", "--rationale", "x"], 5, &format!("proposal {rejected} is already rejected: cannot accept it")),
        (&["decide", &accepted, "withdraw", "--rationale", "x"], 5, "illegal proposal transition from `accepted` to `withdrawn`"),
        (&["decide", &accepted, "maybe", "--rationale", "x"], 2, "invalid value 'maybe'"),
        (&["proposals", "--pending", "--accepted"], 2, "cannot be used with"),
        (&["heuristics", "show", "no-such-heuristic"], 4, "unknown heuristic no-such-heuristic"),
        (&["analyze", "--filter-tag", "flavor"], 3, "expected KEY=VALUE"),
        (&["export-changelog", "--since", "2025-13-01"], 2, "is not a date"),
        (&["walkthrough", "--non-interactive", "--decisions", &decisions], 3, "entry 1: the rationale for `long-serial-chain` is empty"),
        (&["walkthrough", "--non-interactive", "--decisions", "missing.json"], 3, "cannot read the decisions file missing.json"),
        (&["walkthrough", "--interactive"], 2, "--interactive asks on the terminal, and stdin is not one"),
        (&["walkthrough", "--skill-md", "missing.md"], 4, "cannot read the SKILL.md missing.md"),
    ];
    for (command, code, message) in cases {
        let mut args = vec!["calibration"];
        args.extend(*command);
        let run = env.run(&args);
        assert_eq!(run.code(), *code, "{args:?}: {}", run.stderr());
        assert!(run.stderr().contains(message), "{args:?}: {}", run.stderr());
        assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
        assert_eq!(env.counts(), counts, "{args:?} wrote something");
    }
}

#[test]
fn walkthrough_takes_decisions_from_a_file() {
    let env = Env::new().with_examples();
    let file = |name: &str, decisions: Value| {
        let path = env.path(name);
        std::fs::write(&path, decisions.to_string()).unwrap();
        path.display().to_string()
    };
    let accept = file(
        "accept.json",
        json!([
            {"trigger": "long-serial-chain", "decision": "accept", "rationale": "the chain never stalled"},
            {"trigger": "convergence-point", "decision": "skip"},
        ]),
    );
    let walk = |decisions: &str, extra: &[&str]| {
        let mut args =
            vec!["calibration", "walkthrough", "--min-n", "1", "--non-interactive", "--decisions", decisions];
        args.extend(extra);
        env.ok(&args)
    };
    let counts = env.counts();

    // A dry run says what it would accept and writes nothing; the changelog of the history
    // (empty so far) follows its mark, as in skillnet 0.6.
    let run = walk(&accept, &["--dry-run"]);
    assert_eq!(run.stdout(), "[DRY RUN]\nno accepted proposals\n");
    assert!(run.stderr().contains("[DRY RUN] would accept long-serial-chain 4 -> 5\n"), "{}", run.stderr());
    assert!(run.stderr().contains("[DRY RUN] would accept 1 suggestion of 1"), "{}", run.stderr());
    assert!(run.stderr().contains("ignored: convergence-point"), "{}", run.stderr());
    assert_eq!(env.counts(), counts);

    // Skipping writes nothing either.
    let skip = file("skip.json", json!([{"trigger": "long-serial-chain", "decision": "skip"}]));
    let run = walk(&skip, &[]);
    assert_eq!(run.stdout(), "no accepted proposals\n");
    assert!(run.stderr().contains("skipped long-serial-chain"), "{}", run.stderr());
    assert!(run.stderr().contains("accepted 0 suggestions of 1"), "{}", run.stderr());
    assert_eq!(env.counts(), counts);
    // So does having no decisions at all: every suggestion is skipped.
    let run = env.ok(&["calibration", "walkthrough", "--min-n", "1", "--non-interactive"]);
    assert_eq!(run.stdout(), "no accepted proposals\n");
    assert!(run.stderr().contains("skipped long-serial-chain"), "{}", run.stderr());
    assert_eq!(env.counts(), counts);

    // Refined filter tags: the trigger is analysed again under them and decided there. Among
    // verified claude plans only auth-rewrite is left: long-serial-chain fired on it as dead
    // weight (FP), signal -1, fire rate 1: raise 4 -> 5 under flavor=claude.
    let refine = file(
        "refine.json",
        json!([{"trigger": "long-serial-chain", "decision": "accept", "rationale": "claude plans only",
                "filter_tags": [{"key": "flavor", "value": "claude"}]}]),
    );
    let run = walk(&refine, &["--at", "1762786400"]);
    assert!(
        run.stdout().starts_with("### 2025-11-10 \u{2014} long-serial-chain: 4 \u{2192} 5\n\n"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("\n- **Filter tags**: flavor=claude\n"), "{}", run.stdout());
    assert!(run.stdout().contains("\n- **Rationale**: claude plans only\n"), "{}", run.stdout());
    assert!(run.stderr().contains("proposal 1 accepted: long-serial-chain 4 -> 5 under flavor=claude"));
    let shown =
        env.ok(&["calibration", "heuristics", "show", "long-serial-chain", "--format", "json"]).json();
    assert_eq!(shown["active_threshold"], 4.0);
    assert_eq!(shown["by_filter_tags"][0]["threshold"], 5.0);
    assert_eq!(shown["proposals"][0]["evidence"]["fires"], 1);

    // Accepted overall, the changelog of the run is printed and the threshold is in force.
    let run = walk(&accept, &["--at", "1762880000"]);
    assert!(
        run.stdout().starts_with("### 2025-11-11 \u{2014} long-serial-chain: 4 \u{2192} 5\n"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().contains(
            "- **Proposed because**: suggested by the analysis: raise threshold 4 -> 5 \
             (signal rate +0.00, fire rate 0.67, 1 supporting plan)"
        ),
        "{}",
        run.stdout()
    );
    assert!(run.stderr().contains("accepted 1 suggestion of 1"), "{}", run.stderr());
    assert_eq!(active(&env, "long-serial-chain"), 5.0);
    let after = env.counts();
    assert_eq!((after.proposals, after.thresholds), (counts.proposals + 2, counts.thresholds + 2));
    // The closing changelog is the whole history, newest first, as `export-changelog` prints it.
    assert_eq!(run.stdout(), env.ok(&["calibration", "export-changelog"]).stdout());
    assert!(
        run.stdout().contains("### 2025-11-10 \u{2014} long-serial-chain: 4 \u{2192} 5"),
        "{}",
        run.stdout()
    );

    // With --skill-md, it starts on the day of the file's newest entry, and says which entries
    // the file holds already.
    let newest = run.stdout().lines().next().unwrap().to_owned();
    let skill_md = env.path("SKILL.md");
    std::fs::write(&skill_md, format!("# Skill\n\n## Calibration changelog\n\n{newest}\n")).unwrap();
    let skill_md = skill_md.display().to_string();
    let run = walk(&skip, &["--skill-md", &skill_md]);
    assert_eq!(run.stdout().matches("### ").count(), 1, "{}", run.stdout());
    assert!(run.stdout().starts_with(&newest), "{}", run.stdout());
    assert!(run.stderr().contains(&format!("{skill_md} already holds 1 of these changes: {newest}")));
    // --since wins over --skill-md, as in skillnet 0.6.
    let run = walk(&skip, &["--skill-md", &skill_md, "--since", "2025-11-10"]);
    assert_eq!(run.stdout().matches("### ").count(), 2, "{}", run.stdout());
}

/// Runs `skillnet ARGS` on a pseudo-terminal (through `script`, as `status --watch` is tested),
/// typing `answers`; returns the exit code and the screen (prompts and output together).
fn on_a_terminal(env: &Env, args: &str, answers: &str) -> (i32, String) {
    let line = format!("{} {args}", env!("CARGO_BIN_EXE_skillnet"));
    let template = env.command(&[]);
    let mut script = std::process::Command::new("script");
    script
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .env_clear()
        .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(env.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = script.spawn().unwrap_or_else(|e| panic!("cannot run script (util-linux): {e}"));
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn walkthrough_asks_on_a_terminal() {
    let env = Env::new().with_examples();
    // An unknown answer is asked again; refine to the claude plans; accept, with an empty
    // rationale first (asked again).
    let answers = "maybe\nr\nflavor=claude\na\n\nclaude plans only\n";
    let (code, screen) = on_a_terminal(&env, "calibration walkthrough --min-n 1 --at 1762786400", answers);
    assert_eq!(code, 0, "{screen}");
    for shown in [
        "[1/1] long-serial-chain (filter tags: none): raise threshold 4 -> 5",
        "accept, skip, refine filter tags, or quit? [a/s/r/q]",
        "please answer a, s, r or q",
        "[1/1] long-serial-chain (filter tags: flavor=claude): raise threshold 4 -> 5",
        "1 fire, 0 misses (fire rate 1.00), signal rate -1.00; TP 0, FP 1, FN 0, TN 0",
        "a rationale is required",
        "### 2025-11-10 \u{2014} long-serial-chain: 4 \u{2192} 5",
        "- **Filter tags**: flavor=claude",
    ] {
        assert!(screen.contains(shown), "`{shown}` not on the screen:\n{screen}");
    }
    let shown =
        env.ok(&["calibration", "heuristics", "show", "long-serial-chain", "--format", "json"]).json();
    assert_eq!(shown["by_filter_tags"][0]["threshold"], 5.0);
    assert_eq!(shown["active_threshold"], 4.0);

    // Quitting, or running out of answers, accepts nothing more.
    let counts = env.counts();
    for answers in ["q\n", ""] {
        let (code, screen) = on_a_terminal(&env, "calibration walkthrough --min-n 1", answers);
        assert_eq!(code, 0, "{screen}");
        assert!(screen.contains("accepted 0 suggestions of 1"), "{screen}");
        assert_eq!(env.counts(), counts);
    }
}

/// Commands that change something confirm it on stdout in skillnet 0.6's words, and tell the rest
/// on stderr.
#[test]
fn changes_are_confirmed_in_0_6_s_words() {
    let env = Env::new().with_examples();
    let auth = "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a01";
    let lines = |args: &[&str]| {
        let mut all = vec!["calibration"];
        all.extend(args);
        env.ok(&all).stdout()
    };
    let pending = lines(&["propose", "long-serial-chain", "--min-n", "1", "--rationale", "r"]);
    assert_eq!(pending, "proposal 1 pending: long-serial-chain 4 -> 5\n");
    let run = env.ok(&["calibration", "decide", "1", "accept", "--rationale", "ok"]);
    assert_eq!(run.stdout(), "proposal 1 accepted\n");
    assert!(
        run.stderr().contains("in force: long-serial-chain: threshold 5 (proposal 1"),
        "{}",
        run.stderr()
    );
    assert_eq!(lines(&["decide", "1", "accept", "--rationale", "again"]), "proposal 1 already accepted\n");
    lines(&["propose", "convergence-point", "--threshold", "2", "--rationale", "r"]);
    assert_eq!(lines(&["decide", "2", "reject", "--rationale", "no"]), "proposal 2 rejected\n");
    assert_eq!(lines(&["tag", auth, "team=core", "risk-owner=ada"]), format!("tagged {auth} (2 tags)\n"));
    assert_eq!(lines(&["untag", auth, "team"]), format!("untagged {auth} (1 tags)\n"));
    assert_eq!(lines(&["migrate"]), "migrated calibration database\n");
    assert_eq!(lines(&["vacuum"]), "vacuumed calibration database\n");
}

/// skillnet 0.6's command line for `propose` works with its meaning: `--trigger`,
/// `--new-threshold`, and the supporting plans named by the proposer.
#[test]
fn propose_takes_0_6_s_command_line() {
    let env = Env::new().with_examples();
    let auth = "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a01";
    let docs = "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a03";
    let supporting = format!("{auth},{docs}");
    let proposal = env
        .ok(&[
            "calibration",
            "propose",
            "--trigger",
            "long-serial-chain",
            "--new-threshold",
            "5",
            "--rationale",
            "never stalled",
            "--supporting-plan-ids",
            &supporting,
            "--format",
            "json",
        ])
        .json();
    assert_eq!(proposal["trigger"], "long-serial-chain");
    assert_eq!(proposal["proposed_threshold"], 5.0);
    assert_eq!(proposal["evidence"]["supporting_plan_ids"], serde_json::json!([auth, docs]));
    let run = env.run(&[
        "calibration",
        "propose",
        "--trigger",
        "long-serial-chain",
        "--new-threshold",
        "6",
        "--rationale",
        "x",
        "--supporting-plan-ids",
        "no-such-plan",
    ]);
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(run.stderr().contains("unknown calibration plan id no-such-plan"), "{}", run.stderr());
}

/// skillnet 0.6's global flags (`--mirror-root`, `--catalog-config`, `--allow-dirty-destination`,
/// `--dry-run`) may stand anywhere on a calibration command line, as they could in 0.6, and mean
/// what they meant there: nothing, except `--dry-run` to the two commands that have one. Where
/// `--dry-run` changes nothing, a warning says so, and the command works as 0.6's did.
#[test]
fn zero_six_s_global_flags_are_accepted_with_0_6_s_meaning() {
    let env = Env::new().with_examples();
    let plain = env.ok(&["calibration", "query", "--format", "json"]).stdout();
    let with_flags = env
        .ok(&[
            "--mirror-root",
            "/nowhere/mirror",
            "calibration",
            "query",
            "--catalog-config",
            "/nowhere/catalog.toml",
            "--allow-dirty-destination",
            "--format",
            "json",
        ])
        .stdout();
    assert_eq!(with_flags, plain);
    let auth = "7c0e2d4a-1f3b-4c59-9a61-2b8d5e0f1a01";
    let run = env.ok(&["--dry-run", "calibration", "tag", auth, "team=core", "--mirror-root", "m"]);
    assert_eq!(run.stdout(), format!("tagged {auth} (1 tags)\n"));
    assert!(run.stderr().contains("--dry-run changes nothing here, as in skillnet 0.6"), "{}", run.stderr());
    let shown = env.ok(&["calibration", "show", auth, "--format", "json"]).json();
    assert!(shown["tags"].as_array().unwrap().iter().any(|t| t["key"] == "team"), "{shown}");

    // Where it means something, it still does, wherever it stands, and nothing is said about it.
    std::fs::write(
        env.path("decisions.json"),
        r#"[{"trigger": "long-serial-chain", "decision": "accept", "rationale": "dry"}]"#,
    )
    .unwrap();
    let walkthrough =
        ["calibration", "walkthrough", "--min-n", "1", "--non-interactive", "--decisions", "decisions.json"];
    let before = env.counts();
    for dry_run_at in [0, walkthrough.len()] {
        let mut args = walkthrough.to_vec();
        args.insert(dry_run_at, "--dry-run");
        let run = env.ok(&args);
        assert!(!run.stderr().contains("changes nothing here"), "{}", run.stderr());
        assert_eq!(env.counts(), before, "{args:?} wrote");
    }
    env.ok(&walkthrough);
    assert_ne!(env.counts(), before, "the same walkthrough without --dry-run writes");
}

/// A custom trigger no proposal set overall is in force at the threshold recorded with the
/// newest analysed plan: `heuristics list`, `heuristics show` and `analyze` say the same.
#[test]
fn a_custom_triggers_threshold_in_force_is_the_same_everywhere() {
    let env = Env::new();
    let mut dirs = Vec::new();
    for (i, threshold) in [(1, 0.25), (2, 0.4)] {
        let mut s = crate::support::verified(&format!("custom-{i}"), "shipped", 1_770_000_000 + i);
        s["plan"]["created_at"] = json!(1_760_000_000 + i);
        s["triggers"] = json!([{"name": "my-custom-check", "input_value": 0.5, "threshold": threshold,
                                "fired": true, "section_added": null}]);
        dirs.push(env.plan_dir(&format!("custom-{i}"), &s));
    }
    let mut record = vec!["calibration", "record"];
    record.extend(dirs.iter().map(String::as_str));
    env.ok(&record);
    env.ok(&["calibration", "verify", &dirs[0], &dirs[1]]);
    // Accepted under filter tags only: the trigger is listed, and overall nothing was accepted.
    let id = propose(
        &env,
        &["my-custom-check", "--threshold", "0.9", "--filter-tag", "team=core", "--rationale", "team"],
    );
    env.ok(&["calibration", "decide", &id, "accept", "--rationale", "ok"]);

    let analyzed = env.ok(&["calibration", "analyze", "--min-n", "1", "--format", "json"]).json();
    let line =
        analyzed["triggers"].as_array().unwrap().iter().find(|t| t["trigger"] == "my-custom-check").unwrap();
    assert_eq!(line["current_threshold"], json!(0.4));
    let listed = env.ok(&["calibration", "heuristics", "list", "--format", "json"]).json();
    let entry = listed.as_array().unwrap().iter().find(|e| e["name"] == "my-custom-check").unwrap();
    assert_eq!((&entry["active_threshold"], &entry["source"]["type"]), (&json!(0.4), &json!("recorded")));
    let shown = env.ok(&["calibration", "heuristics", "show", "my-custom-check", "--format", "json"]).json();
    assert_eq!(shown["active_threshold"], json!(0.4));
}
