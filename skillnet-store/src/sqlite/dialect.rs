//! What SQLite does its own way: transactions that take the write lock up front, one row per
//! insert, `?N` bind markers, the migration lock, and space checks beside the file. The
//! contract this module fulfils for `ops` is written at the top of `ops/mod.rs`.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use super::ops::adoption::pending_adoption;
use super::ops::maintenance::{migrate_or_adopt, Migrated};
use super::ops::BulkRows;
use crate::error::{Result, StoreError};
use crate::migrations;
use crate::rows::{NewPhase, NewPhaseTransition, NewPlan, NewProposal, NewTag, NewTrigger, NewVerification};
use crate::schema::{calibration_proposals, phase_transitions, phases, plans, tags, triggers, verifications};
use crate::store::MigrationStatus;
use crate::url::DatabaseUrl;

pub(super) use super::SqliteStore as Store;
pub(super) use diesel::sqlite::SqliteConnection as Conn;

/// The SQLite migrations, embedded at compile time.
pub(super) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations-sqlite");

/// How raw SQL statements number their bind parameters: `?1`, `?2`, ...: SQLite's numbered parameters.
pub(super) const BIND_PREFIX: &str = "?";

// How each kind of row is written in bulk: one statement per row. In-process, a prepared
// single-row insert (Diesel prepares it once per connection, then only binds and steps it)
// beats re-parsing multi-row SQL (BENCHMARKS.md). (One impl per row type: a generic insert
// sends Diesel's trait solver into a loop before it knows the row type.)
impl BulkRows for NewPlan<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(plans::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewPhase<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(phases::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewTrigger<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(triggers::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewTag<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(tags::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewVerification<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(verifications::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewPhaseTransition<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter().map(|row| diesel::insert_into(phase_transitions::table).values(row).execute(conn)).sum()
    }
}

impl BulkRows for NewProposal<'_> {
    fn write(conn: &mut Conn, rows: &[Self]) -> QueryResult<usize> {
        rows.iter()
            .map(|row| diesel::insert_into(calibration_proposals::table).values(row).execute(conn))
            .sum()
    }
}

/// Sets the class of the trigger rows `rows` names by (plan, id). A trigger row's id is its row
/// id in SQLite, so the ids alone find the rows, one lookup each. (Naming the plans as well made
/// SQLite look up every pairing of a plan and an id: quadratic in the rows classified at once.)
pub(super) fn set_trigger_class(conn: &mut Conn, class: &str, rows: &[(String, i64)]) -> Result<()> {
    let ids: Vec<i64> = rows.iter().map(|(_, id)| *id).collect();
    diesel::update(triggers::table.filter(triggers::id.eq_any(ids)))
        .set(triggers::class.eq(class))
        .execute(conn)?;
    Ok(())
}

/// Runs `f` in a transaction that holds the write lock from its first statement (`BEGIN
/// IMMEDIATE`), so that writers queue behind the busy timeout instead of failing midway.
pub(super) fn write_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.immediate_transaction(f)
}

/// Runs `f` in a deferred transaction: one snapshot, no lock taken until something writes.
pub(super) fn read_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.transaction(f)
}

pub(super) fn vacuum_now(conn: &mut Conn) -> Result<()> {
    conn.batch_execute("VACUUM; PRAGMA optimize;")?;
    Ok(())
}

/// `INTEGER PRIMARY KEY` takes max(rowid) + 1 by itself: nothing to move after rows were
/// written with their ids.
pub(super) fn sync_id_sequences(_conn: &mut Conn) -> Result<()> {
    Ok(())
}

/// Bytes the space probe writes beside the database file.
const SPACE_PROBE_BYTES: usize = 256 * 1024;

/// Writes, syncs and removes a scratch file beside the database file: a nearly full disk shows
/// here, where a test insert that is rolled back still fits in SQLite's page cache.
pub(super) fn space_probe(url: &DatabaseUrl) -> Result<()> {
    use std::io::Write;
    let DatabaseUrl::Sqlite(path) = url else { return Ok(()) };
    if path.as_os_str() == super::IN_MEMORY {
        return Ok(());
    }
    let mut probe = path.as_os_str().to_owned();
    probe.push(format!(".space-probe-{}", std::process::id()));
    let probe = std::path::PathBuf::from(probe);
    let written = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&vec![0_u8; SPACE_PROBE_BYTES])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| {
        StoreError::unusable(format!(
            "cannot write {} KiB beside the database file {}: {e}",
            SPACE_PROBE_BYTES / 1024,
            path.display()
        ))
    })
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

pub(super) fn migration_status(conn: &mut Conn) -> Result<MigrationStatus> {
    let known = migrations::known_versions::<Sqlite>(&MIGRATIONS)?;
    let bookkeeping: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM sqlite_master \
         WHERE type = 'table' AND name = '__diesel_schema_migrations'",
    )
    .get_result(conn)?;
    if bookkeeping.n == 0 {
        let mut status = migrations::compare(Vec::new(), &known)?;
        status.zero_six_plans = pending_adoption(conn)?;
        return Ok(status);
    }
    use crate::schema::__diesel_schema_migrations::dsl::*;
    migrations::compare(__diesel_schema_migrations.select(version).load(conn)?, &known)
}

/// Applies pending migrations (or adopts a skillnet 0.6 database, after a byte copy of its file
/// beside it) holding the write lock, so that processes opening a fresh file at once migrate it
/// exactly once; the others find nothing pending when they get the lock.
pub(super) fn run_migrations(conn: &mut Conn, url: &DatabaseUrl) -> Result<Migrated> {
    let status = migration_status(conn)?;
    if status.pending.is_empty() {
        return Ok(Migrated::Applied(Vec::new()));
    }
    if status.zero_six_plans.is_some() {
        // Everything 0.6 left in its write-ahead log goes into the file first, so that the
        // backup holds the whole history.
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    conn.immediate_transaction(|c| {
        if migration_status(c)?.pending.is_empty() {
            return Ok(Migrated::Applied(Vec::new()));
        }
        migrate_or_adopt(c, || back_up(url).map(Some))
    })
}

/// Copies the database file, byte for byte, to `<file>.0.6-backup-<unix time>` (`-2`, `-3`, ...
/// when that name is taken) and syncs it. The copy is written under a `.partial` name and
/// renamed when complete, so a backup never holds half a file. Called holding the write lock,
/// before a skillnet 0.6 database is adopted; partial copies a killed process left are removed.
fn back_up(url: &DatabaseUrl) -> Result<PathBuf> {
    let DatabaseUrl::Sqlite(path) = url else {
        return Err(StoreError::Migration("only an SQLite file is backed up by copy".into()));
    };
    let failed = |what: &Path, e: std::io::Error| {
        StoreError::Migration(format!(
            "cannot write the backup {} before adopting the skillnet 0.6 database: {e}",
            what.display()
        ))
    };
    let prefix = format!("{}.0.6-backup-", path.file_name().unwrap_or_default().to_string_lossy());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let stem = dir.join(format!("{prefix}{now}"));
    let partial = PathBuf::from(format!("{}.partial", stem.display()));
    std::fs::File::create(&partial)
        .and_then(|mut to| {
            std::io::copy(&mut std::fs::File::open(path)?, &mut to)?;
            to.sync_all()
        })
        .map_err(|e| failed(&partial, e))?;
    let mut backup = stem.clone();
    for n in 2.. {
        if !backup.exists() {
            break;
        }
        backup = PathBuf::from(format!("{}-{n}", stem.display()));
    }
    std::fs::rename(&partial, &backup).map_err(|e| failed(&backup, e))?;
    Ok(backup)
}

/// Where the tables of a skillnet 0.6 database are set aside while it is adopted: renamed with
/// this prefix.
pub(super) const ZERO_SIX: &str = "zero_six_";

/// The tables of the database, by name.
pub(super) fn table_names(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(diesel::sql_query(
        "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load::<Line>(conn)?
    .into_iter()
    .map(|l| l.line)
    .collect())
}

/// Sets the 0.6 `tables` aside under the [`ZERO_SIX`] prefix, dropping their indexes (whose
/// names skillnet's own schema reuses).
pub(super) fn set_aside(conn: &mut Conn, tables: &[String]) -> Result<()> {
    let indexes: Vec<Line> = diesel::sql_query(
        "SELECT name AS line FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .load(conn)?;
    for index in indexes {
        conn.batch_execute(&format!("DROP INDEX \"{}\";", index.line))?;
    }
    for table in tables {
        conn.batch_execute(&format!("ALTER TABLE \"{table}\" RENAME TO \"{ZERO_SIX}{table}\";"))?;
    }
    Ok(())
}

/// Drops the set-aside 0.6 tables, children before parents.
pub(super) fn drop_set_aside(conn: &mut Conn, tables: &[String]) -> Result<()> {
    for table in tables.iter().filter(|t| t.as_str() != "plans") {
        conn.batch_execute(&format!("DROP TABLE \"{ZERO_SIX}{table}\";"))?;
    }
    conn.batch_execute(&format!("DROP TABLE \"{ZERO_SIX}plans\";"))?;
    Ok(())
}

/// A JSON column of a 0.6 table as text (SQLite keeps JSON as text).
pub(super) fn json_text(column: &str) -> String {
    column.to_owned()
}

/// A 0.6 timestamp column (`YYYY-MM-DD HH:MM:SS` text in SQLite) as unix seconds.
pub(super) fn unix_seconds(column: &str) -> String {
    format!("CAST(strftime('%s', {column}) AS INTEGER)")
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// A bind parameter (unix seconds) as a value of a skill use's timestamp column (`YYYY-MM-DD HH:MM:SS` text, as 0.6 wrote it).
pub(super) fn timestamp_param(param: &str) -> String {
    format!("strftime('%Y-%m-%d %H:%M:%S', {param}, 'unixepoch')")
}

/// A bind parameter (JSON text) as a value of a skill use's payload column (text).
pub(super) fn json_param(param: &str) -> String {
    param.to_owned()
}

/// `skillnet_core::usage::canonical_skill_name` of a text column, in SQL (the migration that
/// added the column computes the same).
pub(super) fn canonical_skill_name(column: &str) -> String {
    format!("lower(trim(substr(trim({column}), instr(trim({column}), ':') + 1)))")
}
