//! `phase_transitions`: the log of phase moves.

use diesel::prelude::*;

use super::parse_stored;
use crate::error::StoreError;
use crate::schema::phase_transitions;
use crate::store::PhaseTransitionRecord;

#[derive(Debug, Insertable)]
#[diesel(table_name = phase_transitions, treat_none_as_default_value = false)]
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
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
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
