//! The store's query logic: plain functions over one connection, grouped by what they do.
//!
//! Diesel types a query by its connection, and code generic over two backends drowns in trait
//! bounds, so this folder is compiled once per backend, as `crate::sqlite::ops` and
//! `crate::pg::ops` (each backend module includes it with `#[path]`). Whatever truly differs
//! between the dialects lives in the backend's `dialect` module, which must provide:
//!
//! - `type Conn`: the connection type, and `type Store`: the backend's store, with
//!   `fn conn(&self)` (a pooled connection) and a field `url`;
//! - `fn write_txn` and `fn read_txn`: run a closure in a write or a read-only transaction;
//! - [`BulkRows`] for every `New*` row type: how the dialect writes many rows fastest;
//! - `BIND_PREFIX`: how raw SQL numbers its bind parameters (`?` or `$`);
//! - `fn migration_status` and `fn run_migrations` (the latter under the dialect's lock, calling
//!   [`maintenance::apply_pending_migrations`]);
//! - `fn sync_id_sequences` (after rows were written with their ids), `fn space_probe` (room to
//!   write, checked before a test write) and `fn vacuum_now`.
//! - `fn set_trigger_class`: set the class of trigger rows named by (plan, id), one lookup a
//!   row.
//!
//! The [`crate::CalibrationStore`] implementation is in `calibration_store.rs`: each method opens
//! the right transaction and calls one function here.

pub(super) mod adoption;
mod analysis;
mod calibration_store;
mod classify;
mod history;
pub(super) mod maintenance;
mod phases;
mod plans;
mod proposals;
mod readings;
mod record;
mod routing;
mod tags;
mod usage;

use std::collections::HashSet;

use diesel::dsl::exists;
use diesel::prelude::*;
use skillnet_core::PlanId;

use super::dialect;
use crate::error::{Result, StoreError};
use crate::schema;
use dialect::Conn;

/// Bind parameters per statement we allow ourselves (SQLite's limit is 32,766; PostgreSQL's
/// 65,535); lists of ids are cut into chunks that stay below it.
const MAX_BINDS: usize = 30_000;

/// Plans handled per round of statements in batch writes, and items an import holds at once.
/// On PostgreSQL every statement of a round is a round trip, and rounds of 1,024 plans record
/// and verify faster than rounds of 256 (BENCHMARKS.md); SQLite takes either alike.
const PLAN_GROUP: usize = 1024;

/// Plans read per page when exporting.
const EXPORT_PAGE: i64 = 500;

/// A row type the dialect writes in bulk: each dialect implements it for every `New*` row of
/// `crate::rows`, the way that dialect writes many rows fastest.
pub(super) trait BulkRows: Sized {
    /// Writes `rows`, returning how many were written.
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize>;
}

/// Writes `rows` of one table in bulk.
fn insert_rows<R: BulkRows>(conn: &mut Conn, rows: &[R]) -> Result<()> {
    if !rows.is_empty() {
        R::write(conn, rows)?;
    }
    Ok(())
}

/// The ids among `ids` of plans that are recorded.
fn existing_plans(conn: &mut Conn, ids: &[&str]) -> Result<HashSet<String>> {
    let mut found = HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(MAX_BINDS) {
        found.extend(
            schema::plans::table
                .filter(schema::plans::id.eq_any(chunk))
                .select(schema::plans::id)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// `NotFound` unless the plan `id` is recorded.
fn require_plan(conn: &mut Conn, id: &PlanId) -> Result<()> {
    let found: bool = diesel::select(exists(schema::plans::table.find(id.as_str()))).get_result(conn)?;
    if found {
        Ok(())
    } else {
        Err(StoreError::unknown_plan(id))
    }
}

/// Calls `each` with every plan id in id order, a page of `EXPORT_PAGE` ids at a time.
fn for_each_page_of_plans(
    conn: &mut Conn,
    mut each: impl FnMut(&mut Conn, Vec<String>) -> Result<()>,
) -> Result<()> {
    let mut after = String::new();
    loop {
        let ids: Vec<String> = schema::plans::table
            .filter(schema::plans::id.gt(&after))
            .order(schema::plans::id)
            .limit(EXPORT_PAGE)
            .select(schema::plans::id)
            .load(conn)?;
        let Some(last) = ids.last() else { return Ok(()) };
        after = last.clone();
        each(conn, ids)?;
    }
}

/// Whether the plan of the row (`schema::plans::id`) carries the tag `key=value` (any of its values for
/// the key may match).
#[diesel::dsl::auto_type]
fn plan_carries<'a>(key: &'a str, value: &'a str) -> _ {
    exists(
        schema::tags::table
            .filter(schema::tags::plan_id.eq(schema::plans::id))
            .filter(schema::tags::key.eq(key))
            .filter(schema::tags::value.eq(value)),
    )
}

/// Whether the plan of the trigger row (`schema::triggers::plan_id`) carries the tag `key=value`.
#[diesel::dsl::auto_type]
fn trigger_plan_carries<'a>(key: &'a str, value: &'a str) -> _ {
    exists(
        schema::tags::table
            .filter(schema::tags::plan_id.eq(schema::triggers::plan_id))
            .filter(schema::tags::key.eq(key))
            .filter(schema::tags::value.eq(value)),
    )
}
