//! `plans`: one row per recorded plan.

use std::collections::BTreeMap;

use diesel::prelude::*;
use skillnet_core::plan_dir::shape_hash::shape_signature;
use skillnet_core::{Plan, PlanId};

use super::parse_stored;
use crate::error::StoreError;
use crate::json::Json;
use crate::schema::plans;

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = plans, treat_none_as_null = true, treat_none_as_default_value = false)]
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
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
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
