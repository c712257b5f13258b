//! `heuristic_thresholds`: the thresholds accepted proposals set (and, in a history adopted
//! from skillnet 0.6, the overrides 0.6 accepted).

use diesel::prelude::*;
use skillnet_core::threshold::{filter_identity, ActiveThreshold};
use skillnet_core::Tag;

use crate::json::Json;
use crate::schema::heuristic_thresholds;
use crate::store::Proposal;

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = heuristic_thresholds, treat_none_as_null = true)]
pub(crate) struct NewThreshold<'a> {
    #[diesel(column_name = name)]
    pub trigger: &'a str,
    pub filter_key: String,
    pub filter_tags: Json<&'a Vec<Tag>>,
    pub threshold: f64,
    pub proposal_id: Option<i64>,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

impl<'a> NewThreshold<'a> {
    /// The threshold an accepted proposal sets, from `accepted_at`.
    pub fn accepted(p: &'a Proposal, accepted_at: i64) -> Self {
        Self {
            trigger: &p.trigger,
            filter_key: filter_identity(&p.filter_tags),
            filter_tags: Json(&p.filter_tags),
            threshold: p.proposed_threshold,
            proposal_id: Some(p.id),
            updated_at: accepted_at,
            updated_by: Some(format!("proposal:{}", p.id)),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
#[diesel(table_name = heuristic_thresholds)]
pub(crate) struct ThresholdRow {
    #[diesel(column_name = name)]
    pub trigger: String,
    pub filter_tags: Json<Vec<Tag>>,
    pub threshold: f64,
    pub proposal_id: Option<i64>,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

impl ThresholdRow {
    pub fn into_threshold(self) -> ActiveThreshold {
        ActiveThreshold {
            trigger: self.trigger,
            filter_tags: self.filter_tags.0,
            threshold: self.threshold,
            proposal_id: self.proposal_id,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        }
    }
}
