//! Builders of the values the tests record: a plan with a bit of everything, a plan with every
//! optional field empty, verifications, tags, and small helpers over the store's results.
//!
//! Tests change what they need on the returned values (`let mut p = plan("a"); p.plan.name = ..`)
//! rather than growing parameter lists here.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use skillnet_core::usage::SkillUse;
use skillnet_core::{
    Outcome, Phase, Plan, PlanId, PlanRecord, Tag, TagKey, TagSource, Trigger, Verification,
};
use skillnet_store::{CalibrationStore, HistoryItem, StoredTag, TableCounts};

/// When the fixture plans were written (unix seconds).
pub const CREATED: i64 = 1_700_000_000;
/// When the fixture plans are recorded (unix seconds).
pub const RECORDED: i64 = 1_700_000_500;

pub fn id(text: &str) -> PlanId {
    PlanId::new(text).expect("valid plan id")
}

pub fn key(text: &str) -> TagKey {
    TagKey::new(text).expect("valid tag key")
}

pub fn tag(k: &str, v: &str) -> Tag {
    Tag::new(k, v).expect("valid tag")
}

pub fn stored(k: &str, v: &str, source: TagSource) -> StoredTag {
    StoredTag { key: key(k), value: v.to_owned(), source }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// A plan with three phases (low, medium, high), two triggers (one fired, with its section),
/// two sidecar tags, a worktype, a capture reason and a path.
pub fn plan(plan_id: &str) -> PlanRecord {
    let phases = vec![
        Phase {
            ordinal: 1,
            slug: "schema".into(),
            routing_tier: "low".into(),
            files: strings(&["migrations/up.sql"]),
        },
        Phase {
            ordinal: 2,
            slug: "api".into(),
            routing_tier: "medium".into(),
            files: strings(&["src/api.rs", "src/lib.rs"]),
        },
        Phase { ordinal: 3, slug: "rollout".into(), routing_tier: "high".into(), files: Vec::new() },
    ];
    let triggers = vec![
        Trigger {
            name: "shared-file-contention".into(),
            input_value: 3.0,
            threshold: 2.0,
            fired: true,
            section_added: Some("Shared-file lockstep".into()),
        },
        Trigger {
            name: "trivial-phase-swamp".into(),
            input_value: 0.25,
            threshold: 0.5,
            fired: false,
            section_added: None,
        },
    ];
    PlanRecord {
        plan: Plan {
            id: id(plan_id),
            name: format!("plan {plan_id}"),
            path: Some(format!("/work/plans/{plan_id}")),
            flavor: "codex".into(),
            worktype: Some("feature".into()),
            created_at: CREATED,
            phase_count: 3,
            wave_count: 2,
            max_chain_depth: 3,
            repo_spread: 2,
            routing_dist: BTreeMap::from([("high".into(), 1), ("low".into(), 1), ("medium".into(), 1)]),
            shape_hash: "9f86d081884c7d65".into(),
            capture_reasons: strings(&["novel-shape"]),
            generator: Some("skillnet 0.7.0".into()),
        },
        phases,
        triggers,
        tags: vec![tag("team", "infra"), tag("component", "store")],
        verification: None,
    }
}

/// A plan with every optional field empty: no path, worktype, phases, triggers, tags or reasons.
pub fn bare_plan(plan_id: &str) -> PlanRecord {
    let mut record = plan(plan_id);
    record.plan.path = None;
    record.plan.worktype = None;
    record.plan.phase_count = 0;
    record.plan.routing_dist.clear();
    record.plan.capture_reasons.clear();
    record.plan.generator = None;
    record.plan.repo_spread = 1;
    record.phases.clear();
    record.triggers = vec![Trigger {
        name: "custom-heuristic".into(),
        input_value: 1.0,
        threshold: 2.0,
        fired: false,
        section_added: None,
    }];
    record.tags.clear();
    record
}

/// A plan written at `created_at`.
pub fn plan_at(plan_id: &str, created_at: i64) -> PlanRecord {
    let mut record = plan(plan_id);
    record.plan.created_at = created_at;
    record
}

/// A verification with every field set.
pub fn verification(outcome: Outcome, verified_at: i64) -> Verification {
    Verification {
        verified_at,
        elapsed_seconds: Some(5_400),
        outcome,
        phase_outcomes: BTreeMap::from([
            ("api".into(), "landed".into()),
            ("rollout".into(), "failed".into()),
            ("schema".into(), "landed".into()),
        ]),
        emergency_changes: Some(json!({"reverted": ["src/api.rs"], "reason": "hotfix"})),
        surprises: Some("dead-weight: trivial-phase-swamp: never mattered\nthe rollout needed a flag".into()),
    }
}

/// A verification with every optional field empty.
pub fn bare_verification(outcome: Outcome, verified_at: i64) -> Verification {
    Verification {
        verified_at,
        elapsed_seconds: None,
        outcome,
        phase_outcomes: BTreeMap::new(),
        emergency_changes: None,
        surprises: None,
    }
}

/// Records `plans` at [`RECORDED`], which must succeed.
pub fn record(store: &dyn CalibrationStore, plans: &[PlanRecord]) {
    store.record_plans(plans, RECORDED).expect("record_plans");
}

/// Verifies one plan, which must succeed.
pub fn verify(store: &dyn CalibrationStore, plan_id: &str, v: Verification) {
    store.verify_plans(&[(id(plan_id), v)]).expect("verify_plans");
}

/// The whole export of a store.
pub fn export(store: &dyn CalibrationStore) -> Vec<HistoryItem> {
    let mut items = Vec::new();
    store
        .export(&mut |item| {
            items.push(item);
            Ok(())
        })
        .expect("export");
    items
}

/// History items as `import` takes them: one at a time, each a `Result`.
pub fn stream(items: &[HistoryItem]) -> impl Iterator<Item = skillnet_store::Result<HistoryItem>> + '_ {
    items.iter().cloned().map(Ok)
}

/// The export as JSON Lines, as the CLI writes it.
pub fn export_jsonl(store: &dyn CalibrationStore) -> String {
    export(store).iter().map(|item| serde_json::to_string(item).expect("serialize") + "\n").collect()
}

pub fn counts(store: &dyn CalibrationStore) -> TableCounts {
    store.counts().expect("counts")
}

/// The values of one tag key on a plan.
pub fn tag_values(store: &dyn CalibrationStore, plan_id: &str, k: &str) -> Vec<String> {
    let details = store.plan(&id(plan_id)).expect("plan");
    details.tags.into_iter().filter(|t| t.key.as_str() == k).map(|t| t.value).collect()
}

/// JSON equality by meaning: objects by key regardless of order, numbers by value (PostgreSQL's
/// JSONB may print `1e16` as `10000000000000000`), arrays and everything else exactly.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(i), Some(j), _, _) => i == j,
            (_, _, Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

/// A use of `skill` through `harness` at `at`, reported without an event id.
pub fn skill_use(skill: &str, harness: &str, at: i64) -> SkillUse {
    SkillUse {
        harness: harness.into(),
        source_event_id: None,
        session_id: "session-1".into(),
        skill_name: skill.into(),
        tool_name: Some("Skill".into()),
        project_dir: None,
        outcome: Some("ok".into()),
        event: "PostToolUse".into(),
        adapter_version: Some("test/1".into()),
        payload: format!(r#"{{"tool_input": {{"skill": "{skill}"}}}}"#),
        at,
    }
}
