//! [`PgStore`]: the shared-server backend, for teams that want one history.
//!
//! Migrations run inside a transaction holding a PostgreSQL advisory lock, so many processes
//! starting at once against a fresh database migrate it exactly once. Every write transaction
//! first takes another advisory lock, so writers take turns as they do on SQLite (`BEGIN
//! IMMEDIATE`): two processes recording the same plans, or deciding the same proposal, see each
//! other's committed work instead of racing into key violations or deadlocks. Readers never
//! wait. Connection failures name the redacted URL and the server's message.

use diesel::connection::SimpleConnection;
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel::sql_types::{BigInt, Bool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::error::{Result, StoreError};
use crate::migrations;
use crate::queries::calibration_store_impl;
use crate::store::MigrationStatus;
use crate::url::DatabaseUrl;
use crate::OpenOptions;

/// The PostgreSQL migrations, embedded at compile time.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations-pg");

/// Key of the advisory lock taken while migrating ("skillnet" in ASCII).
const MIGRATION_LOCK: i64 = 0x736b_696c_6c6e_6574;

/// Key of the advisory lock every write transaction holds ("skillnew" in ASCII: writes).
const WRITE_LOCK: i64 = 0x736b_696c_6c6e_6577;

type Conn = PgConnection;

/// Rows per insert statement: each statement is a round trip to the server, so many rows go in
/// one (14 columns x 2,000 rows stays below PostgreSQL's 65,535 bind parameters).
const ROWS_PER_INSERT: usize = 2_000;

/// How raw SQL statements number their bind parameters: `$1`, `$2`, ...: PostgreSQL's positional parameters.
const BIND_PREFIX: &str = "$";

/// A calibration store on a PostgreSQL server.
#[derive(Debug)]
pub struct PgStore {
    pool: Pool<ConnectionManager<PgConnection>>,
    url: DatabaseUrl,
}

impl PgStore {
    /// Connects to the server `url` names and applies pending migrations unless
    /// `options.migrate` is off.
    pub fn open(url: &DatabaseUrl, options: &OpenOptions) -> Result<Self> {
        let raw = url.expose();
        // Connect once directly: an unreachable server or a bad password fails here at once,
        // where the pool would keep retrying until its timeout.
        let mut setup = PgConnection::establish(&raw).map_err(|e| StoreError::unavailable(url, e))?;
        if options.migrate {
            run_migrations(&mut setup)?;
        } else {
            migration_status(&mut setup)?;
        }
        let pool = Pool::builder()
            .max_size(options.pool_size)
            .min_idle(Some(0))
            .connection_timeout(options.busy_timeout)
            .build(ConnectionManager::new(raw))
            .map_err(|e| StoreError::unavailable(url, e))?;
        Ok(Self { pool, url: url.clone() })
    }

    fn conn(&self) -> Result<PooledConnection<ConnectionManager<PgConnection>>> {
        self.pool.get().map_err(|e| StoreError::unavailable(&self.url, e))
    }
}

/// The server's disk is the server's to watch: nothing to probe from a client.
fn space_probe(_url: &DatabaseUrl) -> Result<()> {
    Ok(())
}

fn write_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.transaction(|c| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(WRITE_LOCK).execute(c)?;
        f(c)
    })
}

fn read_txn<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    conn.build_transaction().read_only().repeatable_read().run(f)
}

fn vacuum_now(conn: &mut Conn) -> Result<()> {
    conn.batch_execute("VACUUM ANALYZE;")?;
    Ok(())
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    present: bool,
}

fn migration_status(conn: &mut Conn) -> Result<MigrationStatus> {
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

fn run_migrations(conn: &mut Conn) -> Result<Vec<String>> {
    if migration_status(conn)?.pending.is_empty() {
        return Ok(Vec::new());
    }
    conn.transaction(|c| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(MIGRATION_LOCK).execute(c)?;
        if migration_status(c)?.pending.is_empty() {
            return Ok(Vec::new());
        }
        ops::apply_pending_migrations(c)
    })
}

fn sync_id_sequences(conn: &mut Conn) -> Result<()> {
    // Rows imported with their ids leave the identity sequence behind; move it past them.
    diesel::sql_query(
        "SELECT setval(pg_get_serial_sequence('calibration_proposals', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) \
         FROM calibration_proposals",
    )
    .execute(conn)?;
    Ok(())
}

calibration_store_impl!(PgStore);
