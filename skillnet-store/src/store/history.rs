//! The history as a whole: export lines, row counts, migrations.

use serde::{Deserialize, Serialize};
use skillnet_core::tag::TagKey;
use skillnet_core::Outcome;

use super::{PlanDetails, Proposal, StoredSkillUse};

/// Applied and pending migrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationStatus {
    /// Versions applied to the database, oldest first.
    pub applied: Vec<String>,
    /// Versions this build knows and the database lacks.
    pub pending: Vec<String>,
    /// `Some(plans)` when the database is a skillnet 0.6 one with this many plans, which the
    /// next migration adopts in place (see [`Adoption`]).
    pub zero_six_plans: Option<i64>,
}

/// A skillnet 0.6 database adopted in place when the store opened (or migrated) it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    /// The plans it held, all carried over.
    pub plans: i64,
    /// The byte copy of the 0.6 file written first (SQLite; `None` for a server database).
    pub backup: Option<std::path::PathBuf>,
    /// The values 0.6 kept that skillnet does not allow, and what each reads as, in the order
    /// the adoption met them (none for most histories).
    pub readings: Vec<Reading>,
}

/// A value a skillnet 0.6 database held that skillnet does not allow (0.6 checked less: it
/// stored a sidecar's plan id, outcome or tag key as it was written), and what the adoption made
/// of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// Where it was: `outcome`, `elapsed_seconds`, `tag key`, `tag` or `plan id`.
    pub field: String,
    /// What 0.6 held (`success`, `Team Name`, `-5`, `x=`, ` p-1 `).
    pub written: String,
    /// What it reads as (`shipped`, `team-name`, `null`, `p-1`); `None` when it was left out (a
    /// tag without a value).
    pub read_as: Option<String>,
    /// How many rows held it.
    pub rows: i64,
}

impl MigrationStatus {
    /// The newest applied version: the schema version.
    pub fn current(&self) -> Option<&str> {
        self.applied.last().map(String::as_str)
    }
}

/// One line of an export: the history is a sequence of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryItem {
    /// A plan with everything it owns.
    Plan(Box<PlanDetails>),
    /// A threshold proposal, with its decision; an accepted one carries its active threshold.
    Proposal(Box<Proposal>),
    /// A skill use, with the plan it is linked to.
    SkillUse(Box<StoredSkillUse>),
}

impl HistoryItem {
    /// Reads one line of an export: skillnet's (`{"kind": "plan", ...}`), or skillnet 0.6's (a
    /// plan line without `kind`; see [`PlanDetails`] for what it lacks and how that is filled
    /// in). A plan nested under `plan`, as earlier skillnet builds wrote it, is read too.
    pub fn from_export_line(line: &str) -> serde_json::Result<Self> {
        let mut value: serde_json::Value = serde_json::from_str(line)?;
        if let Some(line) = value.as_object_mut() {
            if let Some(serde_json::Value::Object(plan)) = line.remove("plan") {
                for (key, field) in plan {
                    line.entry(key).or_insert(field);
                }
            }
            if !line.contains_key("kind") {
                read_as_zero_six_wrote_it(line);
                return serde_json::from_value(value).map(|plan| HistoryItem::Plan(Box::new(plan)));
            }
        }
        serde_json::from_value(value)
    }
}

/// Reads a 0.6 export line's values as adopting a 0.6 database reads them (see
/// [`Adoption::readings`]): a plan id without the white space around it (`plan-without-id` for
/// an empty one), an outcome as the one it means, a tag key as one with the pattern, a negative
/// elapsed time as unknown; a tag without a value is left out.
fn read_as_zero_six_wrote_it(line: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::Value;
    if let Some(Value::String(id)) = line.get_mut("id") {
        *id = skillnet_core::PlanId::from_written(id).as_str().to_owned();
    }
    if let Some(Value::Object(verify)) = line.get_mut("verify") {
        if let Some(outcome) = verify.get_mut("outcome") {
            let read = outcome.as_str().filter(|o| o.parse::<Outcome>().is_err()).map(Outcome::from_written);
            if let Some(read) = read {
                *outcome = read.as_str().into();
            }
        }
        if verify.get("elapsed_seconds").and_then(Value::as_i64).is_some_and(|s| s < 0) {
            verify.insert("elapsed_seconds".into(), Value::Null);
        }
    }
    if let Some(Value::Array(tags)) = line.get_mut("tags") {
        tags.retain(|tag| tag.get("value").and_then(Value::as_str) != Some(""));
        for tag in tags {
            if let Some(key) = tag.get_mut("key") {
                if let Some(read) = key.as_str().map(TagKey::from_written) {
                    *key = read.as_str().into();
                }
            }
        }
    }
}

/// Row counts per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TableCounts {
    /// `plans`.
    pub plans: i64,
    /// `phases`.
    pub phases: i64,
    /// `triggers`.
    pub triggers: i64,
    /// `verifications`.
    pub verifications: i64,
    /// `tags`.
    pub tags: i64,
    /// `phase_transitions`.
    pub phase_transitions: i64,
    /// `calibration_proposals`.
    pub proposals: i64,
    /// `heuristic_thresholds`.
    pub thresholds: i64,
    /// `skill_invocations`.
    pub skill_uses: i64,
}
