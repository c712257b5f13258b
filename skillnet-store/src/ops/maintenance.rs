//! What keeps the database itself in shape: migrations with their Rust steps, the write probe.

use std::collections::BTreeMap;

use diesel::prelude::*;
use skillnet_core::plan_dir::shape_hash::shape_signature;
use skillnet_core::PlanId;

use super::adoption::{self, Found};
use super::classify::classify_all;
use super::dialect::{Conn, MIGRATIONS};
use super::for_each_page_of_plans;
use crate::error::Result;
use crate::json::Json;
use crate::rows::NewPlan;
use crate::schema::plans;

/// What bringing a database up to date did.
#[derive(Debug)]
pub(crate) enum Migrated {
    /// These migrations were applied (none: it was up to date).
    Applied(Vec<String>),
    /// A skillnet 0.6 database with this many plans was adopted, applying these migrations,
    /// after a backup of it was written to `backup` (SQLite).
    /// The values 0.6 kept that skillnet does not allow are read as `readings` say.
    Adopted {
        plans: i64,
        applied: Vec<String>,
        backup: Option<std::path::PathBuf>,
        readings: Vec<crate::Reading>,
    },
}

/// Inside the caller's lock and transaction, brings the database up to date: adopts a skillnet
/// 0.6 database (after `before_adopt`, which may refuse), refuses a database that is neither
/// empty, skillnet's nor 0.6's, and otherwise applies the pending migrations.
pub(crate) fn migrate_or_adopt(
    conn: &mut Conn,
    before_adopt: impl FnOnce() -> Result<Option<std::path::PathBuf>>,
) -> Result<Migrated> {
    match adoption::inspect(conn)? {
        Found::ZeroSix { tables } => {
            let backup = before_adopt()?;
            let adopted = adoption::adopt(conn, &tables)?;
            let (plans, applied, readings) = (adopted.plans, adopted.applied, adopted.readings);
            Ok(Migrated::Adopted { plans, applied, backup, readings })
        }
        Found::Other { tables } => Err(adoption::refuse_other(&tables)),
        Found::Empty | Found::Skillnet => Ok(Migrated::Applied(apply_pending_migrations(conn)?)),
    }
}

/// Applies the backend's pending migrations on `conn`, inside the caller's lock and
/// transaction, then what a migration leaves to Rust (classifying the trigger rows
/// once `triggers.class` exists). Returns the versions applied.
pub(crate) fn apply_pending_migrations(conn: &mut Conn) -> Result<Vec<String>> {
    use diesel_migrations::MigrationHarness;
    let applied: Vec<String> = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(crate::migrations::failed)?
        .iter()
        .map(ToString::to_string)
        .collect();
    if applied.iter().any(|v| v == crate::migrations::TRIGGER_CLASSES) {
        classify_all(conn)?;
    }
    if applied.iter().any(|v| v == crate::migrations::SHAPE_SIGNATURES) {
        sign_all(conn)?;
    }
    Ok(applied)
}

/// What a plan's shape signature is computed from: id, phase count, depth, spread, routing.
type ShapeColumns = (String, i64, i64, i64, Json<BTreeMap<String, i64>>);

/// Writes the shape signature of every plan (after the migration that added it, and after
/// adopting a 0.6 history).
pub(super) fn sign_all(conn: &mut Conn) -> Result<()> {
    for_each_page_of_plans(conn, |conn, ids| {
        let rows: Vec<ShapeColumns> = plans::table
            .filter(plans::id.eq_any(&ids))
            .select((
                plans::id,
                plans::phase_count,
                plans::max_chain_depth,
                plans::repo_spread,
                plans::routing_dist,
            ))
            .load(conn)?;
        for (id, phase_count, depth, spread, dist) in rows {
            let signature = shape_signature(phase_count, depth, spread, &dist.0);
            diesel::update(plans::table.find(id)).set(plans::shape_signature.eq(signature)).execute(conn)?;
        }
        Ok(())
    })
}

/// Inserts a probe plan; the caller rolls the transaction back.
pub(super) fn write_probe(conn: &mut Conn) -> Result<()> {
    let probe = skillnet_core::Plan {
        id: PlanId::new("skillnet-doctor-write-probe").expect("valid id"),
        name: "write probe".into(),
        path: None,
        flavor: "probe".into(),
        worktype: None,
        created_at: 0,
        phase_count: 0,
        wave_count: 0,
        max_chain_depth: 0,
        repo_spread: 0,
        routing_dist: BTreeMap::new(),
        shape_hash: String::new(),
        capture_reasons: Vec::new(),
        generator: None,
    };
    diesel::insert_into(plans::table).values(NewPlan::new(&probe, 0)).execute(conn)?;
    Ok(())
}
