//! The [`CalibrationStore`] trait and the values it takes and returns.
//!
//! The trait is object-safe: the CLI picks a backend at run time from a URL and holds a
//! `Box<dyn CalibrationStore>`; a dynamic call costs nothing next to a database round trip.
//! Every method is one transaction: it either happens entirely or not at all.

use serde::{Deserialize, Serialize};
use skillnet_core::analysis::{AnalysisReport, ProposalAction, TriggerReport};
use skillnet_core::phase_status::{PhaseStatus, PlanStatus};
use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
use skillnet_core::{
    Outcome, Phase, Plan, PlanId, PlanRecord, RoutingStats, Tag, TagKey, TagSource, Trigger, Verification,
};

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
    fn migrate(&self) -> Result<Vec<String>>;

    /// Records a batch of plans in one transaction. A plan recorded before is replaced, keeping
    /// its verifications and the tags added with [`CalibrationStore::add_tags`]. When a batch
    /// names a plan twice, the later entry wins. `recorded_at` is the caller's clock (unix s).
    fn record_plans(
        &self,
        plans: &[PlanRecord],
        recorded_at: i64,
        progress: Progress<'_>,
    ) -> Result<RecordSummary>;

    /// Appends a verification to each named plan in one transaction and updates their `outcome`
    /// tags. Fails with `NotFound`, writing nothing, when a plan was never recorded.
    fn verify_plans(&self, verifications: &[(PlanId, Verification)], progress: Progress<'_>)
        -> Result<usize>;

    /// Everything stored about one plan.
    fn plan(&self, id: &PlanId) -> Result<PlanDetails>;

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
    /// same ids. Returns the number of items written.
    fn import(&self, items: &[HistoryItem], progress: Progress<'_>) -> Result<usize>;

    /// Row counts of every table.
    fn counts(&self) -> Result<TableCounts>;

    /// Runs the SPEC §6 analysis over the verified plans matching `query`, from one snapshot,
    /// without writing. The counts per trigger, class and skew band come from one SQL aggregate;
    /// the rules are applied by [`skillnet_core::analysis::build_report`], so memory does not grow
    /// with the history.
    fn analyze(&self, query: &AnalysisQuery) -> Result<AnalysisReport>;

    /// The thresholds set by accepted proposals, by trigger then filter tags. Triggers absent
    /// here use the catalog default.
    fn thresholds(&self) -> Result<Vec<ActiveThreshold>>;

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

    /// Decides a pending proposal (SPEC §5.1) in one transaction, with a compare-and-set on its
    /// state: accepting also writes the active threshold and supersedes the previously accepted
    /// proposal for the same trigger and filter tags. Accepting an accepted proposal changes
    /// nothing; any other move out of a final state, or a race lost to another decision, is
    /// `Conflict`. `at` is the caller's clock (unix s).
    fn decide(&self, id: i64, decision: Decision, rationale: &str, at: i64) -> Result<DecisionOutcome>;

    /// Proves the database accepts writes (a write that is rolled back).
    fn check_writable(&self) -> Result<()>;

    /// Reclaims space and refreshes the planner's statistics.
    fn vacuum(&self) -> Result<()>;
}

/// Applied and pending migrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationStatus {
    /// Versions applied to the database, oldest first.
    pub applied: Vec<String>,
    /// Versions this build knows and the database lacks.
    pub pending: Vec<String>,
}

impl MigrationStatus {
    /// The newest applied version: the schema version.
    pub fn current(&self) -> Option<&str> {
        self.applied.last().map(String::as_str)
    }
}

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub phase_status: Vec<PhaseState>,
    /// Every phase transition, oldest first.
    #[serde(default)]
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

/// What [`CalibrationStore::move_phase`] did.
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

/// One line of an export: the history is a sequence of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryItem {
    /// A plan with everything it owns.
    Plan(Box<PlanDetails>),
    /// A threshold proposal, with its decision; an accepted one carries its active threshold.
    Proposal(Box<Proposal>),
}

/// Filters for [`CalibrationStore::query_plans`].
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// Plan id.
    pub id: PlanId,
    /// Plan name.
    pub name: String,
    /// Agent family.
    pub flavor: String,
    /// Kind of work.
    pub worktype: Option<String>,
    /// When the plan was written (unix seconds).
    pub created_at: i64,
    /// Number of phases.
    pub phase_count: i64,
    /// Number of verifications.
    pub verifications: i64,
    /// Outcome of the newest verification.
    pub outcome: Option<Outcome>,
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

/// What [`CalibrationStore::analyze`] analyses (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisQuery {
    /// Only this trigger (`--trigger`).
    pub trigger: Option<String>,
    /// Only plans carrying every one of these tags (`--filter-tag`, in the order given).
    pub filter_tags: Vec<Tag>,
    /// The minimum number of fires before a trigger is judged.
    pub min_n: u64,
    /// When the analysis runs (unix seconds), for the report's `analyzed_at`.
    pub analyzed_at: i64,
}

/// A threshold set by an accepted proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveThreshold {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// The filter tags it applies under; empty for the trigger's overall threshold.
    pub filter_tags: Vec<Tag>,
    /// The threshold.
    pub threshold: f64,
    /// The accepted proposal that set it.
    pub proposal_id: i64,
    /// When it was accepted (unix seconds).
    pub updated_at: i64,
}

/// What [`CalibrationStore::propose`] takes.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRequest {
    /// The trigger whose threshold should move.
    pub trigger: String,
    /// The filter tags the proposal applies under (a list of pairs; repeated keys are kept).
    pub filter_tags: Vec<Tag>,
    /// The threshold to propose; `None` takes the analysis's one-notch move.
    pub threshold: Option<f64>,
    /// Why.
    pub rationale: String,
    /// The minimum number of fires for the analysis behind the evidence.
    pub min_n: u64,
    /// When (unix seconds).
    pub at: i64,
    /// The plans that support the change, as the proposer names them (each must be recorded);
    /// `None` keeps the ones the analysis names.
    pub supporting_plan_ids: Option<Vec<PlanId>>,
}

/// The analysis a proposal was made on: the trigger's line of the `analyze` report, under the
/// proposal's filter tags, with the `min_n` it was judged with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalEvidence {
    /// The minimum number of fires the analysis used.
    pub min_n: u64,
    /// The trigger's analysis: counts, rates, verdict and supporting plan ids.
    #[serde(flatten)]
    pub analysis: TriggerReport,
}

/// A stored threshold proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its id, used by `decide`.
    pub id: i64,
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// Lower or raise.
    pub action: ProposalAction,
    /// The threshold in force when it was proposed.
    pub current_threshold: f64,
    /// The threshold it proposes.
    pub proposed_threshold: f64,
    /// The filter tags it applies under, as a list of pairs.
    pub filter_tags: Vec<Tag>,
    /// The analysis behind it.
    pub evidence: ProposalEvidence,
    /// Why it was proposed.
    pub rationale: String,
    /// Where it stands.
    pub state: ProposalState,
    /// When it was proposed (unix seconds).
    pub proposed_at: i64,
    /// When it was decided (unix seconds).
    pub decided_at: Option<i64>,
    /// Why it was decided so; the proposal's own rationale is kept beside it.
    pub decision_rationale: Option<String>,
    /// The newer accepted proposal that replaced it.
    pub superseded_by: Option<i64>,
}

/// What [`CalibrationStore::decide`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionOutcome {
    /// The proposal after the decision.
    pub proposal: Proposal,
    /// `applied`, or `no-op` for accepting an accepted proposal.
    pub effect: TransitionEffect,
    /// The previously accepted proposal this acceptance superseded.
    pub superseded: Option<i64>,
}
