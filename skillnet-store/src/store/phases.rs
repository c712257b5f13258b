//! Phase tracking values: which phase, its state, its log and what a move did.

use serde::{Deserialize, Serialize};
use skillnet_core::phase_status::{PhaseStatus, PlanStatus};
use skillnet_core::PlanId;

use super::PlanDetails;

/// Which phase of a plan: its ordinal, or its slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhaseRef {
    /// The phase's ordinal.
    Ordinal(i64),
    /// The phase's slug.
    Slug(String),
}

impl std::str::FromStr for PhaseRef {
    type Err = std::convert::Infallible;
    /// A whole number is an ordinal; anything else a slug.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(s.parse().map_or_else(|_| PhaseRef::Slug(s.to_owned()), PhaseRef::Ordinal))
    }
}

impl std::fmt::Display for PhaseRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhaseRef::Ordinal(n) => write!(f, "{n}"),
            PhaseRef::Slug(s) => f.write_str(s),
        }
    }
}

/// A phase's tracked status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseState {
    /// The phase's ordinal.
    pub ordinal: i64,
    /// Its current status.
    pub status: PhaseStatus,
    /// Its attempt: 1, plus one per retry.
    pub attempt: i64,
}

/// One entry of the phase transition log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseTransitionRecord {
    /// The phase's ordinal.
    pub ordinal: i64,
    /// Status before.
    pub from: PhaseStatus,
    /// Status after.
    pub to: PhaseStatus,
    /// When (unix seconds).
    pub at: i64,
    /// The attempt the phase is on after the move.
    pub attempt: i64,
    /// Why, if the mover said.
    pub note: Option<String>,
}

/// What [`CalibrationStore::move_phase`](crate::CalibrationStore::move_phase) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseMove {
    /// The phase's ordinal.
    pub ordinal: i64,
    /// The phase's slug.
    pub slug: String,
    /// Status before.
    pub from: PhaseStatus,
    /// Status after.
    pub to: PhaseStatus,
    /// Attempt after the move.
    pub attempt: i64,
}

/// Where a plan stands while it runs: each phase's status, attempt and how long it has been in
/// that status, and the plan's status derived from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatusView {
    /// The plan's id.
    pub plan_id: PlanId,
    /// The plan's name.
    pub name: String,
    /// The plan's status ([`PlanStatus::derive`]).
    pub status: PlanStatus,
    /// The phases, by ordinal.
    pub phases: Vec<PhaseStatusLine>,
}

/// One phase of a [`PlanStatusView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseStatusLine {
    /// The phase's ordinal.
    pub ordinal: i64,
    /// The phase's slug.
    pub slug: String,
    /// The phase's routing tier.
    pub routing_tier: String,
    /// Its current status.
    pub status: PhaseStatus,
    /// Its attempt: 1, plus one per retry.
    pub attempt: i64,
    /// Since when it has been in its status (unix seconds): its last move, or when the plan was
    /// recorded if it never moved.
    pub since: i64,
}

impl PlanStatusView {
    /// The status view of a plan from everything stored about it.
    pub fn of(d: &PlanDetails) -> Self {
        let phases = d
            .phases
            .iter()
            .zip(&d.phase_status)
            .map(|(p, s)| PhaseStatusLine {
                ordinal: p.ordinal,
                slug: p.slug.clone(),
                routing_tier: p.routing_tier.clone(),
                status: s.status,
                attempt: s.attempt,
                since: d
                    .transitions
                    .iter()
                    .rev()
                    .find(|t| t.ordinal == p.ordinal)
                    .map_or(d.recorded_at, |t| t.at),
            })
            .collect();
        Self { plan_id: d.plan.id.clone(), name: d.plan.name.clone(), status: d.status(), phases }
    }
}
