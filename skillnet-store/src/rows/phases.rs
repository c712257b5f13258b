//! `phases`: a plan's phases, with their tracked status.

use diesel::prelude::*;
use skillnet_core::phase_status::PhaseStatus;
use skillnet_core::Phase;

use super::parse_stored;
use crate::error::StoreError;
use crate::json::Json;
use crate::schema::phases;
use crate::store::PhaseState;

#[derive(Debug, Insertable)]
#[diesel(table_name = phases, treat_none_as_default_value = false)]
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
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
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
