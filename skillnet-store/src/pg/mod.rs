//! [`PgStore`]: the shared-server backend, for teams that want one history.
//!
//! Migrations run inside a transaction holding a PostgreSQL advisory lock, so many processes
//! starting at once against a fresh database migrate it exactly once. Every write transaction
//! first takes another advisory lock, so writers take turns as they do on SQLite (`BEGIN
//! IMMEDIATE`): two processes recording the same plans, or deciding the same proposal, see each
//! other's committed work instead of racing into key violations or deadlocks. Readers never
//! wait. Connection failures name the redacted URL and the server's message.

use diesel::connection::SimpleConnection;
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
        Session.apply(&mut setup).map_err(|e| StoreError::unavailable(url, e))?;
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

/// What every connection sets for its session.
///
/// Diesel prepares each statement once per connection, and after a few runs PostgreSQL may keep
/// one generic plan for it, chosen from the table sizes of the moment. Inside one long write
/// (an import or a bulk record of a large history) the tables grow from nothing while that plan
/// stays, and a lookup planned as a scan of a tiny table scans the whole table on every group
/// (time quadratic in the history). Planning each run with its own values costs a fraction of a
/// millisecond per statement, and bulk rows go by `COPY`, which is not planned. (Servers older
/// than PostgreSQL 12, which lack the setting, keep their default.)
#[derive(Debug, Clone, Copy)]
struct Session;

impl Session {
    fn apply(self, conn: &mut PgConnection) -> QueryResult<()> {
        conn.batch_execute(
            "SELECT set_config(name, 'force_custom_plan', false) FROM pg_settings WHERE name = 'plan_cache_mode';",
        )
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Session {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn).map_err(diesel::r2d2::Error::QueryError)
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
    use diesel::sql_types::Text;
    use std::time::Duration;

    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        plan_cache_mode: String,
    }

    fn plan_cache_mode(conn: &mut PgConnection) -> String {
        diesel::sql_query("SHOW plan_cache_mode").get_result::<Setting>(conn).unwrap().plan_cache_mode
    }

    #[test]
    fn every_connection_plans_each_run_with_its_values() {
        let Some(database) = skillnet_test_db::postgres_database() else { return };
        let store =
            PgStore::open(&DatabaseUrl::parse(database.url()).unwrap(), &OpenOptions::default()).unwrap();
        let mut first = store.conn().unwrap();
        // While the first connection is lent, the next one comes from the pool.
        let mut pooled = store.conn().unwrap();
        assert!(matches!(first, Lent::First(_)) && matches!(pooled, Lent::Pooled(_)));
        assert_eq!(plan_cache_mode(&mut first), "force_custom_plan");
        assert_eq!(plan_cache_mode(&mut pooled), "force_custom_plan");
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
