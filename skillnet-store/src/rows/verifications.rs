//! `verifications`: what happened when a plan ran, newest last.

use std::collections::BTreeMap;

use diesel::prelude::*;
use skillnet_core::Verification;

use super::parse_stored;
use crate::error::StoreError;
use crate::json::Json;
use crate::schema::verifications;

#[derive(Debug, Insertable)]
#[diesel(table_name = verifications, treat_none_as_default_value = false)]
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
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
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
