//! [`PgStore`]: the shared-server backend, for teams that want one history.
//!
//! Migrations run inside a transaction holding a PostgreSQL advisory lock, so many processes
//! starting at once against a fresh database migrate it exactly once. Every write transaction
//! first takes another advisory lock, so writers take turns as they do on SQLite (`BEGIN
//! IMMEDIATE`): two processes recording the same plans, or deciding the same proposal, see each
//! other's committed work instead of racing into key violations or deadlocks. Readers never
//! wait. Connection failures name the redacted URL and the server's message.

use diesel::prelude::*;

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
        let migrated = if options.migrate { Some(run_migrations(&mut setup, url)?) } else { None };
        if migrated.is_none() {
            migration_status(&mut setup)?;
        }
        let connections =
            Connections::new(setup, raw.to_string(), options.pool_size, options.busy_timeout, None);
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
    use super::with_connect_timeout;
    use std::time::Duration;

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
