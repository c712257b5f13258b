//! `calibration_proposals`: threshold proposals and their decisions.

use diesel::prelude::*;
use skillnet_core::threshold::filter_identity;
use skillnet_core::Tag;

use super::parse_stored;
use crate::error::StoreError;
use crate::json::Json;
use crate::schema::calibration_proposals;
use crate::store::{Proposal, ProposalEvidence};

#[derive(Debug, Insertable)]
#[diesel(table_name = calibration_proposals)]
pub(crate) struct NewProposal<'a> {
    pub id: Option<i64>,
    #[diesel(column_name = trigger_name)]
    pub trigger: &'a str,
    pub action: &'static str,
    pub current_threshold: f64,
    pub proposed_threshold: f64,
    pub filter_tags: Json<&'a Vec<Tag>>,
    pub filter_key: String,
    pub evidence: Json<&'a ProposalEvidence>,
    pub rationale: &'a str,
    #[diesel(column_name = decision)]
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
            filter_key: filter_identity(&p.filter_tags),
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
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
#[diesel(table_name = calibration_proposals)]
pub(crate) struct ProposalRow {
    pub id: i64,
    #[diesel(column_name = trigger_name)]
    pub trigger: String,
    pub action: String,
    pub current_threshold: f64,
    pub proposed_threshold: f64,
    pub filter_tags: Json<Vec<Tag>>,
    pub evidence: Json<ProposalEvidence>,
    pub rationale: String,
    #[diesel(column_name = decision)]
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
