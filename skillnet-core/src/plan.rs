//! Plans, their phases and the heuristic triggers evaluated against them.
//!
//! These are the validated forms of what a sidecar describes (see [`crate::sidecar`]); the
//! store persists them as they are and hands them back in the same shape.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::tag::Tag;
use crate::verification::Verification;

/// The identifier of a plan: a non-empty string, a UUID by convention.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlanId(String);

/// A plan id that breaks the rule that ids are non-empty and carry no surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid plan id `{}`: a plan id is a non-empty string without surrounding whitespace",
    crate::limits::excerpt(.0)
)]
pub struct InvalidPlanId(pub String);

impl PlanId {
    /// Validates `id` and wraps it.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidPlanId> {
        let id = id.into();
        if id.is_empty() || id.trim() != id {
            return Err(InvalidPlanId(id));
        }
        Ok(Self(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id an id written as skillnet 0.6 stored it reads as: a valid id as it is, any other
    /// without the white space around it, `plan-without-id` when nothing is left.
    pub fn from_written(written: &str) -> PlanId {
        match written.trim() {
            "" => Self("plan-without-id".to_owned()),
            trimmed => Self(trimmed.to_owned()),
        }
    }
}

impl TryFrom<String> for PlanId {
    type Error = InvalidPlanId;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        Self::new(id)
    }
}

impl From<PlanId> for String {
    fn from(id: PlanId) -> Self {
        id.0
    }
}

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PlanId {
    type Err = InvalidPlanId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

/// A multi-phase plan's shape, as measured when it was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Unique id of the plan.
    pub id: PlanId,
    /// Human-readable name.
    pub name: String,
    /// Where the plan was recorded from (its directory), when known.
    #[serde(default)]
    pub path: Option<String>,
    /// Which agent family wrote it: `codex`, `claude`, `mixed`, or free text.
    pub flavor: String,
    /// Optional kind of work (free text).
    #[serde(default)]
    pub worktype: Option<String>,
    /// When the plan was written, in unix seconds.
    pub created_at: i64,
    /// Number of phases.
    pub phase_count: i64,
    /// Number of waves (groups of phases that may run at once).
    pub wave_count: i64,
    /// Length of the longest chain of dependent phases.
    pub max_chain_depth: i64,
    /// Number of repositories the plan touches.
    pub repo_spread: i64,
    /// Number of phases routed to each model tier.
    pub routing_dist: BTreeMap<String, i64>,
    /// Hash of the plan's shape, in hex.
    pub shape_hash: String,
    /// Names of the meta-heuristics that made this plan worth capturing.
    #[serde(default)]
    pub capture_reasons: Vec<String>,
    /// What wrote the plan's sidecar (`skillnet 0.7.0`); `None` for sidecars that do not say,
    /// such as every sidecar skillnet 0.6 wrote.
    #[serde(default)]
    pub generator: Option<String>,
}

/// One phase of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    /// Position of the phase, unique within its plan.
    pub ordinal: i64,
    /// Short name of the phase.
    pub slug: String,
    /// Model tier the phase is routed to (`low`, `medium`, `high`, `max`).
    pub routing_tier: String,
    /// Files the phase expects to touch.
    #[serde(default)]
    pub files: Vec<String>,
}

/// One heuristic evaluated against a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// Heuristic name (from the catalog, or a custom one).
    pub name: String,
    /// The measured value.
    pub input_value: f64,
    /// The threshold in force when the plan was written.
    pub threshold: f64,
    /// Whether the trigger fired: always `input_value >= threshold`.
    pub fired: bool,
    /// The section the author added because it fired, if any.
    #[serde(default)]
    pub section_added: Option<String>,
}

/// Everything `record` stores for one plan, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecord {
    /// The plan itself.
    pub plan: Plan,
    /// Its phases, in sidecar order.
    pub phases: Vec<Phase>,
    /// The heuristics evaluated against it.
    pub triggers: Vec<Trigger>,
    /// Tags from the sidecar's `tags` map.
    pub tags: Vec<Tag>,
    /// The sidecar's `verify` block, when the plan has been executed.
    pub verification: Option<Verification>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_written_with_white_space_around_or_empty_reads_as_a_valid_one() {
        for (written, id) in
            [("p-1", "p-1"), (" p-1\t", "p-1"), ("", "plan-without-id"), ("  ", "plan-without-id")]
        {
            assert_eq!(PlanId::from_written(written).as_str(), id, "{written:?}");
            assert!(PlanId::new(id).is_ok());
        }
    }
}
