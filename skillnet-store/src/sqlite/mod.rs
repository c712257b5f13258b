//! [`SqliteStore`]: the embedded default backend.
//!
//! Each connection gets `foreign_keys=ON`, a busy timeout and `synchronous=NORMAL`; the file is
//! switched to WAL once when opened; writes take the lock up front with `BEGIN IMMEDIATE`, so
//! concurrent writers queue behind the busy timeout instead of failing with "database is locked".

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sql_types::Text;
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::error::{Result, StoreError};
use crate::migrations;
use crate::queries::calibration_store_impl;
use crate::store::MigrationStatus;
use crate::url::DatabaseUrl;
use crate::OpenOptions;

/// The SQLite migrations, embedded at compile time.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations-sqlite");

type Conn = SqliteConnection;

/// One row per insert: in-process, a prepared single-row insert beats re-parsing multi-row SQL
/// (BENCHMARKS.md).
const ROWS_PER_INSERT: usize = 1;

/// How raw SQL statements number their bind parameters: `?1`, `?2`, ...: SQLite's numbered parameters.
const BIND_PREFIX: &str = "?";

/// A calibration store in an SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    pool: Pool<ConnectionManager<SqliteConnection>>,
    url: DatabaseUrl,
}

#[derive(Debug, Clone, Copy)]
struct Pragmas {
    busy_timeout_ms: u128,
}

impl Pragmas {
    fn apply(&self, conn: &mut SqliteConnection) -> QueryResult<()> {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
            self.busy_timeout_ms
        ))
    }
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path`, with its parent directories,
    /// and applies pending migrations unless `options.migrate` is off.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Self> {
        let url = DatabaseUrl::sqlite(path);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::unavailable(&url, format!("cannot create directory {}: {e}", parent.display()))
            })?;
        }
        let path_text = path.to_str().ok_or_else(|| {
            StoreError::InvalidUrl(format!("the path {} is not valid UTF-8", path.display()))
        })?;
        let pragmas = Pragmas { busy_timeout_ms: options.busy_timeout.as_millis() };
        // A history this user may read but not write is opened read-only, so that reading it
        // works; writing it fails as "read-only".
        let read_only = is_read_only(path);
        let (target, mut setup) = if read_only {
            open_read_only(path_text).map_err(|e| StoreError::unavailable(&url, e))?
        } else {
            // Set the file up on a connection of its own: a bad path fails here at once, where
            // the pool would keep retrying until its timeout.
            let setup =
                SqliteConnection::establish(path_text).map_err(|e| StoreError::unavailable(&url, e))?;
            (path_text.to_owned(), setup)
        };
        pragmas.apply(&mut setup).map_err(|e| StoreError::unavailable(&url, e))?;
        let mode: String = diesel::select(diesel::dsl::sql::<Text>("journal_mode FROM pragma_journal_mode"))
            .get_result(&mut setup)
            .map_err(|e| StoreError::unavailable(&url, e))?;
        if !read_only && !mode.eq_ignore_ascii_case("wal") {
            setup
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| StoreError::unavailable(&url, e))?;
        }
        if options.migrate {
            run_migrations(&mut setup)?;
        } else {
            migration_status(&mut setup)?;
        }
        let pool = Pool::builder()
            .max_size(options.pool_size)
            .min_idle(Some(0))
            .connection_timeout(options.busy_timeout)
            .connection_customizer(Box::new(pragmas))
            .build(ConnectionManager::new(target))
            .map_err(|e| StoreError::unavailable(&url, e))?;
        Ok(Self { pool, url })
    }

    fn conn(&self) -> Result<PooledConnection<ConnectionManager<SqliteConnection>>> {
        self.pool.get().map_err(|e| StoreError::unavailable(&self.url, e))
    }
}

/// Whether `path` is an existing file this process may read but not write.
fn is_read_only(path: &Path) -> bool {
    path.is_file()
        && matches!(
            std::fs::OpenOptions::new().read(true).write(true).open(path),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied
        )
}

/// Opens a file this process cannot write, read-only. A WAL database also needs its
/// shared-memory file; when the folder cannot hold one either, the file is read as immutable
/// (SQLite then takes no locks, so a write by its owner at that very moment may go unseen).
/// Returns the connection string for the pool and the first connection.
fn open_read_only(path: &str) -> diesel::ConnectionResult<(String, SqliteConnection)> {
    let escaped = path.replace('%', "%25").replace('?', "%3f").replace('#', "%23");
    let mut last = None;
    for params in ["mode=ro", "mode=ro&immutable=1"] {
        let target = format!("file:{escaped}?{params}");
        match SqliteConnection::establish(&target) {
            Ok(mut conn) => match conn.batch_execute("SELECT count(*) FROM sqlite_master") {
                Ok(()) => return Ok((target, conn)),
                Err(e) => last = Some(diesel::ConnectionError::CouldntSetupConfiguration(e)),
            },
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("two attempts were made"))
}

/// Bytes the space probe writes beside the database file.
const SPACE_PROBE_BYTES: usize = 256 * 1024;

/// Writes, syncs and removes a scratch file beside the database file: a nearly full disk shows
/// here, where a test insert that is rolled back still fits in SQLite's page cache.
fn space_probe(url: &DatabaseUrl) -> Result<()> {
    use std::io::Write;
    let DatabaseUrl::Sqlite(path) = url else { return Ok(()) };
    let mut probe = path.as_os_str().to_owned();
    probe.push(format!(".space-probe-{}", std::process::id()));
    let probe = std::path::PathBuf::from(probe);
    let written = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&vec![0_u8; SPACE_PROBE_BYTES])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| {
        StoreError::Unusable(format!(
            "cannot write {} KiB beside the database file {}: {e}",
            SPACE_PROBE_BYTES / 1024,
            path.display()
        ))
    })
}

fn write_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.immediate_transaction(f)
}

fn read_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.transaction(f)
}

fn vacuum_now(conn: &mut Conn) -> Result<()> {
    conn.batch_execute("VACUUM; PRAGMA optimize;")?;
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn migration_status(conn: &mut Conn) -> Result<MigrationStatus> {
    let known = migrations::known_versions::<Sqlite>(&MIGRATIONS)?;
    let bookkeeping: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
    )
    .get_result(conn)?;
    let applied = if bookkeeping.n == 0 {
        Vec::new()
    } else {
        use crate::schema::__diesel_schema_migrations::dsl::*;
        __diesel_schema_migrations.select(version).load(conn)?
    };
    migrations::compare(applied, &known)
}

fn run_migrations(conn: &mut Conn) -> Result<Vec<String>> {
    if migration_status(conn)?.pending.is_empty() {
        return Ok(Vec::new());
    }
    // Hold the write lock while migrating, so that processes opening a fresh file at once
    // migrate it exactly once; the others find nothing pending when they get the lock.
    conn.immediate_transaction(|c| {
        if migration_status(c)?.pending.is_empty() {
            return Ok(Vec::new());
        }
        ops::apply_pending_migrations(c)
    })
}

fn sync_id_sequences(_conn: &mut Conn) -> Result<()> {
    // `INTEGER PRIMARY KEY` takes max(rowid) + 1: nothing to move.
    Ok(())
}

calibration_store_impl!(SqliteStore);
