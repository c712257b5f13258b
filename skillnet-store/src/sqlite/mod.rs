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
        let customizer = move || Box::new(pragmas) as Box<dyn CustomizeConnection<_, _>>;
        let connections = Connections::new(
            setup,
            target,
            options.pool_size,
            options.busy_timeout,
            Some(Box::new(customizer)),
        );
        let store = Self { connections, url, adopted: std::sync::OnceLock::new() };
        if let Some(migrated) = migrated {
            store.note(migrated);
        }
        Ok(store)
    }

    fn conn(&self) -> Result<Lent<'_, SqliteConnection>> {
        self.connections.get().map_err(|e| StoreError::unavailable(&self.url, e))
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
