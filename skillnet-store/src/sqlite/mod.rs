//! [`SqliteStore`]: the embedded default backend.
//!
//! Each connection gets `foreign_keys=ON`, a busy timeout and `synchronous=NORMAL`; the file is
//! switched to WAL once when opened; writes take the lock up front with `BEGIN IMMEDIATE`, so
//! concurrent writers queue behind the busy timeout instead of failing with "database is locked".

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::CustomizeConnection;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;

mod dialect;
// The same query logic, compiled for this dialect (see `ops/mod.rs`).
#[allow(clippy::duplicate_mod)]
#[path = "../ops/mod.rs"]
mod ops;

use dialect::{migration_status, run_migrations};

use crate::connections::{Connections, Lent};
use crate::error::{Result, StoreError};
use crate::url::DatabaseUrl;
use crate::OpenOptions;

/// A calibration store in an SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    connections: Connections<SqliteConnection>,
    url: DatabaseUrl,
    adopted: std::sync::OnceLock<crate::Adoption>,
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
        // A database of something else is refused before anything (even the journal mode) changes.
        if let ops::adoption::Found::Other { tables } = ops::adoption::inspect(&mut setup)? {
            return Err(ops::adoption::refuse_other(&tables));
        }
        let mode: String = diesel::select(diesel::dsl::sql::<Text>("journal_mode FROM pragma_journal_mode"))
            .get_result(&mut setup)
            .map_err(|e| StoreError::unavailable(&url, e))?;
        if !read_only && !mode.eq_ignore_ascii_case("wal") {
            setup
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| StoreError::unavailable(&url, e))?;
        }
        let migrated = if options.migrate { Some(run_migrations(&mut setup, &url)?) } else { None };
        if migrated.is_none() {
            migration_status(&mut setup)?;
        }
        let store = Self::from_setup(setup, target, url, pragmas, options);
        if let Some(migrated) = migrated {
            store.note(migrated);
        }
        Ok(store)
    }

    /// An empty store in memory, migrated, for tests and examples: nothing touches the disk,
    /// and the history is gone when the store is dropped. Threads sharing it see one history.
    pub fn in_memory() -> Result<Self> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let url = DatabaseUrl::sqlite(IN_MEMORY);
        // A named in-memory database with a shared cache: every connection of this store (the
        // first one lives as long as the store) opens the same one, and no other store does.
        let target = format!(
            "file:skillnet-{}-{}?mode=memory&cache=shared",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let options = OpenOptions::default();
        let pragmas = Pragmas { busy_timeout_ms: options.busy_timeout.as_millis() };
        let mut setup = SqliteConnection::establish(&target).map_err(|e| StoreError::unavailable(&url, e))?;
        pragmas.apply(&mut setup).map_err(|e| StoreError::unavailable(&url, e))?;
        run_migrations(&mut setup, &url)?;
        Ok(Self::from_setup(setup, target, url, pragmas, &options))
    }

    /// The store around its set-up connection `setup`; further connections go to `target`.
    fn from_setup(
        setup: SqliteConnection,
        target: String,
        url: DatabaseUrl,
        pragmas: Pragmas,
        options: &OpenOptions,
    ) -> Self {
        let customizer = move || Box::new(pragmas) as Box<dyn CustomizeConnection<_, _>>;
        let connections = Connections::new(
            setup,
            target,
            options.pool_size,
            options.busy_timeout,
            Some(Box::new(customizer)),
        );
        Self { connections, url, adopted: std::sync::OnceLock::new() }
    }

    fn conn(&self) -> Result<Lent<'_, SqliteConnection>> {
        self.connections.get().map_err(|e| StoreError::unavailable(&self.url, e))
    }
}

/// The path an in-memory store reports as its URL.
pub(crate) const IN_MEMORY: &str = ":memory:";

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CalibrationStore, PlanQuery};

    const SIDECAR: &str = r#"{"schema_version": 1,
      "plan": {"id": "p-1", "name": "demo", "flavor": "codex", "created_at": 1700000000,
               "phase_count": 0, "wave_count": 0, "max_chain_depth": 0, "repo_spread": 1,
               "routing_dist": {}, "shape_hash": "ab12"},
      "triggers": [], "phases": []}"#;

    #[test]
    fn an_in_memory_store_is_one_history_for_its_threads_and_its_own() {
        let store = SqliteStore::in_memory().unwrap();
        let other = SqliteStore::in_memory().unwrap();
        let record = skillnet_core::sidecar::parse(SIDECAR, "p-1/.calibration.json").unwrap();
        store.record_plans(&[record], 1_700_000_100).unwrap();
        // Threads at once: while one holds the first connection, the others use pooled ones,
        // which must open the same database.
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        assert_eq!(store.query_plans(&PlanQuery::default()).unwrap().len(), 1);
                    }
                });
            }
        });
        assert!(other.query_plans(&PlanQuery::default()).unwrap().is_empty());
        assert_eq!(store.url().to_string(), ":memory:");
        store.check_writable().unwrap();
    }
}
