//! [`PlanDetails`] as JSON: the object `show` prints and each plan line of an export holds.
//!
//! The object is a superset of skillnet 0.6's: the plan's fields at the top level, `triggers`,
//! `phases`, `tags` as `{key, value}` (with skillnet's `source` beside them) and `verify`, the
//! newest verification or `null`; then skillnet's own `recorded_at`, `verifications` (all of them,
//! oldest first), `phase_status` and `transitions`.
//!
//! Reading is as forgiving as the history it meets: a 0.6 line has no `recorded_at` (the plan's
//! `created_at` stands in), tags without a source (a tag under an auto key is `auto`, any other
//! `user`, as when a 0.6 database is adopted), only `verify` (the one verification it kept), and
//! no phase progress (phases start queued).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use skillnet_core::tag::is_auto_key;
use skillnet_core::{Phase, Plan, TagKey, TagSource, Trigger, Verification};

use super::{PhaseState, PhaseTransitionRecord, PlanDetails, StoredTag};

#[derive(Serialize)]
struct Written<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    triggers: &'a [Trigger],
    phases: &'a [Phase],
    tags: &'a [StoredTag],
    verify: Option<&'a Verification>,
    recorded_at: i64,
    verifications: &'a [Verification],
    phase_status: &'a [PhaseState],
    transitions: &'a [PhaseTransitionRecord],
}

impl Serialize for PlanDetails {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Written {
            plan: &self.plan,
            triggers: &self.triggers,
            phases: &self.phases,
            tags: &self.tags,
            verify: self.latest_verification(),
            recorded_at: self.recorded_at,
            verifications: &self.verifications,
            phase_status: &self.phase_status,
            transitions: &self.transitions,
        }
        .serialize(serializer)
    }
}

#[derive(Deserialize)]
struct Read {
    #[serde(flatten)]
    plan: Plan,
    triggers: Vec<Trigger>,
    phases: Vec<Phase>,
    #[serde(default)]
    tags: Vec<ReadTag>,
    #[serde(default)]
    verify: Option<Verification>,
    recorded_at: Option<i64>,
    verifications: Option<Vec<Verification>>,
    #[serde(default)]
    phase_status: Vec<PhaseState>,
    #[serde(default)]
    transitions: Vec<PhaseTransitionRecord>,
}

#[derive(Deserialize)]
struct ReadTag {
    key: TagKey,
    value: String,
    source: Option<TagSource>,
}

impl<'de> Deserialize<'de> for PlanDetails {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = Read::deserialize(deserializer)?;
        let tags = read
            .tags
            .into_iter()
            .map(|t| {
                let source = t.source.unwrap_or(if is_auto_key(t.key.as_str()) {
                    TagSource::Auto
                } else {
                    TagSource::User
                });
                StoredTag { key: t.key, value: t.value, source }
            })
            .collect();
        Ok(PlanDetails {
            recorded_at: read.recorded_at.unwrap_or(read.plan.created_at),
            plan: read.plan,
            phases: read.phases,
            triggers: read.triggers,
            tags,
            verifications: read.verifications.unwrap_or_else(|| read.verify.into_iter().collect()),
            phase_status: read.phase_status,
            transitions: read.transitions,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{HistoryItem, PlanDetails};

    fn plan_line() -> serde_json::Value {
        json!({
            "id": "p-1", "name": "one", "path": "/plans/one", "flavor": "codex", "worktype": null,
            "created_at": 100, "phase_count": 1, "wave_count": 1, "max_chain_depth": 1,
            "repo_spread": 1, "routing_dist": {"low": 1}, "shape_hash": "abc", "capture_reasons": [],
            "generator": null,
            "phases": [{"ordinal": 1, "slug": "only", "routing_tier": "low", "files": ["a.rs"]}],
            "triggers": [{"name": "phase-count", "input_value": 1.0, "threshold": 5.0, "fired": false,
                          "section_added": null}],
        })
    }

    fn verification(at: i64) -> serde_json::Value {
        json!({"verified_at": at, "elapsed_seconds": null, "outcome": "shipped",
               "phase_outcomes": {"only": "passed"}, "emergency_changes": null, "surprises": null})
    }

    fn read(line: &serde_json::Value) -> PlanDetails {
        match HistoryItem::from_export_line(&line.to_string()).unwrap() {
            HistoryItem::Plan(plan) => *plan,
            other => panic!("not a plan: {other:?}"),
        }
    }

    #[test]
    fn a_plan_is_written_as_0_6_wrote_it_with_skillnet_s_keys_beside() {
        let mut line = plan_line();
        line["kind"] = json!("plan");
        line["recorded_at"] = json!(150);
        line["tags"] = json!([{"key": "flavor", "value": "codex", "source": "auto"}]);
        line["verifications"] = json!([verification(200), verification(300)]);
        let details = read(&line);
        assert_eq!(details.verifications.len(), 2);
        let written = serde_json::to_value(HistoryItem::Plan(Box::new(details.clone()))).unwrap();
        // 0.6's keys: the plan's fields at the top level, and the newest verification.
        assert_eq!(written["id"], "p-1");
        assert_eq!(written["routing_dist"], json!({"low": 1}));
        assert_eq!(written["verify"], verification(300));
        assert_eq!(written["tags"][0]["key"], "flavor");
        assert!(written.get("plan").is_none());
        assert_eq!(read(&written), details, "what is written reads back the same");
    }

    #[test]
    fn lines_of_0_6_and_of_earlier_skillnet_builds_are_read() {
        // 0.6: no kind, no record time, tags without a source, one verification as `verify`.
        let mut old = plan_line();
        old["tags"] = json!([{"key": "flavor", "value": "codex"}, {"key": "team", "value": "core"}]);
        old["verify"] = verification(200);
        let details = read(&old);
        assert_eq!(details.recorded_at, 100);
        let sources: Vec<String> = details.tags.iter().map(|t| t.source.to_string()).collect();
        assert_eq!(sources, ["auto", "user"]);
        assert_eq!(details.verifications.len(), 1);
        assert!(details.phase_status.is_empty());
        // 0.6 stored an outcome as it was written: it reads as the outcome it means, as
        // adopting a 0.6 database does.
        // 0.6 stored values skillnet does not allow: they read as adopting reads them.
        old["verify"]["outcome"] = json!("Success");
        old["verify"]["elapsed_seconds"] = json!(-5);
        old["tags"] = json!([{"key": "Team Name", "value": "core"}, {"key": "x", "value": ""}]);
        old["id"] = json!(" p-1 ");
        let details = read(&old);
        assert_eq!(details.plan.id.as_str(), "p-1");
        assert_eq!(details.verifications[0].outcome, skillnet_core::Outcome::Shipped);
        assert_eq!(details.verifications[0].elapsed_seconds, None);
        let tags: Vec<String> = details.tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect();
        assert_eq!(tags, ["team-name=core"]);

        // Earlier skillnet builds nested the plan's fields under `plan`.
        let mut nested = serde_json::Map::new();
        let mut plan = serde_json::Map::new();
        for (key, value) in plan_line().as_object().unwrap() {
            match key.as_str() {
                "phases" | "triggers" => nested.insert(key.clone(), value.clone()),
                _ => plan.insert(key.clone(), value.clone()),
            };
        }
        nested.insert("plan".into(), plan.into());
        nested.insert("kind".into(), json!("plan"));
        nested.insert("recorded_at".into(), json!(150));
        nested.insert("tags".into(), json!([]));
        nested.insert("verifications".into(), json!([]));
        let details = read(&nested.into());
        assert_eq!((details.plan.name.as_str(), details.recorded_at), ("one", 150));
    }
}
