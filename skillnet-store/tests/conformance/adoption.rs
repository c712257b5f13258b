//! Adopting a skillnet 0.6 database in place: every fact of the 0.6 history is there after, the
//! analysis equals what 0.6 printed on it, and adopting is done once.
//!
//! The 0.6 databases are fixtures written by the real skillnet 0.6.0 binary
//! (`tests/fixtures/zero-six/make-fixtures.sh`); these tests do not need 0.6 installed.

use std::path::{Path, PathBuf};

use skillnet_store::{AnalysisQuery, Backend, CalibrationStore, DatabaseUrl};

use crate::fixtures::export_jsonl;
use crate::harness::{fresh_database, Raw};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zero-six").join(name)
}

/// A fresh database of `store`'s backend holding the 0.6 fixture history, not opened by skillnet
/// yet; the returned guard keeps it alive.
fn zero_six_database(store: &dyn CalibrationStore) -> skillnet_test_db::TestDatabase {
    let database = fresh_database(store);
    match DatabaseUrl::parse(database.url()).unwrap() {
        DatabaseUrl::Sqlite(path) => {
            std::fs::copy(fixture("calibration.sqlite"), path).unwrap();
        }
        _ => skillnet_test_db::load_postgres_dump(database.url(), &fixture("postgres.sql")),
    }
    database
}

/// The facts of a history, each as sorted lines, read with SQL that both a 0.6 database and an
/// adopted one answer (they share table and column names); `proposal_text` says where each
/// proposal's single 0.6 rationale is.
fn facts(raw: &mut Raw, proposal_text: &str) -> Vec<(&'static str, Vec<String>)> {
    let queries: [(&str, String); 9] = [
        (
            "plans",
            "SELECT id || '|' || name || '|' || flavor || '|' || coalesce(worktype, '-') || '|' || \
             CAST(created_at AS TEXT) || '|' || CAST(phase_count AS TEXT) || '|' || CAST(wave_count AS TEXT) \
             || '|' || CAST(max_chain_depth AS TEXT) || '|' || CAST(repo_spread AS TEXT) || '|' || shape_hash \
             AS line FROM plans"
                .into(),
        ),
        (
            "phases",
            "SELECT plan_id || '|' || CAST(ordinal AS TEXT) || '|' || slug || '|' || routing_tier AS line \
             FROM phases"
                .into(),
        ),
        (
            "triggers",
            "SELECT plan_id || '|' || name || '|' || CAST(fired AS TEXT) || '|' || CAST(input_value AS TEXT) \
             || '|' || CAST(threshold AS TEXT) || '|' || coalesce(section_added, '-') AS line FROM triggers"
                .into(),
        ),
        (
            "verifications",
            "SELECT plan_id || '|' || CAST(verified_at AS TEXT) || '|' || outcome AS line FROM verifications"
                .into(),
        ),
        (
            "newest verification of each plan",
            "SELECT v.plan_id || '|' || v.outcome || '|' || CAST(v.verified_at AS TEXT) AS line \
             FROM verifications v WHERE v.id = (SELECT max(w.id) FROM verifications w WHERE w.plan_id = v.plan_id)"
                .into(),
        ),
        ("tags", "SELECT plan_id || '|' || key || '|' || value AS line FROM tags".into()),
        (
            "proposals",
            format!(
                "SELECT CAST(id AS TEXT) || '|' || trigger_name || '|' || decision || '|' || \
                 CAST(proposed_threshold AS TEXT) || '|' || coalesce({proposal_text}, '-') AS line \
                 FROM calibration_proposals"
            ),
        ),
        (
            "thresholds 0.6 accepted",
            "SELECT name || '|' || CAST(threshold AS TEXT) || '|' || updated_by AS line \
             FROM heuristic_thresholds WHERE updated_by <> 'seed'"
                .into(),
        ),
        (
            "skill invocations",
            "SELECT CAST(id AS TEXT) || '|' || session_id || '|' || skill_name || '|' || \
             coalesce(project_dir, '-') || '|' || coalesce(plan_id, '-') || '|' || hook_event AS line \
             FROM skill_invocations"
                .into(),
        ),
    ];
    queries
        .into_iter()
        .map(|(what, sql)| {
            let mut lines = raw.lines(&sql);
            lines.sort();
            (what, lines)
        })
        .collect()
}

/// Every fact of the 0.6 history is in the adopted one, and its analysis is the one 0.6 printed.
pub fn a_zero_six_history_is_adopted_with_every_fact(store: &dyn CalibrationStore) {
    let database = zero_six_database(store);
    let before = facts(&mut Raw::connect_url(store.backend(), database.url()), "rationale");
    for (what, lines) in &before {
        assert!(!lines.is_empty(), "the fixture has no {what}");
    }

    let adopted = skillnet_store::open(database.url()).unwrap();
    let adoption = adopted.adoption().expect("the 0.6 database was adopted");
    assert_eq!(adoption.plans, 12);
    let after = facts(
        &mut Raw::connect_url(store.backend(), database.url()),
        "CASE WHEN decision = 'pending' THEN rationale ELSE decision_rationale END",
    );
    for ((what, expected), (_, found)) in before.iter().zip(&after) {
        assert_eq!(found, expected, "{what}");
    }

    // The proposals keep their filter tags (0.6's map, now a list).
    let filtered = adopted.proposal(3).unwrap();
    assert_eq!(filtered.filter_tags, vec!["flavor=codex".parse().unwrap()]);
    assert_eq!(filtered.decision_rationale.as_deref(), Some("codex only"));
    // The thresholds 0.6 accepted are in force, with their provenance.
    let in_force: Vec<(String, f64, Option<i64>)> =
        adopted.thresholds().unwrap().into_iter().map(|t| (t.trigger, t.threshold, t.proposal_id)).collect();
    assert_eq!(
        in_force,
        [("long-serial-chain".to_owned(), 5.0, Some(1)), ("risk-concentration".to_owned(), 3.0, Some(3))]
    );

    // The skill uses 0.6's hooks logged are in the usage report.
    let usage: Vec<(String, i64)> = adopted
        .skill_usage(&skillnet_store::UsageQuery::default())
        .unwrap()
        .into_iter()
        .map(|u| (u.skill, u.uses))
        .collect();
    assert_eq!(usage, [("simplify".to_owned(), 2), ("multi-phase-plan".to_owned(), 1)]);

    // The analysis of the adopted history is what 0.6 printed on the original.
    let query = AnalysisQuery { trigger: None, filter_tags: Vec::new(), min_n: 1, analyzed_at: 0 };
    let mut ours = serde_json::to_value(adopted.analyze(&query).unwrap()).unwrap();
    let mut theirs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("analyze.json")).unwrap()).unwrap();
    for report in [&mut ours, &mut theirs] {
        report.as_object_mut().unwrap().remove("analyzed_at");
    }
    assert_eq!(ours, theirs);
}

/// Adopting is done once: a second opening finds skillnet's database and changes nothing; on
/// SQLite the backup is the 0.6 file, byte for byte.
pub fn adopting_twice_changes_nothing(store: &dyn CalibrationStore) {
    let database = zero_six_database(store);
    let first = skillnet_store::open(database.url()).unwrap();
    let adoption = first.adoption().unwrap();
    let exported = export_jsonl(&*first);
    drop(first);
    let second = skillnet_store::open(database.url()).unwrap();
    assert_eq!(second.adoption(), None);
    assert!(second.migrate().unwrap().is_empty());
    assert_eq!(export_jsonl(&*second), exported);
    match store.backend() {
        Backend::Sqlite => {
            let backup = adoption.backup.expect("an SQLite database is backed up");
            assert!(backup.to_string_lossy().contains(".0.6-backup-"), "{}", backup.display());
            assert_eq!(std::fs::read(backup).unwrap(), std::fs::read(fixture("calibration.sqlite")).unwrap());
        }
        Backend::Postgres => assert_eq!(adoption.backup, None),
    }
}

/// A database that is neither empty, skillnet's nor 0.6's is refused, untouched, with the tables
/// it holds named.
pub fn a_database_of_something_else_is_refused_untouched(store: &dyn CalibrationStore) {
    let database = fresh_database(store);
    let mut raw = Raw::connect_url(store.backend(), database.url());
    raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER NOT NULL)");
    raw.execute("INSERT INTO invoices VALUES (1, 100)");
    let error = skillnet_store::open(database.url()).unwrap_err();
    assert!(
        matches!(&error, skillnet_store::StoreError::Unusable { message, .. } if message.contains("invoices")),
        "{error}"
    );
    assert_eq!(raw.number("SELECT count(*) AS n FROM invoices"), 1);
    let tables = match store.backend() {
        Backend::Sqlite => raw.lines("SELECT name AS line FROM sqlite_master WHERE type = 'table'"),
        Backend::Postgres => raw.lines(
            "SELECT table_name::text AS line FROM information_schema.tables WHERE table_schema = current_schema()",
        ),
    };
    assert_eq!(tables, ["invoices"]);
}

/// Importing 0.6's own export of the fixture history gives the facts an export carries (plans,
/// phases, triggers, tags, each plan's newest verification) exactly as adopting the database does.
pub fn importing_a_zero_six_export_gives_what_adopting_gives(store: &dyn CalibrationStore) {
    let database = zero_six_database(store);
    drop(skillnet_store::open(database.url()).unwrap());
    let text = std::fs::read_to_string(fixture("export.jsonl")).unwrap();
    let mut items = text.lines().map(|line| {
        skillnet_store::HistoryItem::from_export_line(line)
            .map_err(|e| skillnet_store::StoreError::InvalidInput(e.to_string()))
    });
    assert_eq!(store.import(&mut items).unwrap(), 12);
    let carried = ["plans", "phases", "triggers", "newest verification of each plan", "tags"];
    let of = |raw: &mut Raw| -> Vec<(&'static str, Vec<String>)> {
        facts(raw, "rationale").into_iter().filter(|(what, _)| carried.contains(what)).collect()
    };
    let adopted = of(&mut Raw::connect_url(store.backend(), database.url()));
    let imported = of(&mut Raw::connect(store));
    assert_eq!(adopted.len(), carried.len());
    for ((what, expected), (_, found)) in adopted.iter().zip(&imported) {
        assert_eq!(found, expected, "{what}");
    }
}

/// A 0.6 plan whose sidecar repeated a phase ordinal (0.6 accepted it) does not stop the
/// adoption: the first phase of that ordinal is kept.
pub fn a_repeated_phase_ordinal_does_not_stop_the_adoption(store: &dyn CalibrationStore) {
    let database = zero_six_database(store);
    let mut raw = Raw::connect_url(store.backend(), database.url());
    let phases = raw.number("SELECT count(*) AS n FROM phases");
    raw.execute(
        "INSERT INTO phases (plan_id, ordinal, slug, routing_tier, files) \
         SELECT plan_id, ordinal, 'again', routing_tier, files FROM phases WHERE plan_id = 'bench-00000001' AND ordinal = 1",
    );
    let adopted = skillnet_store::open(database.url()).unwrap();
    assert_eq!(adopted.adoption().unwrap().plans, 12);
    let plan = adopted.plan(&"bench-00000001".parse().unwrap()).unwrap();
    assert_eq!(plan.phases[0].slug, "phase-0");
    assert_eq!(plan.phases.iter().filter(|p| p.ordinal == 1).count(), 1);
    assert_eq!(Raw::connect(&*adopted).number("SELECT count(*) AS n FROM phases"), phases);
}

/// Values 0.6 stored as they were written (it checked less than skillnet does) do not stop the
/// adoption: an outcome reads as the outcome it means (`Success` is shipped), or, meaning none,
/// as abandoned, which is how 0.6's analysis counted it; a tag key as one with the pattern
/// (`Team Name` is `team-name`); a negative elapsed time as unknown; a tag without a value is
/// left out. The adoption says each; every verification is kept.
pub fn values_zero_six_kept_as_written_are_read_not_refused(store: &dyn CalibrationStore) {
    use skillnet_store::Reading;

    let database = zero_six_database(store);
    let mut raw = Raw::connect_url(store.backend(), database.url());
    let verifications = raw.number("SELECT count(*) AS n FROM verifications");
    let first = raw.number("SELECT min(id) AS n FROM verifications");
    let last = raw.number("SELECT max(id) AS n FROM verifications");
    raw.execute(&format!(
        "UPDATE verifications SET outcome = ' Success', elapsed_seconds = -5 WHERE id = {first}"
    ));
    raw.execute(&format!("UPDATE verifications SET outcome = 'it''s complicated' WHERE id = {last}"));
    raw.execute(
        "INSERT INTO tags (plan_id, key, value) VALUES ('bench-00000001', 'Team Name', 'Core'), \
         ('bench-00000001', 'team-name', 'Core'), ('bench-00000002', 'Team Name', 'Docs'), ('bench-00000002', 'x', '')",
    );
    // Plan ids skillnet refuses (empty, or with white space around), with what they own.
    for (id, ordinal) in [("", 1), (" spaced ", 2), ("spaced", 3)] {
        raw.execute(&format!(
            "INSERT INTO plans (id, created_at, name, path, flavor, worktype, phase_count, wave_count, \
             max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons) \
             VALUES ('{id}', 1700000000, 'odd {ordinal}', '/p', 'codex', NULL, 1, 1, 1, 1, '{{\"low\":1}}', 'h', '[]')"
        ));
        raw.execute(&format!(
            "INSERT INTO phases (plan_id, ordinal, slug, routing_tier, files) VALUES ('{id}', {ordinal}, 's', 'low', '[]')"
        ));
        raw.execute(&format!("INSERT INTO tags (plan_id, key, value) VALUES ('{id}', 'team', 'odd')"));
    }
    raw.execute(
        "INSERT INTO calibration_proposals (proposed_at, trigger_name, current_threshold, proposed_threshold, \
         supporting_plan_ids, fire_rate, signal_rate, filter_tags, decision, decided_at, rationale) \
         VALUES (1700000000, 'convergence-point', 3, 2, '[\"\", \" spaced \"]', 0.5, 0.5, NULL, 'pending', NULL, 'odd')",
    );

    let adopted = skillnet_store::open(database.url()).unwrap();
    let adoption = adopted.adoption().unwrap();
    assert_eq!(adoption.plans, 15);
    let read = |field: &str, written: &str, read_as: Option<&str>, rows| Reading {
        field: field.into(),
        written: written.into(),
        read_as: read_as.map(Into::into),
        rows,
    };
    assert_eq!(
        adoption.readings,
        [
            read("outcome", " Success", Some("shipped"), 1),
            read("outcome", "it's complicated", Some("abandoned"), 1),
            read("elapsed_seconds", "-5", Some("null"), 1),
            read("tag key", "Team Name", Some("team-name"), 2),
            read("tag", "x=", None, 1),
            read("plan id", "", Some("plan-without-id"), 1),
            read("plan id", " spaced ", Some("spaced-2"), 1),
        ]
    );
    let owned = |id: &str| {
        let plan = adopted.plan(&id.parse().unwrap()).unwrap();
        (plan.plan.name, plan.phases.len(), plan.tags.iter().filter(|t| t.key.as_str() == "team").count())
    };
    assert_eq!(owned("plan-without-id"), ("odd 1".to_owned(), 1, 1));
    assert_eq!(owned("spaced-2"), ("odd 2".to_owned(), 1, 1));
    assert_eq!(owned("spaced"), ("odd 3".to_owned(), 1, 1));
    let odd = adopted.proposals(None).unwrap().into_iter().find(|p| p.rationale == "odd").unwrap();
    assert_eq!(odd.evidence.analysis.supporting_plan_ids, ["plan-without-id", "spaced-2"]);
    let mut raw = Raw::connect(&*adopted);
    assert_eq!(raw.number("SELECT count(*) AS n FROM verifications"), verifications);
    let mut verification = |id: i64| {
        raw.lines(&format!(
            "SELECT outcome || '|' || coalesce(CAST(elapsed_seconds AS TEXT), '-') AS line FROM verifications WHERE id = {id}"
        ))
    };
    assert_eq!(verification(first), ["shipped|-"]);
    assert_eq!(verification(last).len(), 1);
    assert!(verification(last)[0].starts_with("abandoned|"));
    assert_eq!(
        raw.lines(
            "SELECT plan_id || '|' || key || '|' || value || '|' || source AS line FROM tags \
             WHERE key IN ('team-name', 'x', 'Team Name') ORDER BY plan_id"
        ),
        ["bench-00000001|team-name|Core|user", "bench-00000002|team-name|Docs|user"]
    );
    // What was adopted reads, exports and imports again.
    let plan = adopted.plan(&"bench-00000002".parse().unwrap()).unwrap();
    assert!(plan.tags.iter().any(|t| t.key.as_str() == "team-name" && t.value == "Docs"));
    let text = export_jsonl(&*adopted);
    let copy = fresh_database(store);
    let target = skillnet_store::open(copy.url()).unwrap();
    let mut items = text.lines().map(|line| {
        skillnet_store::HistoryItem::from_export_line(line)
            .map_err(|e| skillnet_store::StoreError::InvalidInput(e.to_string()))
    });
    target.import(&mut items).unwrap();
    assert_eq!(export_jsonl(&*target), text);
}
