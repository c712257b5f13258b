//! Throwaway databases for tests: a fresh SQLite file or a fresh PostgreSQL database per test,
//! removed again when the test is done.
//!
//! The conformance suite runs every `CalibrationStore` expectation against both backends
//! (SPEC.md §12), and the CLI integration tests run the real `skillnet` binary against both. Each
//! test needs a database that nobody else touches and that disappears afterwards, without any
//! manual setup on a developer machine and without a service container in CI.
//!
//! # Usage
//!
//! ```no_run
//! use skillnet_test_db::{postgres_database, sqlite_database};
//!
//! fn run_story(url: &str) {
//!     // open the store at `url`, record, verify, assert ...
//! #   let _ = url;
//! }
//!
//! let sqlite = sqlite_database();
//! run_story(sqlite.url());
//! // The PostgreSQL half; `None` means "no PostgreSQL here", already reported on stderr.
//! if let Some(postgres) = postgres_database() {
//!     run_story(postgres.url());
//! }
//! // Both databases are removed when `sqlite` and `postgres` go out of scope.
//! ```
//!
//! For process-level tests pass [`TestDatabase::url`] to the binary as `SKILLNET_DATABASE_URL`;
//! the URL is absolute and does not depend on the child's working directory or environment.
//!
//! # Where the PostgreSQL server comes from
//!
//! 1. If `SKILLNET_TEST_PG_URL` is set, that server is used (a `postgres://` or `postgresql://`
//!    URL whose user may `CREATE DATABASE`; its database part, if any, is the maintenance
//!    database, else `postgres`). A fresh database is created on it for every test.
//! 2. Otherwise one throwaway server is started per test process, on first use: `initdb` into a
//!    temporary directory (trust authentication, superuser `skillnet`, UTF-8, `C` locale), then
//!    `pg_ctl -w start`, listening only on a Unix socket inside that directory, with durability
//!    switched off (`fsync`, `synchronous_commit`, `full_page_writes`) and `max_connections = 300`.
//!    The binaries are taken from `PATH`, else from the highest `/usr/lib/postgresql/*/bin`
//!    (the Debian `postgresql` package). When the test process runs as root (as CI does), the
//!    server runs as the unprivileged user `nobody` through `setpriv` (or `runuser`), because
//!    `initdb` and `postgres` refuse to run as root. A detached watchdog stops the server and
//!    deletes its directory once the test process has exited, however it exited.
//!
//! When neither is available the PostgreSQL half is skipped with one line on stderr, except
//! under `CI=true`, where it is a test failure (SPEC.md §12: CI must really run it).
//!
//! Test databases are dropped with `DROP DATABASE ... WITH (FORCE)`, which needs PostgreSQL 13
//! or newer and terminates connections a test still holds.

mod local_server;
mod url;

use std::collections::hash_map::RandomState;
use std::env;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use tempfile::TempDir;

use local_server::start_local_server;
use url::{database_of, redact, with_database};

/// Environment variable naming an existing PostgreSQL server to use instead of a throwaway one.
const PG_URL_ENV: &str = "SKILLNET_TEST_PG_URL";
/// How often a connection is attempted before giving up (the server may be momentarily out of
/// connection slots while many test processes start at once).
const CONNECT_ATTEMPTS: u32 = 20;

/// A database that exists for one test and is removed when dropped.
///
/// Obtain one from [`sqlite_database`] or [`postgres_database`]. Dropping it deletes the SQLite
/// file's temporary directory, or drops the PostgreSQL database (terminating any connection the
/// test still holds to it).
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Sqlite {
        /// Removed (with the database file and its `-wal`/`-shm` companions) on drop.
        _dir: TempDir,
    },
    Postgres {
        name: String,
        maintenance_url: String,
    },
}

impl TestDatabase {
    /// The URL to open this database with, as accepted by the store's `open` and by
    /// `SKILLNET_DATABASE_URL`.
    ///
    /// SQLite: `sqlite:///abs/path/calibration.sqlite`. PostgreSQL: a libpq URL such as
    /// `postgresql://skillnet@/skillnet_test_123_9f0c1a2b_0?host=/tmp/skillnet-pg-XXXX&port=21234`
    /// for the throwaway server, or the `SKILLNET_TEST_PG_URL` server's URL with the database
    /// part replaced.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which backend this database belongs to: `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite { .. } => "sqlite",
            Kind::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Kind::Postgres { name, maintenance_url } = &self.kind {
            // Never panic here: the test may already be unwinding. A database left behind on a
            // throwaway server disappears with the server anyway.
            if let Err(error) = drop_database(maintenance_url, name) {
                eprintln!("skillnet-test-db: could not drop test database {name}: {error}");
            }
        }
    }
}

/// A fresh SQLite database location: `calibration.sqlite` in a new temporary directory.
///
/// The file itself does not exist yet, so the code under test creates (and migrates) it. The
/// directory and everything in it are removed when the returned value is dropped.
///
/// # Panics
///
/// If no temporary directory can be created.
pub fn sqlite_database() -> TestDatabase {
    let dir = tempfile::Builder::new()
        .prefix("skillnet-test-")
        .tempdir()
        .unwrap_or_else(|error| panic!("cannot create a temporary directory for SQLite: {error}"));
    // Absolute, so that a child process with another working directory finds the same file.
    let base = fs::canonicalize(dir.path()).unwrap_or_else(|_| dir.path().to_path_buf());
    let url = format!("sqlite://{}", base.join("calibration.sqlite").display());
    TestDatabase { url, kind: Kind::Sqlite { _dir: dir } }
}

/// A fresh, empty PostgreSQL database on the shared test server, or `None` when PostgreSQL is not
/// available here (reported once per process on stderr).
///
/// The first call in a test process starts the throwaway server (see the module docs); later
/// calls reuse it, so tests may call this concurrently from many threads. Each call creates a
/// database with a name unique to this process and call.
///
/// # Panics
///
/// - Under `CI=true` when no PostgreSQL can be found or started (the message says why).
/// - When the server cannot be reached or refuses `CREATE DATABASE`.
pub fn postgres_database() -> Option<TestDatabase> {
    let server = server()?;
    let name = next_database_name();
    let mut conn = connect(&server.maintenance_url).unwrap_or_else(|error| panic!("{error}"));
    conn.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap_or_else(|error| {
        panic!("cannot create test database {name} on {}: {error}", redact(&server.maintenance_url))
    });
    let url = with_database(&server.maintenance_url, &name).unwrap_or_else(|error| panic!("{error}"));
    Some(TestDatabase { url, kind: Kind::Postgres { name, maintenance_url: server.maintenance_url.clone() } })
}

/// Loads a plain-text `pg_dump` (taken with `--inserts`) into the PostgreSQL database at `url`,
/// leaving out the psql meta-commands (`\restrict`, ...) a plain connection cannot run.
pub fn load_postgres_dump(url: &str, dump: &Path) {
    let sql: String = fs::read_to_string(dump)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dump.display()))
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .map(|line| format!("{line}\n"))
        .collect();
    PgConnection::establish(url)
        .and_then(|mut conn| {
            conn.batch_execute(&sql).map_err(diesel::ConnectionError::CouldntSetupConfiguration)
        })
        .unwrap_or_else(|e| panic!("cannot load {} into {url}: {e}", dump.display()));
}

/// The URL of the test server's maintenance database (normally `postgres`), for tests that create
/// and drop databases themselves; `None` under the same rules as [`postgres_database`].
///
/// The URL names a superuser (or the `SKILLNET_TEST_PG_URL` user). Databases created through it
/// are not removed automatically unless the server is the throwaway one.
///
/// # Panics
///
/// Under `CI=true` when no PostgreSQL can be found or started.
pub fn postgres_server_url() -> Option<String> {
    server().map(|server| server.maintenance_url.clone())
}

/// The PostgreSQL server all of this process's test databases live on.
#[derive(Debug)]
struct Server {
    /// URL of the maintenance database; per-test URLs are derived from it.
    maintenance_url: String,
}

/// Set on first use; an `Err` holds why PostgreSQL is not available.
static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

fn server() -> Option<&'static Server> {
    let server = SERVER.get_or_init(|| {
        let server = match env::var(PG_URL_ENV) {
            Ok(url) if !url.trim().is_empty() => Ok(external_server(url.trim())),
            _ => start_local_server(),
        };
        if let Err(reason) = &server {
            if !under_ci() {
                // Straight to the process's stderr, not `eprintln!`: the test harness captures
                // the latter and shows it only for failing tests, and a skip must be visible.
                let _ = writeln!(
                    std::io::stderr(),
                    "skillnet-test-db: skipping the PostgreSQL half of the tests: {}",
                    one_line(reason)
                );
            }
        }
        server
    });
    match server {
        Ok(server) => Some(server),
        Err(reason) if under_ci() => panic!(
            "PostgreSQL is required under CI=true, but none could be found or started: {reason}\n\
             Install the Debian package `postgresql` (its initdb/pg_ctl/postgres under \
             /usr/lib/postgresql/*/bin are used) or set {PG_URL_ENV} to a server URL whose user \
             may CREATE DATABASE."
        ),
        Err(_) => None,
    }
}

fn under_ci() -> bool {
    env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// A server named by `SKILLNET_TEST_PG_URL`. A malformed URL is a configuration mistake, not a
/// reason to skip, so it panics.
fn external_server(url: &str) -> Server {
    let maintenance_url = match database_of(url) {
        Some(_) => url.to_owned(),
        None => with_database(url, "postgres").unwrap_or_else(|error| panic!("{PG_URL_ENV}: {error}")),
    };
    Server { maintenance_url }
}

/// A connection, retried a bounded number of times (a busy server may briefly have no free
/// connection slot).
fn connect(url: &str) -> Result<PgConnection, String> {
    let mut last_error = String::new();
    for attempt in 1..=CONNECT_ATTEMPTS {
        match PgConnection::establish(url) {
            Ok(conn) => return Ok(conn),
            Err(error) => last_error = error.to_string(),
        }
        if attempt < CONNECT_ATTEMPTS {
            thread::sleep(Duration::from_millis(100 * u64::from(attempt.min(5))));
        }
    }
    Err(format!("cannot connect to {} ({CONNECT_ATTEMPTS} attempts): {}", redact(url), last_error.trim_end()))
}

fn drop_database(maintenance_url: &str, name: &str) -> Result<(), String> {
    connect(maintenance_url)?
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .map_err(|error| error.to_string())
}

/// `skillnet_test_<pid>_<random>_<n>`: unique within this process by the counter, and across
/// processes and machines sharing one `SKILLNET_TEST_PG_URL` server by pid and a random tag.
/// Only `[a-z0-9_]`, so it needs no escaping inside double quotes.
fn next_database_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static TAG: OnceLock<u32> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        // Truncation intended: 32 random bits are plenty next to the pid.
        hasher.finish() as u32
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("skillnet_test_{}_{tag:08x}_{n}", std::process::id())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    use diesel::RunQueryDsl;

    use super::*;

    fn current_database(conn: &mut PgConnection) -> String {
        diesel::select(sql::<Text>("current_database()")).get_result(conn).expect("SELECT current_database()")
    }

    fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
        diesel::select(
            sql::<Bool>("EXISTS (SELECT 1 FROM pg_database WHERE datname = ").bind::<Text, _>(name).sql(")"),
        )
        .get_result(conn)
        .expect("query pg_database")
    }

    fn table_exists(conn: &mut PgConnection, table: &str) -> bool {
        diesel::select(sql::<Bool>("to_regclass(").bind::<Text, _>(table).sql(") IS NOT NULL"))
            .get_result(conn)
            .expect("query to_regclass")
    }

    #[test]
    fn postgres_databases_are_fresh_distinct_and_dropped() {
        let Some(first) = postgres_database() else {
            return; // skipped, already reported on stderr (a panic under CI=true)
        };
        let second = postgres_database().expect("a second database on the same server");
        assert_eq!(first.backend_name(), "postgres");
        assert_eq!(second.backend_name(), "postgres");
        assert_ne!(first.url(), second.url());

        let mut one = PgConnection::establish(first.url()).expect("connect to the first database");
        let mut two = PgConnection::establish(second.url()).expect("connect to the second database");
        let (name_one, name_two) = (current_database(&mut one), current_database(&mut two));
        assert_ne!(name_one, name_two);
        assert!(name_one.starts_with("skillnet_test_"), "{name_one}");

        // Fresh and separate: a table made in one is absent from the other.
        assert!(!table_exists(&mut one, "scratch"));
        one.batch_execute("CREATE TABLE scratch (id BIGINT PRIMARY KEY)").expect("create a table");
        assert!(table_exists(&mut one, "scratch"));
        assert!(!table_exists(&mut two, "scratch"));

        let mut admin = connect(&postgres_server_url().expect("server URL")).expect("connect");
        assert!(database_exists(&mut admin, &name_one));
        assert!(database_exists(&mut admin, &name_two));

        // Dropping removes the database, even while a connection to it is still open.
        drop(first);
        assert!(!database_exists(&mut admin, &name_one));
        assert!(database_exists(&mut admin, &name_two));
        drop(one);

        drop(two);
        drop(second);
        assert!(!database_exists(&mut admin, &name_two));
    }

    #[test]
    fn postgres_databases_can_be_made_from_many_threads_at_once() {
        if postgres_server_url().is_none() {
            return;
        }
        let databases: Vec<TestDatabase> = thread::scope(|scope| {
            let workers: Vec<_> =
                (0..8).map(|_| scope.spawn(|| postgres_database().expect("server is up"))).collect();
            workers.into_iter().map(|w| w.join().expect("worker")).collect()
        });
        let mut urls: Vec<&str> = databases.iter().map(TestDatabase::url).collect();
        urls.sort_unstable();
        urls.dedup();
        assert_eq!(urls.len(), 8);
        for database in &databases {
            PgConnection::establish(database.url()).expect("each database accepts connections");
        }
    }

    #[test]
    fn postgres_server_url_reaches_a_user_that_may_create_databases() {
        let Some(url) = postgres_server_url() else {
            return;
        };
        let mut conn = connect(&url).expect("connect to the maintenance database");
        let may_create: bool = diesel::select(sql::<Bool>(
            "(SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user)",
        ))
        .get_result(&mut conn)
        .expect("query pg_roles");
        assert!(may_create);
    }

    #[test]
    fn sqlite_database_is_a_fresh_absolute_path_removed_on_drop() {
        let db = sqlite_database();
        let other = sqlite_database();
        assert_eq!(db.backend_name(), "sqlite");
        assert_ne!(db.url(), other.url());
        let path = PathBuf::from(db.url().strip_prefix("sqlite://").expect("sqlite:// URL"));
        assert!(path.is_absolute(), "{}", db.url());
        assert!(db.url().starts_with("sqlite:///"), "{}", db.url());
        assert!(path.ends_with("calibration.sqlite"));
        assert!(!path.exists(), "the file is left for the code under test to create");
        let dir = path.parent().expect("parent").to_path_buf();
        assert!(dir.is_dir());

        fs::write(&path, b"").expect("the location is writable");
        fs::write(dir.join("calibration.sqlite-wal"), b"").expect("so is its directory");
        drop(db);
        assert!(!dir.exists(), "the directory and its files are removed on drop");
    }
}
