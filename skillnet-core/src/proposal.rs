//! The proposal decision state machine.
//!
//! A proposal to change one trigger's threshold starts `pending`; a human decides it with a
//! [`Decision`], and accepting a newer proposal for the same
//! trigger and filter tags supersedes the previously accepted one. Core validates each move with
//! [`ProposalState::transition`]; the store applies it with a compare-and-set on the current state,
//! in the same transaction as the threshold it writes, and skips the write on
//! [`TransitionEffect::NoOp`].
//!
//! ```
//! use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
//!
//! let decision: Decision = "accept".parse()?;
//! let target = decision.target();
//! assert_eq!(ProposalState::Pending.transition(target)?, TransitionEffect::Applied);
//! assert_eq!(ProposalState::Accepted.transition(target)?, TransitionEffect::NoOp);
//! assert!(ProposalState::Rejected.transition(target).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::transition::{text_enum, IllegalTransition};

/// Where a threshold proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalState {
    /// Waiting for a human decision.
    Pending,
    /// Accepted: its threshold became the active one. Final for users, but a newer accepted
    /// proposal for the same trigger and filter tags supersedes it.
    Accepted,
    /// Rejected by a human; final.
    Rejected,
    /// Withdrawn before a decision; final.
    Withdrawn,
    /// Replaced by a newer accepted proposal for the same trigger and filter tags; final.
    Superseded,
}

text_enum!(ProposalState, "proposal state", [
    Pending => "pending",
    Accepted => "accepted",
    Rejected => "rejected",
    Withdrawn => "withdrawn",
    Superseded => "superseded",
]);

impl ProposalState {
    /// Whether a user can no longer decide this proposal: every state but `pending`.
    ///
    /// `accepted` counts as final even though the store may still move it to `superseded`.
    pub const fn is_final(self) -> bool {
        !matches!(self, ProposalState::Pending)
    }

    /// The states this one may move to: `pending` -> `accepted` | `rejected` | `withdrawn`,
    /// `accepted` -> `superseded`; empty for the others.
    pub const fn legal_next(self) -> &'static [ProposalState] {
        use ProposalState::*;
        match self {
            Pending => &[Accepted, Rejected, Withdrawn],
            Accepted => &[Superseded],
            Rejected | Withdrawn | Superseded => &[],
        }
    }

    /// Validates a move from this state to `to`.
    ///
    /// Accepting an already-accepted proposal succeeds as [`TransitionEffect::NoOp`], so a
    /// repeated accept is harmless; every other move out of a final state, and every
    /// move not in [`legal_next`](Self::legal_next), is an error.
    ///
    /// # Errors
    ///
    /// [`IllegalTransition`] for any move other than the no-op and those in
    /// [`legal_next`](Self::legal_next); it lists the legal next states, or says the current one
    /// is final.
    pub fn transition(self, to: ProposalState) -> Result<TransitionEffect, IllegalTransition> {
        let legal = self.legal_next();
        if self == ProposalState::Accepted && to == ProposalState::Accepted {
            Ok(TransitionEffect::NoOp)
        } else if legal.contains(&to) {
            Ok(TransitionEffect::Applied)
        } else {
            Err(IllegalTransition::new("proposal", self, to, legal))
        }
    }
}

/// What a human decides about a pending proposal; what `decide` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Make the proposed threshold the active one: to `accepted`.
    Accept,
    /// Keep the current threshold: to `rejected`.
    Reject,
    /// Take the proposal back without deciding it: to `withdrawn`.
    Withdraw,
}

text_enum!(Decision, "decision", [
    Accept => "accept",
    Reject => "reject",
    Withdraw => "withdraw",
]);

impl Decision {
    /// The state this decision asks for; whether it is legal is
    /// [`ProposalState::transition`]'s call.
    pub const fn target(self) -> ProposalState {
        match self {
            Decision::Accept => ProposalState::Accepted,
            Decision::Reject => ProposalState::Rejected,
            Decision::Withdraw => ProposalState::Withdrawn,
        }
    }
}

/// What a legal proposal transition does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransitionEffect {
    /// The state changes; the store writes it (and, on accept, the new threshold).
    Applied,
    /// Nothing changes: accepting an already-accepted proposal. The store writes nothing.
    NoOp,
}

#[cfg(test)]
mod tests {
    use super::ProposalState::*;
    use super::*;

    /// Every state, in declaration order, with its text; written out rather than taken from
    /// `ProposalState::ALL` so the tests do not trust the code they check.
    const STATES: [(ProposalState, &str); 5] = [
        (Pending, "pending"),
        (Accepted, "accepted"),
        (Rejected, "rejected"),
        (Withdrawn, "withdrawn"),
        (Superseded, "superseded"),
    ];

    /// The legal decisions: row = from, column = to, in `STATES` order. `A` = applied, `N` = no-op,
    /// `O` = illegal.
    #[rustfmt::skip]
    const MOVES: [[Option<TransitionEffect>; 5]; 5] = {
        const A: Option<TransitionEffect> = Some(TransitionEffect::Applied);
        const N: Option<TransitionEffect> = Some(TransitionEffect::NoOp);
        const O: Option<TransitionEffect> = None;
        [
            //            pending accepted rejected withdrawn superseded
            /* pending    */ [O,   A,       A,       A,        O],
            /* accepted   */ [O,   N,       O,       O,        A],
            /* rejected   */ [O,   O,       O,       O,        O],
            /* withdrawn  */ [O,   O,       O,       O,        O],
            /* superseded */ [O,   O,       O,       O,        O],
        ]
    };

    #[test]
    fn every_pair_of_states_moves_exactly_as_the_spec_says() {
        for (i, &(from, from_name)) in STATES.iter().enumerate() {
            // The no-op is a success but not a move, so it is not listed as a legal next state.
            let legal_names: Vec<String> = STATES
                .iter()
                .zip(MOVES[i])
                .filter(|&(_, effect)| effect == Some(TransitionEffect::Applied))
                .map(|((_, name), _)| (*name).to_owned())
                .collect();
            for (j, &(to, to_name)) in STATES.iter().enumerate() {
                let got = from.transition(to);
                match MOVES[i][j] {
                    Some(effect) => assert_eq!(got, Ok(effect), "{from_name} -> {to_name}"),
                    None => {
                        let err = got.expect_err(&format!("{from_name} -> {to_name} must be illegal"));
                        assert_eq!(
                            err,
                            IllegalTransition {
                                machine: "proposal",
                                from: from_name.to_owned(),
                                to: to_name.to_owned(),
                                legal: legal_names.clone(),
                            },
                        );
                        let tail = if legal_names.is_empty() {
                            format!(": `{from_name}` is final")
                        } else {
                            format!("; legal next states: {}", legal_names.join(", "))
                        };
                        assert_eq!(
                            err.to_string(),
                            format!("illegal proposal transition from `{from_name}` to `{to_name}`{tail}"),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn accepting_an_accepted_proposal_is_a_no_op() {
        assert_eq!(Accepted.transition(Accepted), Ok(TransitionEffect::NoOp));
        assert_eq!(Accepted.transition(Decision::Accept.target()), Ok(TransitionEffect::NoOp),);
    }

    #[test]
    fn illegal_transition_messages_read_well() {
        assert_eq!(
            Pending.transition(Superseded).unwrap_err().to_string(),
            "illegal proposal transition from `pending` to `superseded`; \
             legal next states: accepted, rejected, withdrawn",
        );
        assert_eq!(
            Accepted.transition(Rejected).unwrap_err().to_string(),
            "illegal proposal transition from `accepted` to `rejected`; \
             legal next states: superseded",
        );
        assert_eq!(
            Withdrawn.transition(Accepted).unwrap_err().to_string(),
            "illegal proposal transition from `withdrawn` to `accepted`: `withdrawn` is final",
        );
    }

    #[test]
    fn every_state_but_pending_is_final() {
        for (state, name) in STATES {
            assert_eq!(state.is_final(), name != "pending", "{name}");
        }
    }

    #[test]
    fn states_round_trip_through_text_and_serde() {
        assert_eq!(ProposalState::ALL, STATES.map(|(state, _)| state));
        for (state, name) in STATES {
            assert_eq!(state.as_str(), name);
            assert_eq!(state.to_string(), name);
            assert_eq!(name.parse::<ProposalState>(), Ok(state));
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ProposalState>(&json).unwrap(), state);
        }
        assert_eq!(
            "open".parse::<ProposalState>().unwrap_err().to_string(),
            "unknown proposal state `open`; expected one of: \
             pending, accepted, rejected, withdrawn, superseded",
        );
    }

    #[test]
    fn decisions_target_their_state_and_round_trip() {
        let cases = [
            (Decision::Accept, "accept", Accepted),
            (Decision::Reject, "reject", Rejected),
            (Decision::Withdraw, "withdraw", Withdrawn),
        ];
        assert_eq!(Decision::ALL, cases.map(|(decision, _, _)| decision));
        for (decision, name, target) in cases {
            assert_eq!(decision.target(), target, "{name}");
            assert_eq!(decision.as_str(), name);
            assert_eq!(decision.to_string(), name);
            assert_eq!(name.parse::<Decision>(), Ok(decision));
            let json = serde_json::to_string(&decision).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), decision);
        }
        let err = "approve".parse::<Decision>().unwrap_err();
        assert_eq!(
            err,
            crate::transition::UnknownVariant {
                kind: "decision",
                value: "approve".to_owned(),
                expected: &["accept", "reject", "withdraw"],
            },
        );
        assert_eq!(err.to_string(), "unknown decision `approve`; expected one of: accept, reject, withdraw",);
    }

    #[test]
    fn effects_serialize_in_kebab_case() {
        assert_eq!(serde_json::to_string(&TransitionEffect::Applied).unwrap(), "\"applied\"",);
        assert_eq!(serde_json::to_string(&TransitionEffect::NoOp).unwrap(), "\"no-op\"",);
    }
}
