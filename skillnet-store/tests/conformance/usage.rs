//! Skill uses: `record_skill_use` and `skill_usage`, retried reports, the link to the plan in
//! progress, and what is refused.

use serde_json::Value;
use skillnet_core::usage::SkillUse;
use skillnet_core::Outcome;
use skillnet_store::{
    CalibrationStore, HistoryItem, SkillUsage, StoreError, StoredSkillUse, UsageQuery, UseRecorded,
};

use crate::fixtures::*;
use crate::harness::{fresh_database, Raw};

fn used_in(dir: &str, at: i64) -> SkillUse {
    SkillUse { project_dir: Some(dir.into()), ..skill_use("simplify", "claude-code", at) }
}

fn summary(rows: &[SkillUsage]) -> Vec<(&str, &str, i64, i64, i64, i64)> {
    rows.iter()
        .map(|r| (r.skill.as_str(), r.harness.as_str(), r.uses, r.errors, r.first_used, r.last_used))
        .collect()
}

fn linked_plan(store: &dyn CalibrationStore, u: &SkillUse) -> Option<String> {
    match store.record_skill_use(u).unwrap() {
        UseRecorded::Recorded { plan_id, .. } => plan_id.map(String::from),
        UseRecorded::AlreadyRecorded => panic!("a new use was taken for a retry"),
    }
}

pub fn uses_are_reported_per_skill_and_harness(store: &dyn CalibrationStore) {
    assert!(store.skill_usage(&UsageQuery::default()).unwrap().is_empty());
    let mut failed = skill_use("simplify", "claude-code", 1_700_000_300);
    failed.outcome = Some("error".into());
    for u in [
        skill_use("simplify", "claude-code", 1_700_000_100),
        skill_use("Superpowers:Simplify", "claude-code", 1_700_000_200),
        failed,
        skill_use("simplify", "codex", 1_700_000_400),
        skill_use("brainstorming", "claude-code", 1_700_000_500),
    ] {
        assert!(matches!(store.record_skill_use(&u).unwrap(), UseRecorded::Recorded { plan_id: None, .. }));
    }
    let all = store.skill_usage(&UsageQuery::default()).unwrap();
    assert_eq!(
        summary(&all),
        [
            ("simplify", "claude-code", 3, 1, 1_700_000_100, 1_700_000_300),
            ("brainstorming", "claude-code", 1, 0, 1_700_000_500, 1_700_000_500),
            ("simplify", "codex", 1, 0, 1_700_000_400, 1_700_000_400),
        ]
    );
    // The window starts at `since`, inclusive.
    let recent = store.skill_usage(&UsageQuery { since: Some(1_700_000_300), plan: None }).unwrap();
    assert_eq!(
        summary(&recent),
        [
            ("brainstorming", "claude-code", 1, 0, 1_700_000_500, 1_700_000_500),
            ("simplify", "claude-code", 1, 1, 1_700_000_300, 1_700_000_300),
            ("simplify", "codex", 1, 0, 1_700_000_400, 1_700_000_400),
        ]
    );
    assert!(store.skill_usage(&UsageQuery { since: Some(1_700_000_501), plan: None }).unwrap().is_empty());
    // The row keeps what 0.6 kept: the name as given and the payload as JSON.
    let mut raw = Raw::connect(store);
    assert_eq!(
        raw.number("SELECT count(*) AS n FROM skill_invocations WHERE skill_name = 'Superpowers:Simplify'"),
        1
    );
    assert_eq!(
        raw.lines(
            "SELECT DISTINCT hook_event || '|' || coalesce(tool_name, '-') AS line FROM skill_invocations"
        ),
        ["PostToolUse|Skill"]
    );
}

/// A hook event that names no skill (`SessionEnd`, stored under its own name with no tool, as
/// 0.6 stored it) is kept, but is no skill use: reports do not count it.
pub fn an_event_that_names_no_skill_is_kept_but_not_counted(store: &dyn CalibrationStore) {
    let session_end = SkillUse {
        skill_name: "SessionEnd".into(),
        tool_name: None,
        event: "SessionEnd".into(),
        payload: r#"{"reason": "exit"}"#.into(),
        ..skill_use("SessionEnd", "claude-code", 1_700_000_200)
    };
    // A harness-neutral report names its skill with no tool: that is a use.
    let reported = SkillUse {
        tool_name: None,
        event: "usage-record".into(),
        ..skill_use("review", "codex", 1_700_000_300)
    };
    for u in [skill_use("simplify", "claude-code", 1_700_000_100), session_end, reported] {
        assert!(matches!(store.record_skill_use(&u).unwrap(), UseRecorded::Recorded { .. }));
    }
    let all = store.skill_usage(&UsageQuery::default()).unwrap();
    assert_eq!(
        summary(&all),
        [
            ("review", "codex", 1, 0, 1_700_000_300, 1_700_000_300),
            ("simplify", "claude-code", 1, 0, 1_700_000_100, 1_700_000_100)
        ]
    );
    assert_eq!(Raw::connect(store).number("SELECT count(*) AS n FROM skill_invocations"), 3);
}

pub fn a_retried_report_is_stored_once(store: &dyn CalibrationStore) {
    let mut first = skill_use("simplify", "claude-code", 1_700_000_100);
    first.source_event_id = Some("toolu_01".into());
    assert!(matches!(store.record_skill_use(&first).unwrap(), UseRecorded::Recorded { .. }));
    let mut retry = first.clone();
    retry.at += 5;
    assert_eq!(store.record_skill_use(&retry).unwrap(), UseRecorded::AlreadyRecorded);
    // The same id from another harness is another event; no id at all is never a retry.
    let mut other = first.clone();
    other.harness = "codex".into();
    assert!(matches!(store.record_skill_use(&other).unwrap(), UseRecorded::Recorded { .. }));
    let anonymous = skill_use("simplify", "claude-code", 1_700_000_100);
    for _ in 0..2 {
        assert!(matches!(store.record_skill_use(&anonymous).unwrap(), UseRecorded::Recorded { .. }));
    }
    let uses: Vec<(String, i64)> =
        store.skill_usage(&UsageQuery::default()).unwrap().into_iter().map(|u| (u.harness, u.uses)).collect();
    assert_eq!(uses, [("claude-code".to_owned(), 3), ("codex".to_owned(), 1)]);
}

pub fn a_use_inside_a_plan_in_progress_is_linked_to_it(store: &dyn CalibrationStore) {
    let mut outer = plan("outer");
    outer.plan.path = Some("/work/repo".into());
    let mut inner = plan("inner");
    inner.plan.path = Some("/work/repo/plans/inner".into());
    let mut done = plan("done");
    done.plan.path = Some("/work/done".into());
    record(store, &[outer, inner, done]);
    verify(store, "done", verification(Outcome::Shipped, 1_700_000_600));

    assert_eq!(linked_plan(store, &used_in("/work/repo/plans/inner/src", 1)).as_deref(), Some("inner"));
    assert_eq!(linked_plan(store, &used_in("/work/repo/plans/inner/", 2)).as_deref(), Some("inner"));
    assert_eq!(linked_plan(store, &used_in("/work/repo/src", 3)).as_deref(), Some("outer"));
    assert_eq!(linked_plan(store, &used_in("/work/repo", 4)).as_deref(), Some("outer"));
    // A sibling directory that merely starts with the plan's path is not inside it.
    assert_eq!(linked_plan(store, &used_in("/work/repo-old", 5)), None);
    assert_eq!(linked_plan(store, &used_in("/work", 6)), None);
    // A verified plan's life is over.
    assert_eq!(linked_plan(store, &used_in("/work/done/src", 7)), None);
    verify(store, "inner", verification(Outcome::Shipped, 1_700_000_700));
    assert_eq!(linked_plan(store, &used_in("/work/repo/plans/inner", 8)).as_deref(), Some("outer"));

    let of = |plan: &str| {
        let query = UsageQuery { since: None, plan: Some(id(plan)) };
        store.skill_usage(&query).unwrap().into_iter().map(|u| u.uses).sum::<i64>()
    };
    assert_eq!((of("inner"), of("outer"), of("done")), (2, 3, 0));
}

fn uses_in(items: &[HistoryItem]) -> Vec<StoredSkillUse> {
    items
        .iter()
        .filter_map(|item| match item {
            HistoryItem::SkillUse(u) => Some((**u).clone()),
            _ => None,
        })
        .collect()
}

pub fn uses_survive_an_export_and_an_import(store: &dyn CalibrationStore) {
    let mut in_progress = plan("p-1");
    in_progress.plan.path = Some("/work/p-1".into());
    record(store, &[in_progress]);
    let mut retried = used_in("/work/p-1/src", 1_700_000_100);
    retried.source_event_id = Some("toolu_9".into());
    retried.payload = r#"{"tool_input":   {"skill": "simplify"}, "b": [1, 2.5, null], "a": "\u00e9"}"#.into();
    store.record_skill_use(&retried).unwrap();
    store.record_skill_use(&skill_use("brainstorming", "codex", 1_700_000_200)).unwrap();

    let exported = export(store);
    let uses = uses_in(&exported);
    assert_eq!(uses.len(), 2, "{exported:?}");
    assert_eq!((uses[0].plan_id.clone(), uses[1].plan_id.clone()), (Some(id("p-1")), None));
    assert_eq!((uses[0].reported.at, uses[0].ended_at), (1_700_000_100, Some(1_700_000_100)));
    assert_eq!(uses[0].reported.source_event_id.as_deref(), Some("toolu_9"));
    let payload = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(payload(&uses[0].reported.payload), payload(&retried.payload));
    // Written in one spelling whichever backend holds it.
    assert_eq!(uses[0].reported.payload, r#"{"a":"é","b":[1,2.5,null],"tool_input":{"skill":"simplify"}}"#);

    let target_db = fresh_database(store);
    let target = skillnet_store::open(target_db.url()).unwrap();
    assert_eq!(target.import(&mut stream(&exported)).unwrap(), exported.len());
    assert_eq!(export(&*target), exported);
    let jsonl = export_jsonl(store);
    assert_eq!(export_jsonl(&*target), jsonl, "the JSON Lines export is byte for byte the same");
    let parsed: Vec<HistoryItem> =
        jsonl.lines().map(|line| HistoryItem::from_export_line(line).unwrap()).collect();
    assert_eq!(parsed, exported);
    let all = UsageQuery::default();
    assert_eq!(target.skill_usage(&all).unwrap(), store.skill_usage(&all).unwrap());
    let of_plan = UsageQuery { since: None, plan: Some(id("p-1")) };
    assert_eq!(target.skill_usage(&of_plan).unwrap().len(), 1);

    // Importing the same history again replaces the uses by id: nothing doubles, links hold.
    target.import(&mut stream(&exported)).unwrap();
    assert_eq!(export(&*target), exported);
    // The retried event stays stored once, and new uses take new ids.
    assert!(matches!(target.record_skill_use(&retried).unwrap(), UseRecorded::AlreadyRecorded));
    let UseRecorded::Recorded { id: new_id, .. } =
        target.record_skill_use(&skill_use("simplify", "codex", 1_700_000_300)).unwrap()
    else {
        panic!("a new use was taken for a retry")
    };
    assert!(new_id > uses[1].id, "{new_id} after {}", uses[1].id);

    // A use whose plan is not in the history is kept, unlinked.
    let mut orphan = uses[0].clone();
    (orphan.id, orphan.plan_id, orphan.reported.source_event_id) = (1_000, Some(id("gone")), None);
    target.import(&mut stream(&[HistoryItem::SkillUse(Box::new(orphan))])).unwrap();
    let kept = uses_in(&export(&*target)).into_iter().find(|u| u.id == 1_000).unwrap();
    assert_eq!(kept.plan_id, None);
}

pub fn bad_uses_are_refused_and_write_nothing(store: &dyn CalibrationStore) {
    let good = skill_use("simplify", "claude-code", 1_700_000_100);
    let cases: Vec<(&str, SkillUse)> = vec![
        ("skill", SkillUse { skill_name: "sim\0plify".into(), ..good.clone() }),
        ("skill", SkillUse { skill_name: String::new(), ..good.clone() }),
        ("session_id", SkillUse { session_id: "x".repeat(2000), ..good.clone() }),
        ("payload", SkillUse { payload: "{".into(), ..good.clone() }),
        ("payload", SkillUse { payload: r#"{"a": "b\u0000c"}"#.into(), ..good.clone() }),
        ("project_dir", SkillUse { project_dir: Some("/a\0b".into()), ..good.clone() }),
        ("at", SkillUse { at: -1, ..good.clone() }),
    ];
    for (field, bad) in cases {
        let err = store.record_skill_use(&bad).unwrap_err();
        assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains(field)), "{field}: {err:?}");
    }
    assert!(store.skill_usage(&UsageQuery::default()).unwrap().is_empty());
}
