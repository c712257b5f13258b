//! Row types: what the tables hold, kept apart from the domain types and converted at the edge.
//!
//! `New*` structs borrow from domain values for inserts; `*Row` structs are read back.

use std::collections::BTreeMap;

use diesel::prelude::*;
use skillnet_core::phase_status::PhaseStatus;
use skillnet_core::plan_dir::shape_hash::shape_signature;
use skillnet_core::{Phase, Plan, PlanId, StayStats, Tag, TagSource, TierStats, Trigger, Verification};

use crate::store::{ActiveThreshold, PhaseState, PhaseTransitionRecord, Proposal, ProposalEvidence};

use crate::error::StoreError;
use crate::json::Json;
use crate::schema::{
    calibration_proposals, heuristic_thresholds, phase_transitions, phases, plans, tags, triggers,
    verifications,
};

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = plans, treat_none_as_null = true)]
pub(crate) struct NewPlan<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub path: Option<&'a str>,
    pub flavor: &'a str,
    pub worktype: Option<&'a str>,
    pub created_at: i64,
    pub recorded_at: i64,
    pub phase_count: i64,
    pub wave_count: i64,
    pub max_chain_depth: i64,
    pub repo_spread: i64,
    pub routing_dist: Json<&'a BTreeMap<String, i64>>,
    pub shape_hash: &'a str,
    pub capture_reasons: Json<&'a Vec<String>>,
    pub shape_signature: String,
    pub generator: Option<&'a str>,
}

impl<'a> NewPlan<'a> {
    pub fn new(p: &'a Plan, recorded_at: i64) -> Self {
        Self {
            id: p.id.as_str(),
            name: &p.name,
            path: p.path.as_deref(),
            flavor: &p.flavor,
            worktype: p.worktype.as_deref(),
            created_at: p.created_at,
            recorded_at,
            phase_count: p.phase_count,
            wave_count: p.wave_count,
            max_chain_depth: p.max_chain_depth,
            repo_spread: p.repo_spread,
            routing_dist: Json(&p.routing_dist),
            shape_hash: &p.shape_hash,
            capture_reasons: Json(&p.capture_reasons),
            shape_signature: shape_signature(
                p.phase_count,
                p.max_chain_depth,
                p.repo_spread,
                &p.routing_dist,
            ),
            generator: p.generator.as_deref(),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub(crate) struct PlanRow {
    pub id: String,
    pub name: String,
    pub path: Option<String>,
    pub flavor: String,
    pub worktype: Option<String>,
    pub created_at: i64,
    pub recorded_at: i64,
    pub phase_count: i64,
    pub wave_count: i64,
    pub max_chain_depth: i64,
    pub repo_spread: i64,
    pub routing_dist: Json<BTreeMap<String, i64>>,
    pub shape_hash: String,
    pub capture_reasons: Json<Vec<String>>,
    pub generator: Option<String>,
}

impl PlanRow {
    pub fn into_plan(self) -> Result<(Plan, i64), StoreError> {
        let id: PlanId = parse_stored(&self.id)?;
        let plan = Plan {
            id,
            name: self.name,
            path: self.path,
            flavor: self.flavor,
            worktype: self.worktype,
            created_at: self.created_at,
            phase_count: self.phase_count,
            wave_count: self.wave_count,
            max_chain_depth: self.max_chain_depth,
            repo_spread: self.repo_spread,
            routing_dist: self.routing_dist.0,
            shape_hash: self.shape_hash,
            capture_reasons: self.capture_reasons.0,
            generator: self.generator,
        };
        Ok((plan, self.recorded_at))
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = phases)]
pub(crate) struct NewPhase<'a> {
    pub plan_id: &'a str,
    pub ordinal: i64,
    pub slug: &'a str,
    pub routing_tier: &'a str,
    pub files: Json<&'a Vec<String>>,
    pub status: &'static str,
    pub attempt: i64,
}

impl<'a> NewPhase<'a> {
    /// A phase row in `state` (a new phase is queued, on its first attempt).
    pub fn new(plan_id: &'a str, p: &'a Phase, state: Option<(PhaseStatus, i64)>) -> Self {
        let (status, attempt) = state.unwrap_or((PhaseStatus::Queued, 1));
        Self {
            plan_id,
            ordinal: p.ordinal,
            slug: &p.slug,
            routing_tier: &p.routing_tier,
            files: Json(&p.files),
            status: status.as_str(),
            attempt,
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = phases)]
pub(crate) struct PhaseRow {
    pub plan_id: String,
    pub ordinal: i64,
    pub slug: String,
    pub routing_tier: String,
    pub files: Json<Vec<String>>,
    pub status: String,
    pub attempt: i64,
}

impl PhaseRow {
    pub fn into_phase(self) -> Result<(Phase, PhaseState), StoreError> {
        let state =
            PhaseState { ordinal: self.ordinal, status: parse_stored(&self.status)?, attempt: self.attempt };
        let phase = Phase {
            ordinal: self.ordinal,
            slug: self.slug,
            routing_tier: self.routing_tier,
            files: self.files.0,
        };
        Ok((phase, state))
    }
}

/// Reads a value the store wrote as text (a status, outcome, tag source or key). The CHECK
/// constraints make a failure here a sign of a damaged database, hence `Backend`.
pub(crate) fn parse_stored<T>(text: &str) -> Result<T, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| StoreError::Backend(format!("stored {e}")))
}

#[derive(Debug, Insertable)]
#[diesel(table_name = phase_transitions)]
pub(crate) struct NewPhaseTransition<'a> {
    pub plan_id: &'a str,
    pub ordinal: i64,
    pub from_status: &'static str,
    pub to_status: &'static str,
    pub at: i64,
    pub attempt: i64,
    pub note: Option<&'a str>,
}

impl<'a> NewPhaseTransition<'a> {
    pub fn from_record(plan_id: &'a str, t: &'a PhaseTransitionRecord) -> Self {
        Self {
            plan_id,
            ordinal: t.ordinal,
            from_status: t.from.as_str(),
            to_status: t.to.as_str(),
            at: t.at,
            attempt: t.attempt,
            note: t.note.as_deref(),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = phase_transitions)]
pub(crate) struct PhaseTransitionRow {
    pub plan_id: String,
    pub ordinal: i64,
    pub from_status: String,
    pub to_status: String,
    pub at: i64,
    pub attempt: i64,
    pub note: Option<String>,
}

impl PhaseTransitionRow {
    pub fn into_record(self) -> Result<PhaseTransitionRecord, StoreError> {
        Ok(PhaseTransitionRecord {
            ordinal: self.ordinal,
            from: parse_stored(&self.from_status)?,
            to: parse_stored(&self.to_status)?,
            at: self.at,
            attempt: self.attempt,
            note: self.note,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = triggers)]
pub(crate) struct NewTrigger<'a> {
    pub plan_id: &'a str,
    pub name: &'a str,
    pub input_value: f64,
    pub threshold: f64,
    pub fired: bool,
    pub section_added: Option<&'a str>,
    pub plan_flavor: &'a str,
    pub plan_worktype: Option<&'a str>,
}

impl<'a> NewTrigger<'a> {
    /// A trigger row of `plan`, not classified yet: the store classifies the rows of verified
    /// plans once the plan's verifications are in (`classify_plans`).
    pub fn new(plan: &'a Plan, t: &'a Trigger) -> Self {
        Self {
            plan_id: plan.id.as_str(),
            name: &t.name,
            input_value: t.input_value,
            threshold: t.threshold,
            fired: t.fired,
            section_added: t.section_added.as_deref(),
            plan_flavor: &plan.flavor,
            plan_worktype: plan.worktype.as_deref(),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = triggers)]
pub(crate) struct TriggerRow {
    pub plan_id: String,
    pub name: String,
    pub input_value: f64,
    pub threshold: f64,
    pub fired: bool,
    pub section_added: Option<String>,
}

impl TriggerRow {
    pub fn into_trigger(self) -> Trigger {
        Trigger {
            name: self.name,
            input_value: self.input_value,
            threshold: self.threshold,
            fired: self.fired,
            section_added: self.section_added,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = verifications)]
pub(crate) struct NewVerification<'a> {
    pub plan_id: &'a str,
    pub verified_at: i64,
    pub elapsed_seconds: Option<i64>,
    pub outcome: &'static str,
    pub phase_outcomes: Json<&'a BTreeMap<String, String>>,
    pub emergency_changes: Option<Json<&'a serde_json::Value>>,
    pub surprises: Option<&'a str>,
}

impl<'a> NewVerification<'a> {
    pub fn new(plan_id: &'a str, v: &'a Verification) -> Self {
        Self {
            plan_id,
            verified_at: v.verified_at,
            elapsed_seconds: v.elapsed_seconds,
            outcome: v.outcome.as_str(),
            phase_outcomes: Json(&v.phase_outcomes),
            emergency_changes: v.emergency_changes.as_ref().map(Json),
            surprises: v.surprises.as_deref(),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = verifications)]
pub(crate) struct VerificationRow {
    pub plan_id: String,
    pub verified_at: i64,
    pub elapsed_seconds: Option<i64>,
    pub outcome: String,
    pub phase_outcomes: Json<BTreeMap<String, String>>,
    pub emergency_changes: Option<Json<serde_json::Value>>,
    pub surprises: Option<String>,
}

impl VerificationRow {
    pub fn into_verification(self) -> Result<Verification, StoreError> {
        Ok(Verification {
            verified_at: self.verified_at,
            elapsed_seconds: self.elapsed_seconds,
            outcome: parse_stored(&self.outcome)?,
            phase_outcomes: self.phase_outcomes.0,
            emergency_changes: self.emergency_changes.map(|j| j.0),
            surprises: self.surprises,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tags)]
pub(crate) struct NewTag<'a> {
    pub plan_id: &'a str,
    pub key: String,
    pub value: String,
    pub source: &'static str,
}

impl<'a> NewTag<'a> {
    pub fn new(
        plan_id: &'a str,
        key: impl Into<String>,
        value: impl Into<String>,
        source: TagSource,
    ) -> Self {
        Self { plan_id, key: key.into(), value: value.into(), source: source.as_str() }
    }

    pub fn from_tag(plan_id: &'a str, tag: &Tag, source: TagSource) -> Self {
        Self::new(plan_id, tag.key.as_str(), tag.value.as_str(), source)
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = tags)]
pub(crate) struct TagRow {
    pub plan_id: String,
    pub key: String,
    pub value: String,
    pub source: String,
}

/// The canonical text of a set of filter tags: the pairs sorted and deduplicated, as JSON. Two
/// proposals are "for the same filter" when their keys are equal, whatever order and repetition
/// the user typed.
pub(crate) fn filter_key(filter_tags: &[Tag]) -> String {
    let mut pairs: Vec<(&str, &str)> =
        filter_tags.iter().map(|t| (t.key.as_str(), t.value.as_str())).collect();
    pairs.sort_unstable();
    pairs.dedup();
    serde_json::to_string(&pairs).expect("pairs of strings serialize")
}

#[derive(Debug, Insertable)]
#[diesel(table_name = calibration_proposals)]
pub(crate) struct NewProposal<'a> {
    pub id: Option<i64>,
    pub trigger: &'a str,
    pub action: &'static str,
    pub current_threshold: f64,
    pub proposed_threshold: f64,
    pub filter_tags: Json<&'a Vec<Tag>>,
    pub filter_key: String,
    pub evidence: Json<&'a ProposalEvidence>,
    pub rationale: &'a str,
    pub state: &'static str,
    pub proposed_at: i64,
    pub decided_at: Option<i64>,
    pub decision_rationale: Option<&'a str>,
    pub superseded_by: Option<i64>,
}

impl<'a> NewProposal<'a> {
    /// The row of `p`; with its id when `keep_id` (imports), else the database assigns one.
    pub fn new(p: &'a Proposal, keep_id: bool) -> Self {
        Self {
            id: keep_id.then_some(p.id),
            trigger: &p.trigger,
            action: p.action.as_str(),
            current_threshold: p.current_threshold,
            proposed_threshold: p.proposed_threshold,
            filter_tags: Json(&p.filter_tags),
            filter_key: filter_key(&p.filter_tags),
            evidence: Json(&p.evidence),
            rationale: &p.rationale,
            state: p.state.as_str(),
            proposed_at: p.proposed_at,
            decided_at: p.decided_at,
            decision_rationale: p.decision_rationale.as_deref(),
            superseded_by: p.superseded_by,
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = calibration_proposals)]
pub(crate) struct ProposalRow {
    pub id: i64,
    pub trigger: String,
    pub action: String,
    pub current_threshold: f64,
    pub proposed_threshold: f64,
    pub filter_tags: Json<Vec<Tag>>,
    pub evidence: Json<ProposalEvidence>,
    pub rationale: String,
    pub state: String,
    pub proposed_at: i64,
    pub decided_at: Option<i64>,
    pub decision_rationale: Option<String>,
    pub superseded_by: Option<i64>,
}

impl ProposalRow {
    pub fn into_proposal(self) -> Result<Proposal, StoreError> {
        Ok(Proposal {
            id: self.id,
            trigger: self.trigger,
            action: parse_stored(&self.action)?,
            current_threshold: self.current_threshold,
            proposed_threshold: self.proposed_threshold,
            filter_tags: self.filter_tags.0,
            evidence: self.evidence.0,
            rationale: self.rationale,
            state: parse_stored(&self.state)?,
            proposed_at: self.proposed_at,
            decided_at: self.decided_at,
            decision_rationale: self.decision_rationale,
            superseded_by: self.superseded_by,
        })
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = heuristic_thresholds)]
pub(crate) struct NewThreshold<'a> {
    pub trigger: &'a str,
    pub filter_key: String,
    pub filter_tags: Json<&'a Vec<Tag>>,
    pub threshold: f64,
    pub proposal_id: i64,
    pub updated_at: i64,
}

impl<'a> NewThreshold<'a> {
    /// The threshold an accepted proposal sets, from `accepted_at`.
    pub fn accepted(p: &'a Proposal, accepted_at: i64) -> Self {
        Self {
            trigger: &p.trigger,
            filter_key: filter_key(&p.filter_tags),
            filter_tags: Json(&p.filter_tags),
            threshold: p.proposed_threshold,
            proposal_id: p.id,
            updated_at: accepted_at,
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = heuristic_thresholds)]
pub(crate) struct ThresholdRow {
    pub trigger: String,
    pub filter_tags: Json<Vec<Tag>>,
    pub threshold: f64,
    pub proposal_id: i64,
    pub updated_at: i64,
}

impl ThresholdRow {
    pub fn into_threshold(self) -> ActiveThreshold {
        ActiveThreshold {
            trigger: self.trigger,
            filter_tags: self.filter_tags.0,
            threshold: self.threshold,
            proposal_id: self.proposal_id,
            updated_at: self.updated_at,
        }
    }
}

/// One row of the routing query: one routing tier's counts and stay-length percentiles.
#[derive(Debug, QueryableByName)]
pub(crate) struct TierRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub tier: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub phases: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub landed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub failed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub retries: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub running_samples: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub running_median: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub running_p90: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub verifying_samples: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub verifying_median: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub verifying_p90: Option<i64>,
}

impl TierRow {
    pub fn into_stats(self) -> Result<TierStats, StoreError> {
        let count = |n: i64| {
            u64::try_from(n)
                .map_err(|_| StoreError::Backend(format!("negative count {n} from the routing query")))
        };
        Ok(TierStats {
            phases: count(self.phases)?,
            landed: count(self.landed)?,
            failed: count(self.failed)?,
            retries: count(self.retries)?,
            running: StayStats {
                samples: count(self.running_samples)?,
                median_seconds: self.running_median,
                p90_seconds: self.running_p90,
            },
            verifying: StayStats {
                samples: count(self.verifying_samples)?,
                median_seconds: self.verifying_median,
                p90_seconds: self.verifying_p90,
            },
            routing_tier: self.tier,
        })
    }
}
