//! Skill uses: what recording one did, and the usage report.

use serde::{Deserialize, Serialize};
use skillnet_core::usage::SkillUse;
use skillnet_core::PlanId;

/// What [`crate::CalibrationStore::record_skill_use`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum UseRecorded {
    /// A new row, linked to the plan in progress whose directory holds the use's project
    /// directory, if one does.
    Recorded {
        /// The row's id.
        id: i64,
        /// The plan the use is linked to.
        plan_id: Option<PlanId>,
    },
    /// The harness reported this event before (same harness and event id): nothing changed.
    AlreadyRecorded,
}

/// Which uses a usage report counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageQuery {
    /// Only uses at or after this time (unix seconds).
    pub since: Option<i64>,
    /// Only uses linked to this plan.
    pub plan: Option<PlanId>,
}

/// The uses of one skill through one harness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillUsage {
    /// The skill's canonical name ([`skillnet_core::usage::canonical_skill_name`]).
    pub skill: String,
    /// The harness that reported the uses.
    pub harness: String,
    /// How many uses.
    pub uses: i64,
    /// How many of them ended in an error.
    pub errors: i64,
    /// The first use counted (unix seconds).
    pub first_used: i64,
    /// The last use counted (unix seconds).
    pub last_used: i64,
}

/// A skill use as the history holds it: what the harness reported, with the row's id and the
/// plan it is linked to. An export carries these; an import writes them back with their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSkillUse {
    /// The row's id.
    pub id: i64,
    /// The plan in progress where the use happened, if any.
    pub plan_id: Option<PlanId>,
    /// When the use ended (unix seconds), where the harness said so (skillnet 0.6's hooks did).
    pub ended_at: Option<i64>,
    /// The use as the harness reported it.
    #[serde(flatten)]
    pub reported: SkillUse,
}
