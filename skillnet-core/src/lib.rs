//! The skillnet domain: plans, phases, triggers, verifications and tags, the sidecar format
//! they are read from, the heuristic catalog, the two status state machines and the analysis
//! math. No I/O and no database: `skillnet-store` persists these types and the `skillnet` CLI
//! reads and prints them.
//!
//! - [`plan_dir::parse`] reads a plan directory; [`plan_dir::heuristics`],
//!   [`plan_dir::meta`] and [`plan_dir::init`] turn it into a sidecar.
//! - [`sidecar::parse`] validates a `.calibration.json` into a [`plan::PlanRecord`], within the
//!   bounds of [`limits`] that every backend keeps alike.
//! - [`tag::auto_tags`] derives the tags skillnet maintains itself.
//! - [`catalog`] lists the 15 heuristics with their default thresholds.
//! - [`phase_status`] and [`proposal`] are the state machines the store enforces.
//! - [`threshold`] says which threshold is in force, and when two filters are the same.
//! - [`routing`] defines the per-tier report of time in status ([`RoutingStats`]).
//! - [`usage`] reads the skill uses agent harnesses report ([`usage::SkillUse`]).

pub mod analysis;
pub mod catalog;
pub mod limits;
pub mod phase_status;
pub mod plan;
pub mod plan_dir;
pub mod proposal;
pub mod routing;
pub mod sidecar;
pub mod tag;
pub mod threshold;
pub mod transition;
pub mod usage;
pub mod verification;

pub use analysis::{
    AnalysisReport, ProposalAction, ProposalSuggestion, SkewWarning, ThresholdSource, TriggerReport, Verdict,
};
pub use phase_status::{PhaseAction, PhaseStatus, PlanStatus};
pub use plan::{Phase, Plan, PlanId, PlanRecord, Trigger};
pub use proposal::{Decision, ProposalState, TransitionEffect};
pub use routing::{RoutingStats, StayStats, TierStats};
pub use tag::{Tag, TagKey, TagSource};
pub use threshold::ActiveThreshold;
pub use transition::IllegalTransition;
pub use usage::SkillUse;
pub use verification::{Outcome, Verification};
