//! The skillnet calibration store: the [`CalibrationStore`] trait and its backends.
//!
//! Programs are written against [`CalibrationStore`]; [`open`] picks the backend from a URL:
//! `sqlite://<path>` or a path ending in `.sqlite`/`.db` opens an embedded SQLite file (feature
//! `sqlite`, the default), `postgres://…` or `postgresql://…` a PostgreSQL server (feature
//! `postgres`); [`open_in_memory`] gives an empty SQLite store for tests. Opening applies pending
//! migrations. The store never prints and never reads the environment or config files: it
//! takes a URL, or a [`DatabaseUrl`] and [`OpenOptions`].
//!
//! [`prelude`] holds everything the trait's signatures name, the domain types of
//! `skillnet-core` included (re-exported whole as [`skillnet_core`]), so one import and one
//! dependency suffice:
//!
//! ```
//! use skillnet_store::prelude::*;
//!
//! let store = open_in_memory()?;
//! let text = r#"{"schema_version": 1,
//!   "plan": {"id": "p-1", "name": "demo", "flavor": "codex", "created_at": 1700000000,
//!            "phase_count": 0, "wave_count": 0, "max_chain_depth": 0, "repo_spread": 1,
//!            "routing_dist": {}, "shape_hash": "ab12"},
//!   "triggers": [], "phases": []}"#;
//! let record = skillnet_core::sidecar::parse(text, "demo/.calibration.json")?;
//! store.record_plans(&[record], 1_700_000_100)?;
//! assert_eq!(store.query_plans(&PlanQuery::default())?.len(), 1);
//! match store.plan(&"p-2".parse()?) {
//!     Err(StoreError::NotFound(Missing::Plan { id, .. })) => assert_eq!(id, "p-2"),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Threads and async code
//!
//! A store is `Send + Sync`: share one between threads behind an [`std::sync::Arc`]
//! (`Arc<dyn CalibrationStore>`, or `Arc<SqliteStore>`), not by opening one per thread. It
//! keeps the connection it opened and opens more, up to [`OpenOptions::pool_size`], only while
//! another thread holds the first. Every call **blocks** the calling thread until the database
//! answers; from async code, run calls on a blocking thread (`tokio::task::spawn_blocking`).
//! Each call is one transaction: it happens entirely or not at all.
//!
//! # Errors
//!
//! Every call returns [`StoreError`], whose variants carry what a caller acts on: what was not
//! found ([`Missing`]), an illegal state change with the states that may follow
//! ([`StoreError::IllegalTransition`]), and the driver's error as its `source()`. Messages never
//! contain a password.

#![cfg_attr(docsrs, feature(doc_cfg))]

use std::time::Duration;

mod connections;
mod error;
mod json;
mod migrations;
mod rows;
#[doc(hidden)]
pub mod schema;
mod store;
mod url;

#[cfg(feature = "postgres")]
mod pg;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::{Cause, Missing, Result, StoreError};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use pg::PgStore;
pub use skillnet_core;
pub use skillnet_core::threshold::ActiveThreshold;
pub use skillnet_core::usage::SkillUse;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteStore;
pub use store::{
    Adoption, AnalysisQuery, CalibrationStore, DecisionOutcome, HistoryItem, MigrationStatus, PhaseMove,
    PhaseRef, PhaseState, PhaseStatusLine, PhaseTransitionRecord, PlanDetails, PlanQuery, PlanStatusView,
    PlanSummary, Progress, Proposal, ProposalEvidence, ProposalRequest, Reading, RecordSummary, SkillUsage,
    StoredSkillUse, StoredTag, TableCounts, UsageQuery, UseRecorded,
};
pub use url::{redact, Backend, DatabaseUrl, ACCEPTED_FORMS};

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Apply pending migrations while opening (default: yes). When off, a database with
    /// pending migrations still opens; [`CalibrationStore::migration_status`] reports them.
    pub migrate: bool,
    /// Most connections the store opens besides its first one, for threads that share it
    /// (default 4). A store used from one thread at a time opens only the first.
    pub pool_size: u32,
    /// How long a writer waits for another one's lock, and how long to wait for a pooled
    /// connection (default 30 s).
    pub busy_timeout: Duration,
    /// How long to wait for a PostgreSQL server to answer a new connection (whole seconds,
    /// libpq's `connect_timeout`; a URL that sets `connect_timeout` itself keeps its own).
    /// Default: none, libpq waits as long as the operating system does.
    pub connect_timeout: Option<Duration>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self { migrate: true, pool_size: 4, busy_timeout: Duration::from_secs(30), connect_timeout: None }
    }
}

/// Opens the store that `url` names, applying pending migrations.
pub fn open(url: &str) -> Result<Box<dyn CalibrationStore>> {
    open_with(&DatabaseUrl::parse(url)?, &OpenOptions::default())
}

/// An empty store in memory (SQLite), for tests and examples: nothing touches the disk, and
/// the history is gone when the store is dropped.
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub fn open_in_memory() -> Result<Box<dyn CalibrationStore>> {
    Ok(Box::new(SqliteStore::in_memory()?))
}

/// Opens the store that `url` names with `options`.
pub fn open_with(url: &DatabaseUrl, options: &OpenOptions) -> Result<Box<dyn CalibrationStore>> {
    match url {
        #[cfg(feature = "sqlite")]
        DatabaseUrl::Sqlite(path) => Ok(Box::new(SqliteStore::open(path, options)?)),
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres(_) => Ok(Box::new(PgStore::open(url, options)?)),
        #[allow(unreachable_patterns)]
        other => Err(StoreError::InvalidUrl(format!(
            "{} names a {} database, but this skillnet was built without the `{}` feature of skillnet-store",
            other.redacted(),
            other.backend(),
            other.backend().feature()
        ))),
    }
}

/// Everything the [`CalibrationStore`] trait's signatures name, in one import:
/// `use skillnet_store::prelude::*;`.
pub mod prelude {
    #[cfg(feature = "sqlite")]
    pub use crate::open_in_memory;
    #[cfg(feature = "postgres")]
    pub use crate::PgStore;
    #[cfg(feature = "sqlite")]
    pub use crate::SqliteStore;
    pub use crate::{
        open, open_with, Adoption, AnalysisQuery, Backend, CalibrationStore, DatabaseUrl, DecisionOutcome,
        HistoryItem, MigrationStatus, Missing, OpenOptions, PhaseMove, PhaseRef, PhaseState, PhaseStatusLine,
        PhaseTransitionRecord, PlanDetails, PlanQuery, PlanStatusView, PlanSummary, Progress, Proposal,
        ProposalEvidence, ProposalRequest, RecordSummary, SkillUsage, StoreError, StoredSkillUse, StoredTag,
        TableCounts, UsageQuery, UseRecorded,
    };
    pub use skillnet_core::plan_dir::meta::HistoryFacts;
    pub use skillnet_core::{
        self, ActiveThreshold, AnalysisReport, Decision, IllegalTransition, Outcome, PhaseStatus, PlanId,
        PlanRecord, PlanStatus, ProposalAction, ProposalState, RoutingStats, SkillUse, Tag, TagKey,
        TagSource, TransitionEffect, TriggerReport, Verdict, Verification,
    };
}
