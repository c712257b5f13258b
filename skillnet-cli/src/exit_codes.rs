//! Exit codes (SPEC §9), in one place, and how an error chain maps onto them.

use skillnet_core::plan_dir::{PlanDirError, PlanDirErrorKind};
use skillnet_core::sidecar::SidecarError;
use skillnet_store::StoreError;

use crate::config::ConfigError;
use crate::input::InputError;

/// What the process tells its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything worked.
    Success = 0,
    /// Something unexpected failed.
    Failure = 1,
    /// The command line was wrong (clap exits with this code itself; [`UsageError`] otherwise).
    Usage = 2,
    /// The input (sidecar, tag, file) broke a rule.
    InvalidInput = 3,
    /// A plan, tag or proposal does not exist.
    NotFound = 4,
    /// An illegal transition, or another writer won the race.
    Conflict = 5,
    /// The database is unreachable or misconfigured.
    Unavailable = 6,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

/// A command line that parses but cannot work as given, e.g. an interactive command without a
/// terminal. clap reports every other usage error itself.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Something named on the command line that does not exist outside the database (a heuristic
/// that is neither in the catalog nor in the history); the store reports its own with
/// [`StoreError::NotFound`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotFoundError(pub String);

/// A refusal that protects what is there (a sidecar `init` would overwrite).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConflictError(pub String);

/// A command that has said all there is to say on stdout and ends with this code, with no
/// message (`hook status` printing `not installed`, exit 1, as 0.6 did).
#[derive(Debug, thiserror::Error)]
#[error("exit code {}", *.0 as u8)]
pub struct QuietExit(pub ExitCode);

/// The exit code for `err`: the first cause in its chain that we recognise decides.
pub fn classify(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(QuietExit(code)) = cause.downcast_ref::<QuietExit>() {
            return *code;
        }
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return match e {
                StoreError::NotFound(_) => ExitCode::NotFound,
                StoreError::Conflict(_) | StoreError::IllegalTransition { .. } => ExitCode::Conflict,
                StoreError::InvalidInput(_) => ExitCode::InvalidInput,
                StoreError::InvalidUrl(_)
                | StoreError::Unavailable { .. }
                | StoreError::Unusable { .. }
                | StoreError::Migration(_) => ExitCode::Unavailable,
                _ => ExitCode::Failure,
            };
        }
        if cause.is::<SidecarError>() || cause.is::<InputError>() {
            return ExitCode::InvalidInput;
        }
        if cause.is::<ConfigError>() {
            return ExitCode::Unavailable;
        }
        if cause.is::<UsageError>() {
            return ExitCode::Usage;
        }
        if cause.is::<NotFoundError>() {
            return ExitCode::NotFound;
        }
        if cause.is::<ConflictError>() {
            return ExitCode::Conflict;
        }
        if let Some(e) = cause.downcast_ref::<PlanDirError>() {
            return match e.kind {
                PlanDirErrorKind::NotFound => ExitCode::NotFound,
                PlanDirErrorKind::Malformed => ExitCode::InvalidInput,
            };
        }
    }
    ExitCode::Failure
}

/// Whether `err` is a write to a closed pipe (`skillnet ... | head`): not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        let kind = match (c.downcast_ref::<std::io::Error>(), c.downcast_ref::<serde_json::Error>()) {
            (Some(io), _) => Some(io.kind()),
            // JSON is written straight to stdout, so a closed pipe surfaces inside serde_json's error.
            (None, Some(json)) => json.io_error_kind(),
            (None, None) => None,
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use super::is_broken_pipe;

    #[test]
    fn a_closed_stdout_is_recognised_however_it_is_wrapped() {
        let io = || Error::new(ErrorKind::BrokenPipe, "closed");
        assert!(is_broken_pipe(&anyhow::Error::new(io())));
        assert!(is_broken_pipe(&anyhow::Error::new(serde_json::Error::io(io()))));
        assert!(is_broken_pipe(&anyhow::Error::new(io()).context("writing the report")));
        assert!(!is_broken_pipe(&anyhow::Error::new(Error::new(ErrorKind::NotFound, "gone"))));
        assert!(!is_broken_pipe(&anyhow::anyhow!("broken pipe, said in words")));
    }
}
