//! What PostgreSQL does its own way: writes serialised by an advisory lock, read-only
//! repeatable-read snapshots, bulk rows by `COPY`, `$N` bind markers, the migration lock and
//! identity sequences. The contract this module fulfils for `ops` is written at the top of
//! `ops/mod.rs`.

use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use super::ops::maintenance::apply_pending_migrations;
use super::ops::BulkRows;
use crate::error::Result;
use crate::migrations;
use crate::rows::{NewPhase, NewPhaseTransition, NewPlan, NewProposal, NewTag, NewTrigger, NewVerification};
use crate::schema::{calibration_proposals, phase_transitions, phases, plans, tags, triggers, verifications};
use crate::store::MigrationStatus;
use crate::url::DatabaseUrl;

pub(super) use super::PgStore as Store;
pub(super) use diesel::pg::PgConnection as Conn;

/// The PostgreSQL migrations, embedded at compile time.
pub(super) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations-pg");

/// Key of the advisory lock taken while migrating ("skillnet" in ASCII).
const MIGRATION_LOCK: i64 = 0x736b_696c_6c6e_6574;

/// Key of the advisory lock every write transaction holds ("skillnew" in ASCII: writes).
const WRITE_LOCK: i64 = 0x736b_696c_6c6e_6577;

/// How raw SQL statements number their bind parameters: `$1`, `$2`, ...: PostgreSQL's positional parameters.
pub(super) const BIND_PREFIX: &str = "$";

// How each kind of row is written in bulk. The tables a record or an import fills by the
// thousand go by `COPY ... FROM STDIN` in PostgreSQL's binary format: one round trip, no SQL to
// parse, no bind-parameter limit (BENCHMARKS.md). Proposals, few, and with ids that are left to
// the identity column when new, go by multi-row `INSERT`. (One impl per row type: Diesel names
// the bounds of a generic `COPY` only through types it keeps private.)
impl BulkRows for NewPlan<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(plans::table).from_insertable(rows).execute(conn)
    }
}

impl BulkRows for NewPhase<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(phases::table).from_insertable(rows).execute(conn)
    }
}

impl BulkRows for NewTrigger<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(triggers::table).from_insertable(rows).execute(conn)
    }
}

impl BulkRows for NewTag<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(tags::table).from_insertable(rows).execute(conn)
    }
}

impl BulkRows for NewVerification<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(verifications::table).from_insertable(rows).execute(conn)
    }
}

impl BulkRows for NewPhaseTransition<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        diesel::copy_from(phase_transitions::table).from_insertable(rows).execute(conn)
    }
}

/// Proposal rows per `INSERT` (16 columns x 2,000 rows stays below PostgreSQL's 65,535 bind
/// parameters).
const PROPOSALS_PER_INSERT: usize = 2_000;

impl BulkRows for NewProposal<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        let mut written = 0;
        for chunk in rows.chunks(PROPOSALS_PER_INSERT) {
            written += diesel::insert_into(calibration_proposals::table).values(chunk).execute(conn)?;
        }
        Ok(written)
    }
}

/// Runs `f` in a transaction that first takes the write lock, so writers take turns as they do
/// on SQLite and see each other's committed work.
pub(super) fn write_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.transaction(|c| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(WRITE_LOCK).execute(c)?;
        f(c)
    })
}

/// Runs `f` in a read-only, repeatable-read transaction: one snapshot, no lock.
pub(super) fn read_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.build_transaction().read_only().repeatable_read().run(f)
}

pub(super) fn vacuum_now(conn: &mut Conn) -> Result<()> {
    conn.batch_execute("VACUUM ANALYZE;")?;
    Ok(())
}

/// Rows imported with their ids leave the identity sequence behind; moves it past them.
pub(super) fn sync_id_sequences(conn: &mut Conn) -> Result<()> {
    diesel::sql_query(
        "SELECT setval(pg_get_serial_sequence('calibration_proposals', 'id'), \
                       coalesce(max(id), 1), max(id) IS NOT NULL) \
         FROM calibration_proposals",
    )
    .execute(conn)?;
    Ok(())
}

/// The server's disk is the server's to watch: nothing to probe from a client.
pub(super) fn space_probe(_url: &DatabaseUrl) -> Result<()> {
    Ok(())
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    present: bool,
}

pub(super) fn migration_status(conn: &mut Conn) -> Result<MigrationStatus> {
    let known = migrations::known_versions::<Pg>(&MIGRATIONS)?;
    let bookkeeping: Exists =
        diesel::sql_query("SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS present")
            .get_result(conn)?;
    let applied = if bookkeeping.present {
        use crate::schema::__diesel_schema_migrations::dsl::*;
        __diesel_schema_migrations.select(version).load(conn)?
    } else {
        Vec::new()
    };
    migrations::compare(applied, &known)
}

/// Applies pending migrations under the migration advisory lock, so that many processes
/// starting at once against a fresh database migrate it exactly once.
pub(super) fn run_migrations(conn: &mut Conn) -> Result<Vec<String>> {
    if migration_status(conn)?.pending.is_empty() {
        return Ok(Vec::new());
    }
    conn.transaction(|c| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(MIGRATION_LOCK).execute(c)?;
        if migration_status(c)?.pending.is_empty() {
            return Ok(Vec::new());
        }
        apply_pending_migrations(c)
    })
}
