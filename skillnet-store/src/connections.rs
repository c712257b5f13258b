//! A store's connections: the one opened to set the database up, kept and used first, and a
//! pool opened only when a second connection is wanted at the same time.
//!
//! A command-line process makes one call after another on one thread: it then uses only the
//! first connection, starts no pool threads and opens no second connection, and closes the
//! connection on its own thread when the store is dropped (for SQLite: the last connection to
//! close checkpoints the write-ahead log and removes the `-wal` and `-shm` files). Threads that
//! share a store use the pool for whatever runs while the first connection is busy.

use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection, R2D2Connection};

/// The first connection and the pool behind it.
pub(crate) struct Connections<C: R2D2Connection + 'static> {
    /// `None` once it failed a check: the pool serves from then on.
    first: Mutex<Option<C>>,
    pool: OnceLock<Pool<ConnectionManager<C>>>,
    target: String,
    pool_size: u32,
    wait: Duration,
    customizer: Option<Customizer<C>>,
}

/// Makes the set-up each pooled connection gets when it is opened.
pub(crate) type Customizer<C> =
    Box<dyn Fn() -> Box<dyn CustomizeConnection<C, diesel::r2d2::Error>> + Send + Sync>;

impl<C: R2D2Connection + 'static> std::fmt::Debug for Connections<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("pool_size", &self.pool_size)
            .field("pool_open", &self.pool.get().is_some())
            .finish_non_exhaustive()
    }
}

impl<C: R2D2Connection + 'static> Connections<C> {
    /// Keeps `first`; further connections go to `target` (which may hold a password: it is
    /// never printed), at most `pool_size` of them, each waited for at most `wait` and set up by
    /// `customizer`.
    pub(crate) fn new(
        first: C,
        target: String,
        pool_size: u32,
        wait: Duration,
        customizer: Option<Customizer<C>>,
    ) -> Self {
        Self { first: Mutex::new(Some(first)), pool: OnceLock::new(), target, pool_size, wait, customizer }
    }

    /// A connection: the first one when it is free and still works (checked as the pool checks
    /// its own: `SELECT 1`), else one from the pool.
    pub(crate) fn get(&self) -> Result<Lent<'_, C>, diesel::r2d2::PoolError> {
        // A connection whose holder panicked (the lock is poisoned) is not used again; one whose
        // transaction state is broken, or whose server went away, is closed.
        if let Ok(mut first) = self.first.try_lock() {
            let works = first.as_mut().map(|conn| !conn.is_broken() && conn.ping().is_ok());
            match works {
                Some(true) => return Ok(Lent::First(first)),
                Some(false) => *first = None,
                None => {}
            }
        }
        self.pool().get().map(Lent::Pooled)
    }

    fn pool(&self) -> &Pool<ConnectionManager<C>> {
        self.pool.get_or_init(|| {
            let mut builder = Pool::builder()
                .max_size(self.pool_size.max(1))
                .min_idle(Some(0))
                .connection_timeout(self.wait);
            if let Some(customizer) = &self.customizer {
                builder = builder.connection_customizer(customizer());
            }
            // Unchecked: nothing is opened until a connection is asked for, and `get` reports
            // a failure to open one.
            builder.build_unchecked(ConnectionManager::new(self.target.clone()))
        })
    }
}

/// A connection lent by [`Connections::get`].
pub(crate) enum Lent<'a, C: R2D2Connection + 'static> {
    /// The first connection (always `Some` when lent).
    First(MutexGuard<'a, Option<C>>),
    Pooled(PooledConnection<ConnectionManager<C>>),
}

impl<C: R2D2Connection + 'static> Deref for Lent<'_, C> {
    type Target = C;

    fn deref(&self) -> &C {
        match self {
            Lent::First(c) => c.as_ref().expect("lent only when present"),
            Lent::Pooled(c) => c,
        }
    }
}

impl<C: R2D2Connection + 'static> DerefMut for Lent<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        match self {
            Lent::First(c) => c.as_mut().expect("lent only when present"),
            Lent::Pooled(c) => c,
        }
    }
}
