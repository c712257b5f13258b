//! Recording, re-recording and verifying plans, and reading every field back with `plan`.

use serde_json::{json, Value};
use skillnet_core::{Outcome, TagSource};
use skillnet_store::{Backend, CalibrationStore, Missing, RecordSummary, StoreError};

use crate::fixtures::*;
use crate::harness::Raw;

pub fn record_round_trips_every_field(store: &dyn CalibrationStore) {
    let full = plan("full");
    let bare = bare_plan("bare");
    let summary = store.record_plans(&[full.clone(), bare.clone()], RECORDED).unwrap();
    assert_eq!(summary, RecordSummary { new: 2, updated: 0 });

    let details = store.plan(&id("full")).unwrap();
    assert_eq!(details.plan, full.plan);
    assert_eq!(details.recorded_at, RECORDED);
    assert_eq!(details.phases, full.phases);
    assert_eq!(details.triggers, full.triggers);
    assert!(details.verifications.is_empty());
    assert_eq!(
        details.tags,
        vec![
            stored("component", "store", TagSource::Sidecar),
            stored("flavor", "codex", TagSource::Auto),
            stored("risk", "mixed", TagSource::Auto),
            stored("scope", "multi-repo", TagSource::Auto),
            stored("signal", "novel-shape", TagSource::Auto),
            stored("team", "infra", TagSource::Sidecar),
            stored("worktype", "feature", TagSource::Auto),
        ]
    );

    let details = store.plan(&id("bare")).unwrap();
    assert_eq!(details.plan, bare.plan);
    assert_eq!(details.plan.worktype, None);
    assert_eq!(details.plan.path, None);
    assert!(details.phases.is_empty());
    assert_eq!(details.triggers, bare.triggers);
    assert_eq!(details.triggers[0].section_added, None);
    assert_eq!(
        details.tags,
        vec![
            stored("flavor", "codex", TagSource::Auto),
            stored("risk", "low", TagSource::Auto),
            stored("scope", "single-repo", TagSource::Auto),
        ]
    );
}

/// Values at the edges of their types, and text that quoting, escaping or `LIKE` could mangle.
pub fn extreme_values_round_trip(store: &dyn CalibrationStore) {
    let ids =
        ["it's", "back\\slash", "50%_off", "quote\"d", "semi;colon -- comment", "\u{65e5}\u{672c} \u{1f389}"];
    let mut records = Vec::new();
    for (i, plan_id) in ids.iter().enumerate() {
        let mut r = plan(plan_id);
        r.plan.name = format!("line one\nline two\t{plan_id}");
        r.plan.created_at = [-1, 0, i64::MAX, i64::MIN, 1, 2][i];
        r.plan.wave_count = i64::MAX;
        r.plan.routing_dist.insert("max".into(), i64::MAX);
        r.phases[0].files = vec![String::new(), "path with spaces/\u{e9}.rs".into(), "x".repeat(10_000)];
        r.triggers[0].input_value = [f64::MAX, f64::MIN_POSITIVE, 5e-324, 0.1 + 0.2, -1.5, 1e300][i];
        r.triggers[0].threshold = -f64::MAX;
        r.tags.push(tag("note", "=;'\"%_\\ \u{1f389}"));
        records.push(r);
    }
    record(store, &records);
    for r in &records {
        let details = store.plan(&r.plan.id).unwrap();
        assert_eq!(details.plan, r.plan);
        assert_eq!(details.phases, r.phases);
        assert_eq!(details.triggers, r.triggers);
        assert_eq!(
            details.triggers[0].input_value.to_bits(),
            r.triggers[0].input_value.to_bits(),
            "exact bits"
        );
        assert_eq!(tag_values(store, r.plan.id.as_str(), "note"), ["=;'\"%_\\ \u{1f389}"]);
    }
    let mut v = verification(Outcome::Shipped, i64::MAX);
    v.elapsed_seconds = Some(i64::MAX);
    v.surprises = Some("s".repeat(200_000));
    v.phase_outcomes.insert("\u{1f389}".into(), "it's \"done\"".into());
    verify(store, ids[0], v.clone());
    assert_eq!(store.plan(&id(ids[0])).unwrap().verifications, [v]);
}

pub fn unknown_plan_is_not_found(store: &dyn CalibrationStore) {
    record(store, &[plan("known")]);
    let err = store.plan(&id("unknown")).unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(Missing::Plan { id, hint: None }) if id == "unknown"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "unknown calibration plan id unknown");
    // Ids are compared exactly: no case folding, no prefix match.
    assert!(matches!(store.plan(&id("KNOWN")), Err(StoreError::NotFound(_))));
    assert!(matches!(store.plan(&id("know")), Err(StoreError::NotFound(_))));
}

/// Absent optional values are SQL NULLs, not empty strings or JSON `null` documents, so that SQL
/// written against the tables (analysis aggregates, other tools) sees them as missing.
pub fn absent_values_are_sql_nulls(store: &dyn CalibrationStore) {
    record(store, &[bare_plan("bare")]);
    verify(store, "bare", bare_verification(Outcome::Shipped, CREATED + 10));
    let details = store.plan(&id("bare")).unwrap();
    assert_eq!(details.verifications, vec![bare_verification(Outcome::Shipped, CREATED + 10)]);

    let mut raw = Raw::connect(store);
    let count = |raw: &mut Raw, sql: &str| raw.number(&format!("SELECT count(*) AS n FROM {sql}"));
    assert_eq!(count(&mut raw, "plans WHERE worktype IS NULL AND path IS NULL"), 1);
    assert_eq!(count(&mut raw, "triggers WHERE section_added IS NULL"), 1);
    assert_eq!(
        count(
            &mut raw,
            "verifications WHERE elapsed_seconds IS NULL AND emergency_changes IS NULL AND surprises IS NULL"
        ),
        1
    );
}

pub fn emergency_changes_json_round_trips(store: &dyn CalibrationStore) {
    let documents: Vec<Value> = vec![
        json!({"reverted": ["a.rs", "b.rs"], "flags": {"rollout": false, "percent": 12.5}, "owner": null}),
        json!({"zeta": 1, "alpha": {"nested": {"deeper": [1, [2, [3, {"x": "y"}]]]}}, "": "empty key"}),
        json!([{"b": 2, "a": 1}, [], {}, "text", 3, -4, true, null]),
        json!({"unicode": "naïve café ✓ 日本語 🎉", "escapes": "quote \" backslash \\ newline \n tab \t", "ключ": "значение"}),
        json!({"big": u64::MAX, "small": i64::MIN, "float": 0.1, "tiny": 1e-7, "huge": 1.5e300, "round": 1e16}),
        json!("a bare string"),
        json!(42),
        json!(false),
        json!([]),
        json!({}),
    ];
    record(store, &[plan("json")]);
    for (i, doc) in documents.iter().enumerate() {
        let mut v = bare_verification(Outcome::Partial, CREATED + i as i64);
        v.emergency_changes = Some(doc.clone());
        verify(store, "json", v);
    }
    let stored = store.plan(&id("json")).unwrap().verifications;
    assert_eq!(stored.len(), documents.len());
    for (doc, v) in documents.iter().zip(&stored) {
        let back = v.emergency_changes.as_ref().expect("emergency_changes kept");
        assert!(same_json(doc, back), "stored {doc}\nread back {back}");
    }

    // Stored as JSON documents the database understands, not as strings holding JSON.
    let mut raw = Raw::connect(store);
    let kinds = match raw.backend() {
        Backend::Sqlite => {
            raw.lines("SELECT json_type(emergency_changes) AS line FROM verifications ORDER BY id")
        }
        Backend::Postgres => {
            raw.lines("SELECT jsonb_typeof(emergency_changes) AS line FROM verifications ORDER BY id")
        }
    };
    // One vocabulary for both: SQLite says integer/real/text/true/false where PostgreSQL says
    // number/string/boolean.
    let kinds: Vec<&str> = kinds
        .iter()
        .map(|kind| match kind.as_str() {
            "integer" | "real" => "number",
            "text" => "string",
            "true" | "false" => "boolean",
            other => other,
        })
        .collect();
    assert_eq!(
        kinds,
        ["object", "object", "array", "object", "object", "string", "number", "boolean", "array", "object"]
    );
}

pub fn re_record_replaces_the_plan_and_keeps_its_history(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    verify(store, "p", verification(Outcome::Shipped, CREATED + 100));
    assert_eq!(store.add_tags(&id("p"), &[tag("owner", "alice")]).unwrap(), 1);
    let before = store.plan(&id("p")).unwrap();

    let mut again = plan("p");
    again.plan.name = "renamed".into();
    again.plan.flavor = "claude".into();
    again.plan.worktype = None;
    again.plan.capture_reasons = vec!["uniform-random".into()];
    again.plan.repo_spread = 3;
    again.phases[2].routing_tier = "max".into();
    again.phases[2].slug = "launch".into();
    again.phases.remove(1);
    again.plan.phase_count = 2;
    again.plan.routing_dist = [("low".to_owned(), 1), ("max".to_owned(), 1)].into();
    again.triggers.remove(0);
    again.tags = vec![tag("team", "core")];
    let summary = store.record_plans(&[again.clone()], RECORDED + 1_000).unwrap();
    assert_eq!(summary, RecordSummary { new: 0, updated: 1 });

    let after = store.plan(&id("p")).unwrap();
    assert_eq!(after.plan, again.plan);
    assert_eq!(after.recorded_at, RECORDED + 1_000);
    assert_eq!(after.phases, again.phases);
    assert_eq!(after.triggers, again.triggers);
    assert_eq!(after.verifications, before.verifications, "verifications are kept");
    assert_eq!(
        after.tags,
        vec![
            stored("flavor", "claude", TagSource::Auto),
            stored("outcome", "shipped", TagSource::Auto),
            stored("owner", "alice", TagSource::User),
            stored("risk", "high", TagSource::Auto),
            stored("scope", "cross-org", TagSource::Auto),
            stored("signal", "uniform-random", TagSource::Auto),
            stored("team", "core", TagSource::Sidecar),
        ]
    );
    assert_eq!(counts(store).phases, 2, "the old phases are gone");
    assert_eq!(counts(store).triggers, 1, "the old triggers are gone");
}

/// A tag the user added with `add_tags` stays a user tag even when the sidecar carries it too.
pub fn re_record_keeps_a_user_tag_the_sidecar_also_sets(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    assert_eq!(store.add_tags(&id("p"), &[tag("team", "infra")]).unwrap(), 0, "already there");
    let mut again = plan("p");
    again.tags.clear();
    record(store, &[again]);
    let team: Vec<_> =
        store.plan(&id("p")).unwrap().tags.into_iter().filter(|t| t.key.as_str() == "team").collect();
    assert_eq!(team, vec![stored("team", "infra", TagSource::User)]);
}

pub fn a_batch_naming_a_plan_twice_keeps_the_later_entry(store: &dyn CalibrationStore) {
    let first = plan("twice");
    let mut later = plan("twice");
    later.plan.name = "later".into();
    later.phases.truncate(1);
    later.plan.phase_count = 1;
    later.tags = vec![tag("team", "later")];
    let summary = store.record_plans(&[first, plan("other"), later.clone()], RECORDED).unwrap();
    assert_eq!(summary, RecordSummary { new: 2, updated: 0 });
    let details = store.plan(&id("twice")).unwrap();
    assert_eq!(details.plan, later.plan);
    assert_eq!(details.phases, later.phases);
    assert_eq!(tag_values(store, "twice", "team"), ["later"]);

    // The same when the plan existed before the batch.
    let mut last = plan("twice");
    last.plan.name = "last".into();
    let summary = store.record_plans(&[later, last.clone()], RECORDED).unwrap();
    assert_eq!(summary, RecordSummary { new: 0, updated: 1 });
    assert_eq!(store.plan(&id("twice")).unwrap().plan, last.plan);
    assert_eq!(counts(store).plans, 2);
}

pub fn verify_keeps_history_and_the_newest_counts(store: &dyn CalibrationStore) {
    record(store, &[plan("p"), plan("q")]);
    let history = [
        verification(Outcome::Shipped, CREATED + 100),
        bare_verification(Outcome::Abandoned, CREATED + 200),
        verification(Outcome::Partial, CREATED + 300),
    ];
    for v in &history {
        verify(store, "p", v.clone());
        assert_eq!(tag_values(store, "p", "outcome"), [v.outcome.as_str()], "the outcome tag follows");
    }
    let details = store.plan(&id("p")).unwrap();
    assert_eq!(details.verifications, history, "oldest first, nothing lost");
    assert_eq!(details.latest_verification(), Some(&history[2]));
    let summary = store.query_plans(&Default::default()).unwrap();
    let p = summary.iter().find(|s| s.plan.id.as_str() == "p").unwrap();
    assert_eq!((p.verifications, p.outcome), (3, Some(Outcome::Partial)));
    let q = summary.iter().find(|s| s.plan.id.as_str() == "q").unwrap();
    assert_eq!((q.verifications, q.outcome), (0, None));
    assert!(tag_values(store, "q", "outcome").is_empty());
}

pub fn a_verify_batch_naming_a_plan_twice_keeps_both_and_the_later_counts(store: &dyn CalibrationStore) {
    record(store, &[plan("p"), plan("q")]);
    let batch = [
        (id("p"), verification(Outcome::Abandoned, CREATED + 100)),
        (id("q"), verification(Outcome::Shipped, CREATED + 100)),
        (id("p"), verification(Outcome::Shipped, CREATED + 200)),
    ];
    assert_eq!(store.verify_plans(&batch).unwrap(), 3);
    let p = store.plan(&id("p")).unwrap();
    assert_eq!(p.verifications, [batch[0].1.clone(), batch[2].1.clone()]);
    assert_eq!(tag_values(store, "p", "outcome"), ["shipped"]);
    assert_eq!(tag_values(store, "q", "outcome"), ["shipped"]);
}

pub fn verify_of_an_unknown_plan_is_not_found(store: &dyn CalibrationStore) {
    let err = store.verify_plans(&[(id("ghost"), verification(Outcome::Shipped, CREATED))]);
    assert!(matches!(err, Err(StoreError::NotFound(Missing::Plan { id, .. })) if id == "ghost"));
    assert_eq!(counts(store).verifications, 0);
}

pub fn progress_reports_every_item(store: &dyn CalibrationStore) {
    // More than two of the store's rounds of batch writes (1,024 plans each).
    let plans: Vec<_> = (0..2_500).map(|i| bare_plan(&format!("p{i:04}"))).collect();
    let mut total = 0;
    let summary = store.record_plans_with_progress(&plans, RECORDED, &mut |n| total += n).unwrap();
    assert_eq!((summary.new, total), (2_500, 2_500));
    let batch: Vec<_> =
        plans.iter().map(|p| (p.plan.id.clone(), bare_verification(Outcome::Shipped, CREATED))).collect();
    let mut total = 0;
    assert_eq!(store.verify_plans_with_progress(&batch, &mut |n| total += n).unwrap(), 2_500);
    assert_eq!(total, 2_500);
    let items = export(store);
    let mut total = 0;
    assert_eq!(store.import_with_progress(&mut stream(&items), &mut |n| total += n).unwrap(), 2_500);
    assert_eq!(total, 2_500);
}

/// The history `init` consults: whether a shape signature was recorded (re-records move a
/// plan's signature), and the tiers recorded phases of given slugs went to.
pub fn shape_history_answers_novelty_and_slug_tiers(store: &dyn CalibrationStore) {
    use skillnet_core::plan_dir::shape_hash::shape_signature;
    let signature = |r: &skillnet_core::PlanRecord| {
        let p = &r.plan;
        shape_signature(p.phase_count, p.max_chain_depth, p.repo_spread, &p.routing_dist)
    };
    let slugs = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let original = signature(&plan("a"));
    let empty = store.shape_history(&original, &slugs(&["schema"])).unwrap();
    assert!(!empty.shape_seen && empty.slug_tiers.is_empty());

    record(store, &[plan("a"), plan("b")]);
    let facts = store.shape_history(&original, &slugs(&["schema", "api", "missing"])).unwrap();
    assert!(facts.shape_seen);
    let tiers: Vec<(String, String, i64)> = facts
        .slug_tiers
        .iter()
        .flat_map(|(slug, tiers)| tiers.iter().map(move |(t, n)| (slug.clone(), t.clone(), *n)))
        .collect();
    assert_eq!(tiers, [("api".into(), "medium".into(), 2), ("schema".into(), "low".into(), 2)]);

    let mut moved = plan("a");
    moved.plan.routing_dist.insert("max".into(), 9);
    record(store, &[moved.clone()]);
    assert!(store.shape_history(&original, &[]).unwrap().shape_seen, "b still has it");
    assert!(store.shape_history(&signature(&moved), &[]).unwrap().shape_seen);
    let mut moved_b = moved.clone();
    moved_b.plan.id = id("b");
    record(store, &[moved_b]);
    assert!(!store.shape_history(&original, &[]).unwrap().shape_seen, "no plan has it any more");
}
