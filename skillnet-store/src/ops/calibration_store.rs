//! [`CalibrationStore`] for the backend's store: each method is one transaction around one
//! function of this folder.

use skillnet_core::analysis::AnalysisReport;
use skillnet_core::phase_status::PhaseStatus;
use skillnet_core::plan_dir::meta::HistoryFacts;
use skillnet_core::proposal::{Decision, ProposalState};
use skillnet_core::threshold::ActiveThreshold;
use skillnet_core::usage::SkillUse;
use skillnet_core::{PlanId, PlanRecord, RoutingStats, Tag, TagKey, Verification};

use super::dialect::{migration_status, read_txn, run_migrations, space_probe, vacuum_now, write_txn, Store};
use super::maintenance::Migrated;
use super::{analysis, history, maintenance, phases, plans, proposals, record, routing, tags, usage};
use crate::error::{Result, StoreError};
use crate::store::{
    Adoption, AnalysisQuery, CalibrationStore, DecisionOutcome, HistoryItem, MigrationStatus, PhaseMove,
    PhaseRef, PlanDetails, PlanQuery, PlanSummary, Progress, Proposal, ProposalRequest, RecordSummary,
    SkillUsage, TableCounts, UsageQuery, UseRecorded,
};
use crate::url::{Backend, DatabaseUrl};

impl CalibrationStore for Store {
    fn backend(&self) -> Backend {
        self.url.backend()
    }

    fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    fn migration_status(&self) -> Result<MigrationStatus> {
        migration_status(&mut *self.conn()?)
    }

    fn migrate(&self) -> Result<Vec<String>> {
        let migrated = run_migrations(&mut *self.conn()?, &self.url)?;
        Ok(self.note(migrated))
    }

    fn adoption(&self) -> Option<Adoption> {
        self.adopted.get().cloned()
    }

    fn record_plans_with_progress(
        &self,
        plans: &[PlanRecord],
        recorded_at: i64,
        progress: Progress<'_>,
    ) -> Result<RecordSummary> {
        write_txn(&mut *self.conn()?, |c| record::record_plans(c, plans, recorded_at, progress))
    }

    fn verify_plans_with_progress(
        &self,
        verifications: &[(PlanId, Verification)],
        progress: Progress<'_>,
    ) -> Result<usize> {
        write_txn(&mut *self.conn()?, |c| record::verify_plans(c, verifications, progress))
    }

    fn plan(&self, id: &PlanId) -> Result<PlanDetails> {
        read_txn(&mut *self.conn()?, |c| plans::plan(c, id))
    }

    fn query_plans(&self, query: &PlanQuery) -> Result<Vec<PlanSummary>> {
        read_txn(&mut *self.conn()?, |c| plans::query_plans(c, query))
    }

    fn move_phase(
        &self,
        plan: &PlanId,
        phase: &PhaseRef,
        to: PhaseStatus,
        at: i64,
        note: Option<&str>,
    ) -> Result<PhaseMove> {
        write_txn(&mut *self.conn()?, |c| phases::move_phase(c, plan, phase, to, at, note))
    }

    fn routing(&self, filter: &[Tag]) -> Result<RoutingStats> {
        read_txn(&mut *self.conn()?, |c| routing::routing(c, filter))
    }

    fn add_tags(&self, id: &PlanId, tags: &[Tag]) -> Result<usize> {
        write_txn(&mut *self.conn()?, |c| tags::add_tags(c, id, tags))
    }

    fn remove_tags(&self, id: &PlanId, key: &TagKey, value: Option<&str>) -> Result<usize> {
        write_txn(&mut *self.conn()?, |c| tags::remove_tags(c, id, key, value))
    }

    fn export(&self, sink: &mut dyn FnMut(HistoryItem) -> Result<()>) -> Result<()> {
        read_txn(&mut *self.conn()?, |c| history::export(c, sink))
    }

    fn import_with_progress(
        &self,
        items: &mut dyn Iterator<Item = Result<HistoryItem>>,
        progress: Progress<'_>,
    ) -> Result<usize> {
        write_txn(&mut *self.conn()?, |c| history::import(c, items, progress))
    }

    fn recorded_threshold(&self, trigger: &str) -> Result<Option<f64>> {
        read_txn(&mut *self.conn()?, |c| analysis::recorded_threshold(c, trigger))
    }

    fn counts(&self) -> Result<TableCounts> {
        read_txn(&mut *self.conn()?, history::counts)
    }

    fn analyze(&self, query: &AnalysisQuery) -> Result<AnalysisReport> {
        read_txn(&mut *self.conn()?, |c| analysis::analyze(c, query))
    }

    fn thresholds(&self) -> Result<Vec<ActiveThreshold>> {
        read_txn(&mut *self.conn()?, analysis::thresholds)
    }

    fn shape_history(&self, signature: &str, slugs: &[String]) -> Result<HistoryFacts> {
        read_txn(&mut *self.conn()?, |c| analysis::shape_history(c, signature, slugs))
    }

    fn propose(&self, request: &ProposalRequest) -> Result<Proposal> {
        write_txn(&mut *self.conn()?, |c| proposals::propose(c, request))
    }

    fn proposals(&self, state: Option<ProposalState>) -> Result<Vec<Proposal>> {
        read_txn(&mut *self.conn()?, |c| proposals::proposals(c, state))
    }

    fn proposal(&self, id: i64) -> Result<Proposal> {
        read_txn(&mut *self.conn()?, |c| proposals::proposal(c, id))
    }

    fn decide(&self, id: i64, decision: Decision, rationale: &str, at: i64) -> Result<DecisionOutcome> {
        write_txn(&mut *self.conn()?, |c| proposals::decide(c, id, decision, rationale, at))
    }

    fn record_skill_use(&self, skill_use: &SkillUse) -> Result<UseRecorded> {
        write_txn(&mut *self.conn()?, |c| usage::record_skill_use(c, skill_use))
    }

    fn skill_usage(&self, query: &UsageQuery) -> Result<Vec<SkillUsage>> {
        read_txn(&mut *self.conn()?, |c| usage::skill_usage(c, query))
    }

    fn check_writable(&self) -> Result<()> {
        space_probe(&self.url)?;
        let outcome = write_txn(&mut *self.conn()?, |c| {
            maintenance::write_probe(c)?;
            Err::<(), _>(StoreError::Conflict(ROLLBACK_PROBE.into()))
        });
        match outcome {
            Err(StoreError::Conflict(m)) if m == ROLLBACK_PROBE => Ok(()),
            other => other,
        }
    }

    fn vacuum(&self) -> Result<()> {
        vacuum_now(&mut *self.conn()?)
    }
}

const ROLLBACK_PROBE: &str = "write probe rolled back";

impl Store {
    /// Keeps what an adoption did, for [`CalibrationStore::adoption`]; returns the migrations
    /// applied.
    pub(in super::super) fn note(&self, migrated: Migrated) -> Vec<String> {
        match migrated {
            Migrated::Applied(applied) => applied,
            Migrated::Adopted { plans, applied, backup, readings } => {
                let _ = self.adopted.set(Adoption { plans, backup, readings });
                applied
            }
        }
    }
}
