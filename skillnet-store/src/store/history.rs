//! The history as a whole: export lines, row counts, migrations.

use serde::{Deserialize, Serialize};

use skillnet_core::tag::is_auto_key;
use skillnet_core::{Phase, Plan, TagKey, Trigger, Verification};

use super::{PlanDetails, Proposal, StoredTag};

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
}

impl HistoryItem {
    /// Reads one line of an export: skillnet's (`{"kind": "plan", ...}`), or skillnet 0.6's (a
    /// plan's columns at the top level, its triggers, phases and tags, and its newest
    /// verification as `verify`). A 0.6 line keeps no record time, tag sources or phase
    /// progress: `recorded_at` is the plan's `created_at`, a tag under an auto key is `auto`
    /// and any other `user` (as when a 0.6 database is adopted), and phases start queued.
    pub fn from_export_line(line: &str) -> serde_json::Result<Self> {
        let value: serde_json::Value = serde_json::from_str(line)?;
        if value.get("kind").is_some() {
            return serde_json::from_value(value);
        }
        let old: ZeroSixExportLine = serde_json::from_value(value)?;
        let tags = old
            .tags
            .into_iter()
            .map(|t| {
                let source = if is_auto_key(t.key.as_str()) {
                    skillnet_core::TagSource::Auto
                } else {
                    skillnet_core::TagSource::User
                };
                StoredTag { key: t.key, value: t.value, source }
            })
            .collect();
        Ok(HistoryItem::Plan(Box::new(PlanDetails {
            recorded_at: old.plan.created_at,
            plan: old.plan,
            phases: old.phases,
            triggers: old.triggers,
            tags,
            verifications: old.verify.into_iter().collect(),
            phase_status: Vec::new(),
            transitions: Vec::new(),
        })))
    }
}

/// One line of skillnet 0.6's `export`.
#[derive(Deserialize)]
struct ZeroSixExportLine {
    #[serde(flatten)]
    plan: Plan,
    triggers: Vec<Trigger>,
    phases: Vec<Phase>,
    #[serde(default)]
    tags: Vec<ZeroSixTag>,
    verify: Option<Verification>,
}

#[derive(Deserialize)]
struct ZeroSixTag {
    key: TagKey,
    value: String,
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
}
