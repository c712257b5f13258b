//! [`PgStore`]: the shared-server backend, for teams that want one history.
//!
//! Migrations run inside a transaction holding a PostgreSQL advisory lock, so many processes
//! starting at once against a fresh database migrate it exactly once. Every write transaction
//! first takes another advisory lock, so writers take turns as they do on SQLite (`BEGIN
//! IMMEDIATE`): two processes recording the same plans, or deciding the same proposal, see each
//! other's committed work instead of racing into key violations or deadlocks. Readers never
//! wait. Connection failures name the redacted URL and the server's message.

use diesel::connection::CacheSize;
use diesel::prelude::*;
use diesel::r2d2::CustomizeConnection;

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

/// A calibration store on a PostgreSQL server.
#[derive(Debug)]
pub struct PgStore {
    connections: Connections<PgConnection>,
    url: DatabaseUrl,
    adopted: std::sync::OnceLock<crate::Adoption>,
}

impl PgStore {
    /// Connects to the server `url` names and applies pending migrations unless
    /// `options.migrate` is off.
    pub fn open(url: &DatabaseUrl, options: &OpenOptions) -> Result<Self> {
        let raw = with_connect_timeout(url.expose(), options.connect_timeout);
        // Connect once directly: an unreachable server or a bad password fails here at once,
        // where the pool would keep retrying until its timeout.
        let mut setup = PgConnection::establish(&raw).map_err(|e| StoreError::unavailable(url, e))?;
        Session.apply(&mut setup);
        let migrated = if options.migrate { Some(run_migrations(&mut setup, url)?) } else { None };
        if migrated.is_none() {
            migration_status(&mut setup)?;
        }
        let customizer = || Box::new(Session) as Box<dyn CustomizeConnection<_, _>>;
        let connections = Connections::new(
            setup,
            raw.to_string(),
            options.pool_size,
            options.busy_timeout,
            Some(Box::new(customizer)),
        );
        let store = Self { connections, url: url.clone(), adopted: std::sync::OnceLock::new() };
        if let Some(migrated) = migrated {
            store.note(migrated);
        }
        Ok(store)
    }

    fn conn(&self) -> Result<Lent<'_, PgConnection>> {
        self.connections.get().map_err(|e| StoreError::unavailable(&self.url, e))
    }
}

/// How every connection is set up: without Diesel's cache of prepared statements.
///
/// A statement prepared once and run many times may get one generic plan from PostgreSQL after
/// a few runs, chosen from the table sizes of that moment. Inside one long write (an import or
/// a bulk record or verify of a large history) the tables grow from nothing while that plan
/// stays, and a lookup planned as a scan of a tiny table then scans the whole table for every
/// group of plans: time quadratic in the history. Unnamed statements are planned with their
/// own values on each run, in the same round trip. (The server's own statements, such as the
/// foreign-key checks run for each row, keep their cached plans: planning those per row would
/// double the cost of bulk writes.)
#[derive(Debug, Clone, Copy)]
struct Session;

impl Session {
    fn apply(self, conn: &mut PgConnection) {
        conn.set_prepared_statement_cache_size(CacheSize::Disabled);
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Session {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn);
        Ok(())
    }
}

/// `url` with libpq's `connect_timeout` parameter set to `timeout` (at least one second), unless
/// there is no timeout or the URL sets one itself.
fn with_connect_timeout(url: String, timeout: Option<std::time::Duration>) -> String {
    let Some(timeout) = timeout else { return url };
    if url.contains("connect_timeout=") {
        return url;
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout={}", timeout.as_secs().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }

    /// Runs the same statement twice on `conn`, then counts the statements the session keeps.
    fn statements_kept(conn: &mut PgConnection) -> i64 {
        for _ in 0..2 {
            crate::schema::plans::table
                .filter(crate::schema::plans::id.eq("p"))
                .count()
                .execute(conn)
                .unwrap();
        }
        diesel::sql_query("SELECT count(*) AS count FROM pg_prepared_statements")
            .get_result::<Count>(conn)
            .unwrap()
            .count
    }

    #[test]
    fn no_connection_keeps_prepared_statements_to_plan_generically() {
        let Some(database) = skillnet_test_db::postgres_database() else { return };
        let store =
            PgStore::open(&DatabaseUrl::parse(database.url()).unwrap(), &OpenOptions::default()).unwrap();
        let mut first = store.conn().unwrap();
        // While the first connection is lent, the next one comes from the pool.
        let mut pooled = store.conn().unwrap();
        assert!(matches!(first, Lent::First(_)) && matches!(pooled, Lent::Pooled(_)));
        assert_eq!(statements_kept(&mut first), 0);
        assert_eq!(statements_kept(&mut pooled), 0);
    }

    #[test]
    fn the_connect_timeout_joins_the_url_s_parameters() {
        let five = Some(Duration::from_secs(5));
        assert_eq!(with_connect_timeout("postgres://h/db".into(), five), "postgres://h/db?connect_timeout=5");
        assert_eq!(
            with_connect_timeout("postgresql://u@/db?host=/run/postgresql".into(), five),
            "postgresql://u@/db?host=/run/postgresql&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=1".into(), five),
            "postgres://h/db?connect_timeout=1"
        );
        assert_eq!(with_connect_timeout("postgres://h/db".into(), None), "postgres://h/db");
        assert_eq!(
            with_connect_timeout("postgres://h/db".into(), Some(Duration::from_millis(10))),
            "postgres://h/db?connect_timeout=1"
        );
    }
}
