//! The [`CalibrationStore`] trait and the values it takes and returns.
//!
//! The trait is object-safe: the CLI picks a backend at run time from a URL and holds a
//! `Box<dyn CalibrationStore>`; a dynamic call costs nothing next to a database round trip.
//! Every method is one transaction: it either happens entirely or not at all.

use serde::{Deserialize, Serialize};
use skillnet_core::{
    Outcome, Phase, Plan, PlanId, PlanRecord, Tag, TagKey, TagSource, Trigger, Verification,
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

    /// Plans matching `query`, newest first.
    fn query_plans(&self, query: &PlanQuery) -> Result<Vec<PlanSummary>>;

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
}

impl PlanDetails {
    /// The verification that counts: the newest.
    pub fn latest_verification(&self) -> Option<&Verification> {
        self.verifications.last()
    }
}

/// One line of an export: the history is a sequence of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryItem {
    /// A plan with everything it owns.
    Plan(Box<PlanDetails>),
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
}
