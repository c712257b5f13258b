//! Errors shared by the status state machines and the text-named enums of this crate.
//!
//! Both state machines ([`crate::phase_status`], [`crate::proposal`]) validate every move here in
//! core, before the store applies it, and reject a bad one with an [`IllegalTransition`] that names
//! the current state, the requested one and the legal next states. The store maps it to
//! its `Conflict` error and the CLI to exit code 5.
//!
//! Every enum that is written as text (on the command line, in the database, in JSON) parses with
//! [`std::str::FromStr`] and rejects unknown text with an [`UnknownVariant`] that lists the accepted
//! values. The CLI maps it to a usage error, the store to `InvalidInput`.

use std::fmt;

/// An illegal move in one of the state machines: names current state, requested one, legal next
/// states.
///
/// ```
/// use skillnet_core::phase_status::PhaseStatus;
///
/// let err = PhaseStatus::Landed.transition(PhaseStatus::Running).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "illegal phase status transition from `landed` to `running`: `landed` is final",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "illegal {machine} transition from `{from}` to `{to}`{}",
    describe_next(.from, .legal)
)]
pub struct IllegalTransition {
    /// Which state machine refused the move: `"phase status"` or `"proposal"`.
    pub machine: &'static str,
    /// The current state, as text.
    pub from: String,
    /// The requested state, as text.
    pub to: String,
    /// The states that may follow `from`, as text; empty when `from` is final.
    pub legal: Vec<String>,
}

impl IllegalTransition {
    /// Builds the error from the typed states of one machine.
    pub(crate) fn new<S: fmt::Display>(machine: &'static str, from: S, to: S, legal: &[S]) -> Self {
        IllegalTransition {
            machine,
            from: from.to_string(),
            to: to.to_string(),
            legal: legal.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The tail of an [`IllegalTransition`] message: either why nothing may follow, or what may.
fn describe_next(from: &str, legal: &[String]) -> String {
    if legal.is_empty() {
        format!(": `{from}` is final")
    } else {
        format!("; legal next states: {}", legal.join(", "))
    }
}

/// Error for parsing an enum from text, listing the accepted values.
///
/// ```
/// use skillnet_core::phase_status::PhaseStatus;
///
/// let err = "done".parse::<PhaseStatus>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "unknown phase status `done`; expected one of: \
///      queued, running, blocked, verifying, landed, failed, skipped",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`; expected one of: {}", .expected.join(", "))]
pub struct UnknownVariant {
    /// What was being parsed, e.g. `"phase status"`.
    pub kind: &'static str,
    /// The text that matched none of the accepted values.
    pub value: String,
    /// Every accepted value, in declaration order.
    pub expected: &'static [&'static str],
}

/// Gives a fieldless enum its text form: `ALL`, `as_str`, `Display` and `FromStr`.
///
/// The enum itself (variants, docs, derives, serde renaming) stays written out where it is
/// declared; this only removes the four identical impls each such enum needs. The text of every
/// variant must equal its serde name, which each module's tests check.
macro_rules! text_enum {
    ($ty:ident, $kind:literal, [$($variant:ident => $text:literal),+ $(,)?]) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; [$($text),+].len()] = [$($ty::$variant),+];

            /// The text form used on the command line, in the database and in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text,)+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::transition::UnknownVariant;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok($ty::$variant),)+
                    _ => Err($crate::transition::UnknownVariant {
                        kind: $kind,
                        value: s.to_owned(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }
    };
}
pub(crate) use text_enum;

#[cfg(test)]
mod tests {
    use super::*;

    fn illegal(from: &str, to: &str, legal: &[&str]) -> IllegalTransition {
        IllegalTransition {
            machine: "proposal",
            from: from.to_owned(),
            to: to.to_owned(),
            legal: legal.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn illegal_transition_out_of_a_final_state_says_it_is_final() {
        assert_eq!(
            illegal("rejected", "accepted", &[]).to_string(),
            "illegal proposal transition from `rejected` to `accepted`: `rejected` is final",
        );
    }

    #[test]
    fn illegal_transition_lists_the_legal_next_states() {
        assert_eq!(
            illegal("pending", "superseded", &["accepted", "rejected", "withdrawn"]).to_string(),
            "illegal proposal transition from `pending` to `superseded`; \
             legal next states: accepted, rejected, withdrawn",
        );
    }

    #[test]
    fn unknown_variant_quotes_the_value_and_lists_the_expected_ones() {
        let err = UnknownVariant {
            kind: "decision",
            value: "maybe".to_owned(),
            expected: &["accept", "reject", "withdraw"],
        };
        assert_eq!(err.to_string(), "unknown decision `maybe`; expected one of: accept, reject, withdraw",);
    }
}
