//! Analysis and proposal values: what to analyse, what to propose, what was decided.

use serde::{Deserialize, Serialize};
use skillnet_core::analysis::{ProposalAction, TriggerReport};
use skillnet_core::proposal::{ProposalState, TransitionEffect};
use skillnet_core::{PlanId, Tag};

/// What [`CalibrationStore::analyze`](crate::CalibrationStore::analyze) analyses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisQuery {
    /// Only this trigger.
    pub trigger: Option<String>,
    /// Only plans carrying every one of these tags (in the order given).
    pub filter_tags: Vec<Tag>,
    /// The minimum number of fires before a trigger is judged.
    pub min_n: u64,
    /// When the analysis runs (unix seconds), for the report's `analyzed_at`.
    pub analyzed_at: i64,
}

impl Default for AnalysisQuery {
    /// Every trigger over every verified plan, judged from
    /// [`DEFAULT_MIN_N`](skillnet_core::analysis::DEFAULT_MIN_N) fires, analysed now.
    fn default() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Self {
            trigger: None,
            filter_tags: Vec::new(),
            min_n: skillnet_core::analysis::DEFAULT_MIN_N,
            analyzed_at: now,
        }
    }
}

/// What [`CalibrationStore::propose`](crate::CalibrationStore::propose) takes.
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

/// What [`CalibrationStore::decide`](crate::CalibrationStore::decide) did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionOutcome {
    /// The proposal after the decision.
    pub proposal: Proposal,
    /// `applied`, or `no-op` for accepting an accepted proposal.
    pub effect: TransitionEffect,
    /// The previously accepted proposal this acceptance superseded.
    pub superseded: Option<i64>,
}
