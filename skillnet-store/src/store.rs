//! The [`CalibrationStore`] trait. The values it takes and returns are beside it, by concept:
//! plans, phases, proposals, skill uses, and the history as a whole.
//!
//! The trait is object-safe: the CLI picks a backend at run time from a URL and holds a
//! `Box<dyn CalibrationStore>`; a dynamic call costs nothing next to a database round trip.
//! Every method is one transaction: it either happens entirely or not at all.

mod history;
mod phases;
mod plan_json;
mod plans;
mod proposals;
mod usage;

use skillnet_core::analysis::AnalysisReport;
use skillnet_core::phase_status::PhaseStatus;
use skillnet_core::proposal::{Decision, ProposalState};
use skillnet_core::threshold::ActiveThreshold;
use skillnet_core::usage::SkillUse;
use skillnet_core::{PlanId, PlanRecord, RoutingStats, Tag, TagKey, Verification};

pub use history::{Adoption, HistoryItem, MigrationStatus, Reading, TableCounts};
pub use phases::{PhaseMove, PhaseRef, PhaseState, PhaseStatusLine, PhaseTransitionRecord, PlanStatusView};
pub use plans::{PlanDetails, PlanQuery, PlanSummary, RecordSummary, StoredTag};
pub use proposals::{AnalysisQuery, DecisionOutcome, Proposal, ProposalEvidence, ProposalRequest};
pub use usage::{SkillUsage, StoredSkillUse, UsageQuery, UseRecorded};

use crate::error::Result;
use crate::url::{Backend, DatabaseUrl};

/// Receives the number of items finished since its last call, for progress bars.
pub type Progress<'a> = &'a mut dyn FnMut(usize);

/// The calibration store: plans, their verifications and tags, in one database.
pub trait CalibrationStore: Send + Sync + std::fmt::Debug {
    /// The backend this store talks to.
    fn backend(&self) -> Backend;

    /// The database URL (print it with `Display`, which redacts the password).
    fn url(&self) -> &DatabaseUrl;

    /// Which migrations are applied and which are pending.
    fn migration_status(&self) -> Result<MigrationStatus>;

    /// Applies pending migrations, returning the versions applied now (empty when up to date).
    /// A skillnet 0.6 database is adopted in place (see [`Adoption`]).
    fn migrate(&self) -> Result<Vec<String>>;

    /// The skillnet 0.6 database this store adopted when it opened or migrated it, if it did.
    fn adoption(&self) -> Option<Adoption>;

    /// Records a batch of plans in one transaction. A plan recorded before is replaced, keeping
    /// its verifications and the tags added with [`CalibrationStore::add_tags`]. When a batch
    /// names a plan twice, the later entry wins. `recorded_at` is the caller's clock (unix s).
    ///
    /// **The plans' verifications are not stored**: a [`PlanRecord`] read from a sidecar with a
    /// `verify` block carries one in `verification`, which this call ignores. Pass those to
    /// [`CalibrationStore::verify_plans`] afterwards ([`PlanRecord::verification`] of each
    /// record, with its id); that is what recording a verified sidecar takes.
    fn record_plans(&self, plans: &[PlanRecord], recorded_at: i64) -> Result<RecordSummary> {
        self.record_plans_with_progress(plans, recorded_at, &mut |_| {})
    }

    /// [`CalibrationStore::record_plans`], calling `progress` with the number of plans written
    /// as each group of them is.
    fn record_plans_with_progress(
        &self,
        plans: &[PlanRecord],
        recorded_at: i64,
        progress: Progress<'_>,
    ) -> Result<RecordSummary>;

    /// Appends a verification to each named plan in one transaction and updates their `outcome`
    /// tags. Fails with `NotFound`, writing nothing, when a plan was never recorded.
    fn verify_plans(&self, verifications: &[(PlanId, Verification)]) -> Result<usize> {
        self.verify_plans_with_progress(verifications, &mut |_| {})
    }

    /// [`CalibrationStore::verify_plans`], calling `progress` with the number of verifications
    /// written as each group of them is.
    fn verify_plans_with_progress(
        &self,
        verifications: &[(PlanId, Verification)],
        progress: Progress<'_>,
    ) -> Result<usize>;

    /// Everything stored about one plan.
    fn plan(&self, id: &PlanId) -> Result<PlanDetails>;

    /// Where one plan stands while it runs: its phases' statuses, attempts and times in status,
    /// and the plan status derived from them.
    fn status(&self, id: &PlanId) -> Result<PlanStatusView> {
        self.plan(id).map(|details| PlanStatusView::of(&details))
    }

    /// Moves one phase of a running plan to `to`, validated by the phase state machine and
    /// applied with a compare-and-set on its current status, and logs the move. An illegal move,
    /// or a race lost to another writer, is `Conflict`. `at` is the caller's clock (unix s).
    fn move_phase(
        &self,
        plan: &PlanId,
        phase: &PhaseRef,
        to: PhaseStatus,
        at: i64,
        note: Option<&str>,
    ) -> Result<PhaseMove>;

    /// Plans matching `query`, newest first.
    fn query_plans(&self, query: &PlanQuery) -> Result<Vec<PlanSummary>>;

    /// How the phases of each routing tier fare, over the plans that carry every tag in `filter`
    /// (a plan matches a pair when any of its values for the key equals the pair's value, as in
    /// [`PlanQuery::tags`]; no pairs: every plan): phase, landed, failed and retry counts, and the
    /// nearest-rank median and 90th percentile of the time spent `running` and `verifying`.
    ///
    /// A sample is one ended stay in the status: from a transition into it to the phase's next
    /// transition. Stays that have not ended (the phase is still in the status) are left out,
    /// and so are transitions of ordinals the plan no longer has after a re-record; a phase
    /// counts under its current tier. [`skillnet_core::routing`] defines every figure and
    /// computes the same in memory. The aggregation, percentiles included, runs in SQL: one row
    /// per tier leaves the database, whatever the size of the history.
    fn routing(&self, filter: &[Tag]) -> Result<RoutingStats>;

    /// Adds user tags to a plan; returns how many were new. Auto tag keys are refused.
    fn add_tags(&self, id: &PlanId, tags: &[Tag]) -> Result<usize>;

    /// Removes the plan's tags with `key` (and `value`, when given); returns how many.
    /// Auto tag keys are refused; removing nothing is `NotFound`.
    fn remove_tags(&self, id: &PlanId, key: &TagKey, value: Option<&str>) -> Result<usize>;

    /// Streams the whole history, plan by plan in id order, from one consistent snapshot.
    fn export(&self, sink: &mut dyn FnMut(HistoryItem) -> Result<()>) -> Result<()>;

    /// Writes history items as they were exported, in one transaction, replacing plans with the
    /// same ids. Items are taken from `items` one at a time and written a group at a time, so
    /// memory does not grow with the history; an `Err` from `items` ends the import, writing
    /// nothing. Returns the number of items written.
    fn import(&self, items: &mut dyn Iterator<Item = Result<HistoryItem>>) -> Result<usize> {
        self.import_with_progress(items, &mut |_| {})
    }

    /// [`CalibrationStore::import`], calling `progress` with the number of items written as
    /// each group of them is.
    fn import_with_progress(
        &self,
        items: &mut dyn Iterator<Item = Result<HistoryItem>>,
        progress: Progress<'_>,
    ) -> Result<usize>;

    /// Row counts of every table.
    fn counts(&self) -> Result<TableCounts>;

    /// Runs the analysis ([`skillnet_core::analysis`]) over the verified plans matching `query`, from one snapshot,
    /// without writing. The counts per trigger, class and skew band come from one SQL aggregate;
    /// the rules are applied by [`skillnet_core::analysis::build_report`], so memory does not grow
    /// with the history.
    fn analyze(&self, query: &AnalysisQuery) -> Result<AnalysisReport>;

    /// The thresholds set by accepted proposals, by trigger then filter tags. Which one is in
    /// force where is [`skillnet_core::threshold::in_force`]'s rule.
    fn thresholds(&self) -> Result<Vec<ActiveThreshold>>;

    /// The threshold recorded for a custom `trigger` with the newest analysed (verified) plan
    /// that has it: what is in force for a custom trigger no proposal set
    /// ([`skillnet_core::threshold::InForce::Recorded`]). `None` when no analysed plan has it.
    fn recorded_threshold(&self, trigger: &str) -> Result<Option<f64>>;

    /// What the recorded history says about a new plan: whether a plan with this shape
    /// signature ([`skillnet_core::plan_dir::shape_hash::shape_signature`]) was recorded, and
    /// how many recorded phases with each of `slugs` went to each tier. Reads only.
    fn shape_history(
        &self,
        signature: &str,
        slugs: &[String],
    ) -> Result<skillnet_core::plan_dir::meta::HistoryFacts>;

    /// Analyses `request.trigger` under `request.filter_tags` and stores a pending proposal with
    /// that evidence, in one transaction. The proposed threshold is `request.threshold`, else the
    /// analysis's one-notch move. An unknown trigger is `NotFound`; a verdict with nothing to
    /// propose (and no explicit threshold), or a threshold equal to the current one, is
    /// `InvalidInput`.
    fn propose(&self, request: &ProposalRequest) -> Result<Proposal>;

    /// Proposals, oldest first; only those in `state` when given.
    fn proposals(&self, state: Option<ProposalState>) -> Result<Vec<Proposal>>;

    /// One proposal; `NotFound` when no proposal has this id.
    fn proposal(&self, id: i64) -> Result<Proposal>;

    /// Decides a pending proposal in one transaction, with a compare-and-set on its
    /// state: accepting also writes the active threshold and supersedes the previously accepted
    /// proposal for the same trigger and filter tags. Accepting an accepted proposal changes
    /// nothing; any other move out of a final state, or a race lost to another decision, is
    /// `Conflict`. `at` is the caller's clock (unix s).
    fn decide(&self, id: i64, decision: Decision, rationale: &str, at: i64) -> Result<DecisionOutcome>;

    /// Stores one skill use. A use whose project directory is a recorded plan's directory, or
    /// lies inside it, while that plan has no verification yet, is linked to that plan (the one
    /// with the longest directory, then the one recorded last). A use whose harness and event id
    /// are already stored (a retried report) changes nothing. A use breaking
    /// [`skillnet_core::limits::check_skill_use`] is `InvalidInput`, on every backend alike.
    fn record_skill_use(&self, skill_use: &SkillUse) -> Result<UseRecorded>;

    /// The uses matching `query` per skill (by canonical name) and harness, the most used first.
    fn skill_usage(&self, query: &UsageQuery) -> Result<Vec<SkillUsage>>;

    /// Proves the database accepts writes (a write that is rolled back).
    fn check_writable(&self) -> Result<()>;

    /// Reclaims space and refreshes the planner's statistics.
    fn vacuum(&self) -> Result<()>;
}
