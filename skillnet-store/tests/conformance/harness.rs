//! Running one test body against each backend, and reaching the database behind a store.
//!
//! [`conformance!`] turns a list of bodies into `sqlite::<name>` and `postgres::<name>` tests;
//! each opens a store on a fresh database of its own with [`skillnet_store::open`], exactly as a
//! user would. Bodies that must look under the store (schema checks, ids above 2^31, a database
//! migrated by a newer build) use [`Raw`], a plain Diesel connection to the same URL.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;
use skillnet_store::{Backend, CalibrationStore, DatabaseUrl};
use skillnet_test_db::{postgres_database, sqlite_database, TestDatabase};

/// A conformance test body: one expectation about any `CalibrationStore`.
pub type Body = fn(&dyn CalibrationStore);

/// Generates, for each `module::body`, the tests `sqlite::body` and `postgres::body`.
macro_rules! conformance {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// The conformance bodies against a fresh SQLite file each.
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    $crate::harness::on_sqlite($crate::$module::$name);
                }
            )*
        }

        /// The conformance bodies against a fresh PostgreSQL database each.
        mod postgres {
            $(
                #[test]
                fn $name() {
                    $crate::harness::on_postgres($crate::$module::$name);
                }
            )*
        }
    };
}
pub(crate) use conformance;

/// Runs `body` on a store over a fresh SQLite file.
pub fn on_sqlite(body: Body) {
    run(&sqlite_database(), body);
}

/// Runs `body` on a store over a fresh PostgreSQL database. Without a PostgreSQL server the test
/// is skipped (reported on stderr), except under `CI=true`, where `postgres_database` panics.
pub fn on_postgres(body: Body) {
    if let Some(database) = postgres_database() {
        run(&database, body);
    }
}

/// Runs `body` on a store over a fresh PostgreSQL database created with the ICU collation
/// `en-US` (PostgreSQL 15 or newer built with ICU; otherwise skipped with a note on stderr).
pub fn on_postgres_en_us(body: Body) {
    // A fresh database of the usual kind tells how URLs to this server look.
    let Some(sibling) = postgres_database() else { return };
    let mut admin = PgConnection::establish(sibling.url()).expect("connect to the PostgreSQL server");
    let usable = "SELECT count(*) AS n FROM pg_collation
                   WHERE collname = 'en-US-x-icu' AND current_setting('server_version_num')::int >= 150000";
    if diesel::sql_query(usable).get_result::<Number>(&mut admin).expect("query pg_collation").n == 0 {
        eprintln!("skipping: this PostgreSQL server has no ICU collation en-US (or is older than 15)");
        return;
    }
    let sibling_name = diesel::sql_query("SELECT current_database()::text AS line")
        .get_result::<Line>(&mut admin)
        .expect("current_database()")
        .line;
    let name = format!("{sibling_name}_en_us");
    admin
        .batch_execute(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'
                 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        ))
        .expect("create an en-US database");
    let url = sibling.url().replacen(&sibling_name, &name, 1);
    let outcome = std::panic::catch_unwind(|| {
        let store = skillnet_store::open(&url).unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        body(&*store);
    });
    admin
        .batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .unwrap_or_else(|e| eprintln!("could not drop {name}: {e}"));
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn run(database: &TestDatabase, body: Body) {
    let store = skillnet_store::open(database.url())
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", database.url()));
    body(&*store);
}

/// Another fresh, empty database on the same backend as `store` (not opened yet).
pub fn fresh_database(store: &dyn CalibrationStore) -> TestDatabase {
    match store.backend() {
        Backend::Sqlite => sqlite_database(),
        Backend::Postgres => postgres_database().expect("the PostgreSQL server of this test is up"),
    }
}

/// Opens a second store on the database `store` uses, as another process would.
pub fn reopen(store: &dyn CalibrationStore) -> skillnet_store::Result<Box<dyn CalibrationStore>> {
    skillnet_store::open_with(store.url(), &skillnet_store::OpenOptions::default())
}

/// A plain Diesel connection to the database behind a store, for what the trait does not show.
pub enum Raw {
    /// An SQLite file, with foreign keys enforced like the store's own connections.
    Sqlite(SqliteConnection),
    /// A PostgreSQL database.
    Postgres(PgConnection),
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

impl Raw {
    /// Connects to the database `store` uses.
    pub fn connect(store: &dyn CalibrationStore) -> Self {
        Self::connect_url(store.backend(), &store.url().expose())
    }

    /// Connects to the `backend` database at `url`, which skillnet may not have opened yet.
    pub fn connect_url(backend: Backend, url: &str) -> Self {
        let url = match DatabaseUrl::parse(url).expect("a database URL") {
            DatabaseUrl::Sqlite(path) => path.display().to_string(),
            other => other.expose(),
        };
        match backend {
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&url).expect("connect to the SQLite file");
                conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                    .expect("set pragmas");
                Raw::Sqlite(conn)
            }
            Backend::Postgres => {
                Raw::Postgres(PgConnection::establish(&url).expect("connect to the PostgreSQL database"))
            }
        }
    }

    /// The backend this connection talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Raw::Sqlite(_) => Backend::Sqlite,
            Raw::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one statement; the database's refusal is returned, not a panic.
    pub fn try_execute(&mut self, sql: &str) -> QueryResult<usize> {
        match self {
            Raw::Sqlite(conn) => diesel::sql_query(sql).execute(conn),
            Raw::Postgres(conn) => diesel::sql_query(sql).execute(conn),
        }
    }

    /// Runs statements that must succeed.
    pub fn execute(&mut self, sql: &str) {
        let result = match self {
            Raw::Sqlite(conn) => conn.batch_execute(sql),
            Raw::Postgres(conn) => conn.batch_execute(sql),
        };
        result.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The `n` column (an integer) of a query's single row.
    pub fn number(&mut self, sql: &str) -> i64 {
        let row: QueryResult<Number> = match self {
            Raw::Sqlite(conn) => diesel::sql_query(sql).get_result(conn),
            Raw::Postgres(conn) => diesel::sql_query(sql).get_result(conn),
        };
        row.unwrap_or_else(|e| panic!("{sql}: {e}")).n
    }

    /// The `line` column (text) of every row of a query, in the query's order.
    pub fn lines(&mut self, sql: &str) -> Vec<String> {
        let rows: QueryResult<Vec<Line>> = match self {
            Raw::Sqlite(conn) => diesel::sql_query(sql).load(conn),
            Raw::Postgres(conn) => diesel::sql_query(sql).load(conn),
        };
        rows.unwrap_or_else(|e| panic!("{sql}: {e}")).into_iter().map(|r| r.line).collect()
    }
}
