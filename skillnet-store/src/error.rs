//! The store's error type: one variant per case a caller may act on.
//!
//! Every fallible operation of [`crate::CalibrationStore`] returns [`StoreError`]. Messages are
//! lower case, quote the offending value and never contain a password: URLs always appear
//! redacted (see [`crate::DatabaseUrl`]).

use skillnet_core::transition::IllegalTransition;

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The plan, phase, proposal or tag asked for does not exist; the message says which.
    #[error("{0}")]
    NotFound(String),
    /// The change conflicts with the current state: an illegal transition, or another writer
    /// won the race.
    #[error("{0}")]
    Conflict(String),
    /// The data breaks a rule of the domain (e.g. removing an auto tag).
    #[error("{0}")]
    InvalidInput(String),
    /// The database URL is not one of the accepted forms, or names a backend this build lacks.
    #[error("{0}")]
    InvalidUrl(String),
    /// The database cannot be reached (connection refused, authentication, pool timeout).
    #[error("cannot reach the database at {url}: {reason}")]
    Unavailable {
        /// The redacted URL.
        url: String,
        /// What the driver said, on one line.
        reason: String,
    },
    /// The database was reached but cannot be used: the connection broke mid-way, the file is
    /// corrupt or read-only, the disk is full.
    #[error("the database cannot be used: {0}")]
    Unusable(String),
    /// Migrations could not be applied, or the database is newer than this build.
    #[error("{0}")]
    Migration(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    /// An `Unavailable` error for `url` (already redacted) caused by `reason`.
    pub(crate) fn unavailable(url: &crate::DatabaseUrl, reason: impl std::fmt::Display) -> Self {
        let reason = crate::url::scrub(&reason.to_string(), url);
        let reason = reason.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ");
        StoreError::Unavailable { url: url.redacted(), reason }
    }

    /// A `NotFound` error for a plan id no plan has, in the words skillnet 0.6 used.
    pub(crate) fn unknown_plan(id: impl std::fmt::Display) -> Self {
        StoreError::NotFound(format!(
            "unknown calibration plan id {}",
            skillnet_core::limits::excerpt(&id.to_string())
        ))
    }
}

impl From<IllegalTransition> for StoreError {
    fn from(e: IllegalTransition) -> Self {
        StoreError::Conflict(e.to_string())
    }
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match e {
            Error::NotFound => StoreError::NotFound("row not found".into()),
            Error::DatabaseError(kind, info) => {
                let message = info.message().to_owned();
                match kind {
                    Kind::UniqueViolation
                    | Kind::ForeignKeyViolation
                    | Kind::CheckViolation
                    | Kind::NotNullViolation => {
                        StoreError::InvalidInput(format!("the database refused the data: {message}"))
                    }
                    Kind::SerializationFailure => {
                        StoreError::Conflict(format!("lost a race with another writer: {message}"))
                    }
                    Kind::ClosedConnection => {
                        StoreError::Unusable(format!("the connection was closed: {message}"))
                    }
                    _ if unusable(&message) => StoreError::Unusable(message),
                    _ if message.contains("database is locked") || message.contains("database is busy") => {
                        StoreError::Conflict(format!(
                            "the database stayed locked by another writer: {message}"
                        ))
                    }
                    // PostgreSQL cannot store U+0000 in text or JSONB; SQLite can. Say so as the
                    // input's fault, not the database's.
                    _ if message.contains("\\u0000")
                        || message.contains("unsupported Unicode escape sequence")
                        || message.contains("invalid byte sequence for encoding") =>
                    {
                        StoreError::InvalidInput(format!("the database refused the data: {message}"))
                    }
                    _ => StoreError::Backend(message),
                }
            }
            other if unusable(&other.to_string()) => StoreError::Unusable(other.to_string()),
            other => StoreError::Backend(other.to_string()),
        }
    }
}

/// Whether a driver message says the database itself cannot be used (rather than that a
/// statement failed): a lost connection, a corrupt or read-only file, a full disk.
fn unusable(message: &str) -> bool {
    const SIGNS: [&str; 10] = [
        "database disk image is malformed",
        "file is not a database",
        "attempt to write a readonly database",
        "disk I/O error",
        "database or disk is full",
        "unable to open database file",
        "server closed the connection",
        "terminating connection",
        "could not receive data from server",
        "no connection to the server",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}
