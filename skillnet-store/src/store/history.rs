//! The history as a whole: export lines, row counts, migrations.

use serde::{Deserialize, Serialize};
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
    /// The verification outcomes 0.6 kept as written that are none of skillnet's, and what each
    /// reads as, in byte order of what was written (none for most histories).
    pub outcomes_read: Vec<OutcomeRead>,
}

/// An outcome a skillnet 0.6 verification held as it was written (0.6 checked none), and the
/// outcome it reads as ([`Outcome::from_written`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRead {
    /// What the verifications say (`success`).
    pub written: String,
    /// The outcome it reads as (shipped).
    pub read_as: Outcome,
    /// How many verifications say it.
    pub verifications: i64,
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
                // 0.6 stored a verification's outcome as it was written: it reads as adopting a
                // 0.6 database reads it.
                let outcome = line.get_mut("verify").and_then(|verify| verify.get_mut("outcome"));
                if let Some(outcome) = outcome {
                    let read =
                        outcome.as_str().filter(|o| o.parse::<Outcome>().is_err()).map(Outcome::from_written);
                    if let Some(read) = read {
                        *outcome = read.as_str().into();
                    }
                }
                return serde_json::from_value(value).map(|plan| HistoryItem::Plan(Box::new(plan)));
            }
        }
        serde_json::from_value(value)
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
