//! The store's error type: one variant per case a caller may act on.
//!
//! Every fallible operation of [`crate::CalibrationStore`] returns [`StoreError`]. Messages are
//! lower case, quote the offending value and never contain a password: URLs always appear
//! redacted (see [`crate::DatabaseUrl`]).

use skillnet_core::transition::IllegalTransition;

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The cause of a database error, kept as the error's [`std::error::Error::source`].
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The plan, phase, tag, proposal or trigger asked for does not exist.
    #[error("{0}")]
    NotFound(Missing),
    /// The move is not one the state machine allows from the current state; `legal` in the
    /// transition lists the states that may follow.
    #[error("{subject}{}{transition}", if .subject.is_empty() { "" } else { ": " })]
    IllegalTransition {
        /// What was to move (`proposal 3`), or empty for a phase (the transition says which
        /// machine refused).
        subject: String,
        /// The refused move, with the legal next states.
        transition: IllegalTransition,
    },
    /// Another writer changed the same thing first, or holds the database locked.
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
    #[error("the database cannot be used: {message}")]
    Unusable {
        /// What is wrong, in the driver's words where it said.
        message: String,
        /// The driver's error, when there was one.
        #[source]
        source: Option<Cause>,
    },
    /// Migrations could not be applied, or the database is newer than this build.
    #[error("{0}")]
    Migration(String),
    /// Any other database error.
    #[error("database error: {message}")]
    Backend {
        /// What went wrong.
        message: String,
        /// The driver's error, when there was one.
        #[source]
        source: Option<Cause>,
    },
}

/// What a [`StoreError::NotFound`] did not find.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Missing {
    /// No plan has this id.
    #[error("unknown calibration plan id {}{}", excerpt(.id), in_parentheses(.hint))]
    Plan {
        /// The id asked for.
        id: String,
        /// Why the plan was needed, when it was named in passing (a verification, a
        /// proposal's supporting plans).
        hint: Option<&'static str>,
    },
    /// The plan has no phase with this ordinal or slug.
    #[error("phase `{phase}` of plan `{plan}` not found")]
    Phase {
        /// The plan's id.
        plan: String,
        /// The ordinal or slug asked for.
        phase: String,
    },
    /// The plan carries no such tag.
    #[error("tag `{tag}` on plan `{plan}` not found")]
    Tag {
        /// The plan's id.
        plan: String,
        /// `key` or `key=value`, as asked for.
        tag: String,
    },
    /// No proposal has this id.
    #[error("proposal {id} not found")]
    Proposal {
        /// The id asked for.
        id: i64,
    },
    /// Neither the heuristic catalog nor any recorded plan names this trigger.
    #[error("trigger `{name}` not found (in neither the heuristic catalog nor any recorded plan)")]
    Trigger {
        /// The name asked for.
        name: String,
    },
}

fn excerpt(id: &str) -> String {
    skillnet_core::limits::excerpt(id)
}

fn in_parentheses(hint: &Option<&'static str>) -> String {
    hint.map(|h| format!(" ({h})")).unwrap_or_default()
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
        StoreError::NotFound(Missing::Plan { id: id.to_string(), hint: None })
    }

    /// A `Backend` error with no cause beyond `message`.
    pub fn backend(message: impl Into<String>) -> Self {
        StoreError::Backend { message: message.into(), source: None }
    }

    /// An `Unusable` error with no cause beyond `message`.
    pub fn unusable(message: impl Into<String>) -> Self {
        StoreError::Unusable { message: message.into(), source: None }
    }

    /// What was not found, for a `NotFound` error.
    pub fn missing(&self) -> Option<&Missing> {
        match self {
            StoreError::NotFound(missing) => Some(missing),
            _ => None,
        }
    }
}

impl From<IllegalTransition> for StoreError {
    fn from(transition: IllegalTransition) -> Self {
        StoreError::IllegalTransition { subject: String::new(), transition }
    }
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        let message = match &e {
            Error::DatabaseError(_, info) => info.message().to_owned(),
            // A query the store expected to find a row found none: the row went away meanwhile.
            Error::NotFound => "a row the store had just read is gone (another writer?)".to_owned(),
            other => other.to_string(),
        };
        let kind = match &e {
            Error::DatabaseError(kind, _) => Some(kind),
            _ => None,
        };
        match kind {
            Some(
                Kind::UniqueViolation
                | Kind::ForeignKeyViolation
                | Kind::CheckViolation
                | Kind::NotNullViolation,
            ) => StoreError::InvalidInput(format!("the database refused the data: {message}")),
            Some(Kind::SerializationFailure) => {
                StoreError::Conflict(format!("lost a race with another writer: {message}"))
            }
            Some(Kind::ClosedConnection) => StoreError::Unusable {
                message: format!("the connection was closed: {message}"),
                source: Some(Box::new(e)),
            },
            _ if unusable(&message) => StoreError::Unusable { message, source: Some(Box::new(e)) },
            Some(_) if message.contains("database is locked") || message.contains("database is busy") => {
                StoreError::Conflict(format!("the database stayed locked by another writer: {message}"))
            }
            // PostgreSQL cannot store U+0000 in text or JSONB; SQLite can. Say so as the input's
            // fault, not the database's.
            Some(_)
                if message.contains("\\u0000")
                    || message.contains("unsupported Unicode escape sequence")
                    || message.contains("invalid byte sequence for encoding") =>
            {
                StoreError::InvalidInput(format!("the database refused the data: {message}"))
            }
            _ => StoreError::Backend { message, source: Some(Box::new(e)) },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_errors_keep_their_source() {
        let e = StoreError::from(diesel::result::Error::AlreadyInTransaction);
        assert!(matches!(&e, StoreError::Backend { .. }), "{e:?}");
        let source = std::error::Error::source(&e).expect("the driver's error");
        assert_eq!(source.to_string(), diesel::result::Error::AlreadyInTransaction.to_string());
    }

    #[test]
    fn messages_name_what_is_missing() {
        let plan =
            StoreError::NotFound(Missing::Plan { id: "p".into(), hint: Some("named as a supporting plan") });
        assert_eq!(plan.to_string(), "unknown calibration plan id p (named as a supporting plan)");
        let long = StoreError::unknown_plan("x".repeat(100));
        assert!(long.to_string().ends_with("… (100 bytes)"), "ids are cut short: {long}");
        assert_eq!(
            StoreError::NotFound(Missing::Phase { plan: "p".into(), phase: "api".into() }).to_string(),
            "phase `api` of plan `p` not found"
        );
    }
}
