//! Plans as the store returns them: details, listings and what a record call did.

use serde::{Deserialize, Serialize};
use skillnet_core::phase_status::PlanStatus;
use skillnet_core::{Outcome, Phase, Plan, Tag, TagKey, TagSource, Trigger, Verification};

use super::{PhaseState, PhaseTransitionRecord};

/// What a `record_plans` call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RecordSummary {
    /// Plans recorded for the first time.
    pub new: usize,
    /// Plans recorded before and replaced.
    pub updated: usize,
}

/// A tag as stored, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoredTag {
    /// The key.
    pub key: TagKey,
    /// The value.
    pub value: String,
    /// Who set it.
    pub source: TagSource,
}

/// Everything stored about one plan: the unit of `show`, `export` and `import`.
///
/// As JSON the plan's fields are at the top level beside `triggers`, `phases`,
/// `tags` and `verify` (the newest verification), as skillnet 0.6 wrote them, with skillnet's own
/// keys beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDetails {
    /// The plan.
    pub plan: Plan,
    /// When it was last recorded (unix seconds).
    pub recorded_at: i64,
    /// Its phases, by ordinal.
    pub phases: Vec<Phase>,
    /// Its triggers, in recorded order.
    pub triggers: Vec<Trigger>,
    /// Its tags, by key then value.
    pub tags: Vec<StoredTag>,
    /// Its verifications, oldest first; the last one counts.
    pub verifications: Vec<Verification>,
    /// Each phase's tracked status, by ordinal.
    pub phase_status: Vec<PhaseState>,
    /// Every phase transition, oldest first.
    pub transitions: Vec<PhaseTransitionRecord>,
}

impl PlanDetails {
    /// The verification that counts: the newest.
    pub fn latest_verification(&self) -> Option<&Verification> {
        self.verifications.last()
    }

    /// The plan's status, derived from its verifications and phase statuses.
    pub fn status(&self) -> PlanStatus {
        PlanStatus::derive(!self.verifications.is_empty(), self.phase_status.iter().map(|p| p.status))
    }
}

/// Filters for [`CalibrationStore::query_plans`](crate::CalibrationStore::query_plans).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanQuery {
    /// Plans must carry every one of these tags.
    pub tags: Vec<Tag>,
    /// `Some(true)`: only verified plans; `Some(false)`: only unverified ones.
    pub verified: Option<bool>,
    /// At most this many plans.
    pub limit: Option<i64>,
    /// Only plans evaluated against this trigger (heuristic).
    pub trigger: Option<String>,
    /// With `trigger`: `Some(true)` only plans where it fired, `Some(false)` only where it did
    /// not.
    pub fired: Option<bool>,
}

/// One line of a plan listing.
///
/// As JSON, skillnet 0.6's listing entry (the plan's fields at the top level and its `tags` as
/// `{key, value}`, here with their `source` too) with `verifications` and `outcome` beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    /// The plan as recorded.
    #[serde(flatten)]
    pub plan: Plan,
    /// Its tags, sorted by key and value.
    pub tags: Vec<StoredTag>,
    /// Number of verifications.
    pub verifications: i64,
    /// Outcome of the newest verification.
    pub outcome: Option<Outcome>,
}
