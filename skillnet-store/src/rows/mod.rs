//! Row types, one file per table: what the tables hold, kept apart from the domain types and
//! converted at the edge. `New*` structs borrow from domain values for inserts; `*Row` structs
//! are read back. Built with both backends (as CI builds it), every `*Row` is checked against
//! both at compile time (`check_for_backend`), so a column type one dialect cannot read fails
//! the build, not a query.

mod phase_transitions;
mod phases;
mod plans;
mod proposals;
mod routing;
mod tags;
mod thresholds;
mod triggers;
mod verifications;

pub(crate) use phase_transitions::{NewPhaseTransition, PhaseTransitionRow};
pub(crate) use phases::{NewPhase, PhaseRow};
pub(crate) use plans::{NewPlan, PlanRow};
pub(crate) use proposals::{NewProposal, ProposalRow};
pub(crate) use routing::TierRow;
pub(crate) use tags::{NewTag, TagRow};
pub(crate) use thresholds::{NewThreshold, ThresholdRow};
pub(crate) use triggers::{NewTrigger, TriggerRow};
pub(crate) use verifications::{NewVerification, VerificationRow};

use crate::error::StoreError;

/// Reads a value the store wrote as text (a status, outcome, tag source or key). The CHECK
/// constraints make a failure here a sign of a damaged database, hence `Backend`.
pub(crate) fn parse_stored<T>(text: &str) -> Result<T, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| StoreError::backend(format!("stored {e}")))
}
