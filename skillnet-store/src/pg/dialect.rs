//! What PostgreSQL does its own way: writes serialised by an advisory lock, read-only
//! repeatable-read snapshots, bulk rows by `COPY`, `$N` bind markers, the migration lock and
//! identity sequences. The contract this module fulfils for `ops` is written at the top of
//! `ops/mod.rs`.

use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Text};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use super::ops::adoption::pending_adoption;
use super::ops::maintenance::{migrate_or_adopt, Migrated};
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

/// Sets the class of the trigger rows `rows` names by (plan, id), the table's key: the pairs
/// are joined to it, one lookup each. (Two `= ANY` lists, of plans and of ids, had the index
/// look up every pairing of a plan and an id: quadratic in the rows classified at once.)
pub(super) fn set_trigger_class(conn: &mut Conn, class: &str, rows: &[(String, i64)]) -> Result<()> {
    let (plans, ids): (Vec<&str>, Vec<i64>) = rows.iter().map(|(plan, id)| (plan.as_str(), *id)).unzip();
    diesel::sql_query(
        "UPDATE triggers SET class = $1 FROM unnest($2::text[], $3::bigint[]) AS k (plan_id, id) \
         WHERE triggers.plan_id = k.plan_id AND triggers.id = k.id",
    )
    .bind::<Text, _>(class)
    .bind::<Array<Text>, _>(plans)
    .bind::<Array<BigInt>, _>(ids)
    .execute(conn)?;
    Ok(())
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

/// The tables whose ids come from an identity sequence.
const IDENTITY_TABLES: [&str; 6] = [
    "calibration_proposals",
    "phases",
    "triggers",
    "verifications",
    "phase_transitions",
    "skill_invocations",
];

/// Rows written with their ids (an import, an adoption) leave the identity sequences behind;
/// moves each past its table's largest id.
pub(super) fn sync_id_sequences(conn: &mut Conn) -> Result<()> {
    for table in IDENTITY_TABLES {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) \
             FROM {table}"
        ))
        .execute(conn)?;
    }
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
    match applied_versions(conn)? {
        Some(applied) => migrations::compare(applied, &known),
        None => {
            let mut status = migrations::compare(Vec::new(), &known)?;
            status.zero_six_plans = pending_adoption(conn)?;
            Ok(status)
        }
    }
}

/// Applies pending migrations (or adopts a skillnet 0.6 database) under the migration advisory
/// lock, so that many processes starting at once against a fresh or a 0.6 database migrate or
/// adopt it exactly once.
pub(super) fn run_migrations(conn: &mut Conn, _url: &DatabaseUrl) -> Result<Migrated> {
    // Only skillnet's bookkeeping is read before the lock: a 0.6 database is inspected under it,
    // where no other process is moving its tables away.
    let known = migrations::known_versions::<Pg>(&MIGRATIONS)?;
    if let Some(applied) = applied_versions(conn)? {
        if migrations::compare(applied, &known)?.pending.is_empty() {
            return Ok(Migrated::Applied(Vec::new()));
        }
    }
    conn.transaction(|c| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(MIGRATION_LOCK).execute(c)?;
        // The server's data is the server's to back up: the adoption is one transaction.
        migrate_or_adopt(c, || Ok(None))
    })
}

/// The versions in skillnet's migration bookkeeping; `None` when the database has none.
fn applied_versions(conn: &mut Conn) -> Result<Option<Vec<String>>> {
    let bookkeeping: Exists =
        diesel::sql_query("SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS present")
            .get_result(conn)?;
    if !bookkeeping.present {
        return Ok(None);
    }
    use crate::schema::__diesel_schema_migrations::dsl::*;
    Ok(Some(__diesel_schema_migrations.select(version).load(conn)?))
}

/// The schema the tables of a skillnet 0.6 database are moved to while it is adopted.
pub(super) const ZERO_SIX: &str = "skillnet_zero_six.";

/// The tables of the database's current schema, by name.
pub(super) fn table_names(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(diesel::sql_query(
        "SELECT table_name::text AS line FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .load::<Line>(conn)?
    .into_iter()
    .map(|l| l.line)
    .collect())
}

/// Moves the 0.6 `tables` (with their indexes, constraints and sequences) to a schema of their
/// own, out of the way of skillnet's.
pub(super) fn set_aside(conn: &mut Conn, tables: &[String]) -> Result<()> {
    conn.batch_execute("CREATE SCHEMA skillnet_zero_six;")?;
    for table in tables {
        conn.batch_execute(&format!("ALTER TABLE \"{table}\" SET SCHEMA skillnet_zero_six;"))?;
    }
    Ok(())
}

/// Drops the set-aside 0.6 tables.
pub(super) fn drop_set_aside(conn: &mut Conn, _tables: &[String]) -> Result<()> {
    conn.batch_execute("DROP SCHEMA skillnet_zero_six CASCADE;")?;
    Ok(())
}

/// A JSON column of a 0.6 table as text (0.6 keeps JSONB on PostgreSQL).
pub(super) fn json_text(column: &str) -> String {
    format!("CAST({column} AS TEXT)")
}

/// A 0.6 timestamp column (`TIMESTAMPTZ` on PostgreSQL) as unix seconds.
pub(super) fn unix_seconds(column: &str) -> String {
    format!("CAST(extract(epoch FROM {column}) AS BIGINT)")
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// A bind parameter (unix seconds) as a value of a skill use's timestamp column (a `TIMESTAMPTZ`).
pub(super) fn timestamp_param(param: &str) -> String {
    format!("to_timestamp(CAST({param} AS DOUBLE PRECISION))")
}

/// A bind parameter (JSON text) as a value of a skill use's payload column (`JSONB`).
pub(super) fn json_param(param: &str) -> String {
    format!("CAST({param} AS JSONB)")
}

/// `skillnet_core::usage::canonical_skill_name` of a text column, in SQL (the migration that
/// added the column computes the same).
pub(super) fn canonical_skill_name(column: &str) -> String {
    format!(
        "translate(trim(substr(trim({column}), strpos(trim({column}), ':') + 1)), \
         'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    )
}
