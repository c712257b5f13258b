//! The phase status state machine and the plan status derived from it.
//!
//! While a plan runs, each of its phases moves through [`PhaseStatus`]. A user asks for a move
//! with a [`PhaseAction`] (start, block, verify, ...); core checks it with
//! [`PhaseStatus::transition`], and the store applies the returned [`PhaseTransition`] with a
//! compare-and-set on the current status and appends it to the transition log. A plan's own
//! [`PlanStatus`] is never stored: [`PlanStatus::derive`] computes it from its phases.
//!
//! ```
//! use skillnet_core::phase_status::{PhaseAction, PhaseStatus};
//!
//! let action: PhaseAction = "retry".parse()?;
//! let step = PhaseStatus::Failed.transition(action.target())?;
//! assert_eq!(step.to, PhaseStatus::Queued);
//! assert!(step.starts_attempt);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::transition::{text_enum, IllegalTransition};

/// Where one phase of a running plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseStatus {
    /// Recorded, not started; entered by `record` and by `phase retry`.
    Queued,
    /// An agent is executing it; entered by `phase start` and `phase unblock`.
    Running,
    /// Waiting on something outside the plan; entered by `phase block`.
    Blocked,
    /// Work done, being checked (tests, review); entered by `phase verify`.
    Verifying,
    /// Verified and merged; final. Entered by `phase land`.
    Landed,
    /// Execution or verification failed; entered by `phase fail`, left only by a retry.
    Failed,
    /// Dropped from the plan; final. Entered by `phase skip`.
    Skipped,
}

text_enum!(PhaseStatus, "phase status", [
    Queued => "queued",
    Running => "running",
    Blocked => "blocked",
    Verifying => "verifying",
    Landed => "landed",
    Failed => "failed",
    Skipped => "skipped",
]);

impl PhaseStatus {
    /// Whether nothing may follow this status: `landed` and `skipped`.
    ///
    /// `failed` is not final, since a retry queues the phase again.
    pub const fn is_final(self) -> bool {
        matches!(self, PhaseStatus::Landed | PhaseStatus::Skipped)
    }

    /// The statuses this one may move to, in declaration order; empty for a final status.
    pub const fn legal_next(self) -> &'static [PhaseStatus] {
        use PhaseStatus::*;
        match self {
            Queued => &[Running, Skipped],
            Running => &[Blocked, Verifying, Failed, Skipped],
            Blocked => &[Running, Skipped],
            // Back to `running` is rework after a failed review.
            Verifying => &[Running, Landed, Failed],
            Failed => &[Queued],
            Landed | Skipped => &[],
        }
    }

    /// Validates a move from this status to `to`.
    ///
    /// Staying in the same status is not a move and is refused like any other illegal one.
    ///
    /// # Errors
    ///
    /// [`IllegalTransition`] when `to` is not in [`legal_next`](Self::legal_next); it lists the
    /// legal next statuses, or says the current one is final.
    pub fn transition(self, to: PhaseStatus) -> Result<PhaseTransition, IllegalTransition> {
        let legal = self.legal_next();
        if legal.contains(&to) {
            Ok(PhaseTransition {
                from: self,
                to,
                starts_attempt: self == PhaseStatus::Failed && to == PhaseStatus::Queued,
            })
        } else {
            Err(IllegalTransition::new("phase status", self, to, legal))
        }
    }
}

/// A validated move. `starts_attempt` is true for failed -> queued (retry counts an attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhaseTransition {
    /// The status the phase is in; the store's compare-and-set checks it is still current.
    pub from: PhaseStatus,
    /// The status the phase moves to.
    pub to: PhaseStatus,
    /// Whether this move begins a new attempt, so the store increments the attempt number.
    pub starts_attempt: bool,
}

/// What a user asks a phase to do; [`PhaseAction::target`] is the status it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseAction {
    /// Begin executing a queued phase: to `running`.
    Start,
    /// Mark a running phase as waiting on something outside the plan: to `blocked`.
    Block,
    /// Resume a blocked phase: to `running`.
    Unblock,
    /// Hand finished work to checks and review: to `verifying`.
    Verify,
    /// Record a verified phase as merged: to `landed`.
    Land,
    /// Record that execution or verification failed: to `failed`.
    Fail,
    /// Drop the phase from the plan: to `skipped`.
    Skip,
    /// Queue a failed phase again, starting a new attempt: to `queued`.
    Retry,
}

text_enum!(PhaseAction, "phase action", [
    Start => "start",
    Block => "block",
    Unblock => "unblock",
    Verify => "verify",
    Land => "land",
    Fail => "fail",
    Skip => "skip",
    Retry => "retry",
]);

impl PhaseAction {
    /// The status this action asks for; whether it is legal from the current status is
    /// [`PhaseStatus::transition`]'s call.
    pub const fn target(self) -> PhaseStatus {
        match self {
            PhaseAction::Start | PhaseAction::Unblock => PhaseStatus::Running,
            PhaseAction::Block => PhaseStatus::Blocked,
            PhaseAction::Verify => PhaseStatus::Verifying,
            PhaseAction::Land => PhaseStatus::Landed,
            PhaseAction::Fail => PhaseStatus::Failed,
            PhaseAction::Skip => PhaseStatus::Skipped,
            PhaseAction::Retry => PhaseStatus::Queued,
        }
    }
}

/// Status of a whole plan, derived never stored (from its phases' statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// Recorded and not started: every phase is queued (or the plan has none).
    Recorded,
    /// At least one phase has started and not every phase has ended.
    InProgress,
    /// Every phase has ended (landed, skipped or failed) but the plan has no verification yet.
    Done,
    /// The plan has a verification, whatever its phases say.
    Verified,
}

text_enum!(PlanStatus, "plan status", [
    Recorded => "recorded",
    InProgress => "in-progress",
    Done => "done",
    Verified => "verified",
]);

impl PlanStatus {
    /// Derives a plan's status from whether it has a verification and from its phases' statuses.
    ///
    /// `verified` if it has a verification; else `recorded` if every phase is queued (including
    /// zero phases); else `done` if every phase is landed, skipped or failed; else `in-progress`.
    pub fn derive(has_verification: bool, phases: impl IntoIterator<Item = PhaseStatus>) -> PlanStatus {
        if has_verification {
            return PlanStatus::Verified;
        }
        let (mut all_queued, mut all_ended) = (true, true);
        for phase in phases {
            all_queued &= phase == PhaseStatus::Queued;
            all_ended &= matches!(phase, PhaseStatus::Landed | PhaseStatus::Skipped | PhaseStatus::Failed);
        }
        if all_queued {
            PlanStatus::Recorded
        } else if all_ended {
            PlanStatus::Done
        } else {
            PlanStatus::InProgress
        }
    }
}

/// The `phase_outcomes` of a verification, derived from a tracked plan's final phase statuses
/// (`landed` -> `passed`, `failed` -> `failed`, `skipped` -> `skipped`; phases in other statuses
/// are left out). Empty when the plan was never tracked (every phase still queued).
pub fn derived_phase_outcomes<'a>(
    phases: impl IntoIterator<Item = (&'a str, PhaseStatus)>,
) -> std::collections::BTreeMap<String, String> {
    let phases: Vec<(&str, PhaseStatus)> = phases.into_iter().collect();
    if phases.iter().all(|(_, s)| *s == PhaseStatus::Queued) {
        return std::collections::BTreeMap::new();
    }
    phases
        .into_iter()
        .filter_map(|(slug, status)| {
            let outcome = match status {
                PhaseStatus::Landed => "passed",
                PhaseStatus::Failed => "failed",
                PhaseStatus::Skipped => "skipped",
                _ => return None,
            };
            Some((slug.to_owned(), outcome.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::PhaseStatus::*;
    use super::*;

    /// Every status, in declaration order, with its text; written out rather than taken from
    /// `PhaseStatus::ALL` so the tests do not trust the code they check.
    const STATES: [(PhaseStatus, &str); 7] = [
        (Queued, "queued"),
        (Running, "running"),
        (Blocked, "blocked"),
        (Verifying, "verifying"),
        (Landed, "landed"),
        (Failed, "failed"),
        (Skipped, "skipped"),
    ];

    /// The legal moves: row = from, column = to, in `STATES` order.
    #[rustfmt::skip]
    const LEGAL: [[bool; 7]; 7] = {
        const O: bool = false;
        const X: bool = true;
        [
            //           queued running blocked verifying landed failed skipped
            /* queued    */ [O,    X,      O,      O,        O,     O,     X],
            /* running   */ [O,    O,      X,      X,        O,     X,     X],
            /* blocked   */ [O,    X,      O,      O,        O,     O,     X],
            /* verifying */ [O,    X,      O,      O,        X,     X,     O],
            /* landed    */ [O,    O,      O,      O,        O,     O,     O],
            /* failed    */ [X,    O,      O,      O,        O,     O,     O],
            /* skipped   */ [O,    O,      O,      O,        O,     O,     O],
        ]
    };

    #[test]
    fn every_pair_of_statuses_is_legal_exactly_as_the_spec_says() {
        for (i, &(from, from_name)) in STATES.iter().enumerate() {
            let legal_names: Vec<String> = STATES
                .iter()
                .zip(LEGAL[i])
                .filter(|&(_, legal)| legal)
                .map(|((_, name), _)| (*name).to_owned())
                .collect();
            for (j, &(to, to_name)) in STATES.iter().enumerate() {
                let got = from.transition(to);
                if LEGAL[i][j] {
                    let expected =
                        PhaseTransition { from, to, starts_attempt: from == Failed && to == Queued };
                    assert_eq!(got, Ok(expected), "{from_name} -> {to_name}");
                } else {
                    let err = got.expect_err(&format!("{from_name} -> {to_name} must be illegal"));
                    assert_eq!(
                        err,
                        IllegalTransition {
                            machine: "phase status",
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
                        format!("illegal phase status transition from `{from_name}` to `{to_name}`{tail}"),
                    );
                }
            }
        }
    }

    #[test]
    fn illegal_transition_messages_read_well() {
        assert_eq!(
            Landed.transition(Running).unwrap_err().to_string(),
            "illegal phase status transition from `landed` to `running`: `landed` is final",
        );
        assert_eq!(
            Queued.transition(Landed).unwrap_err().to_string(),
            "illegal phase status transition from `queued` to `landed`; \
             legal next states: running, skipped",
        );
        assert_eq!(
            Running.transition(Running).unwrap_err().to_string(),
            "illegal phase status transition from `running` to `running`; \
             legal next states: blocked, verifying, failed, skipped",
        );
    }

    #[test]
    fn only_a_retry_starts_an_attempt() {
        for (from, _) in STATES {
            for (to, _) in STATES {
                if let Ok(step) = from.transition(to) {
                    assert_eq!(step.starts_attempt, (from, to) == (Failed, Queued));
                }
            }
        }
    }

    #[test]
    fn final_statuses_are_landed_and_skipped() {
        for (status, name) in STATES {
            let expected = matches!(name, "landed" | "skipped");
            assert_eq!(status.is_final(), expected, "{name}");
            assert_eq!(status.legal_next().is_empty(), expected, "{name}");
        }
    }

    #[test]
    fn statuses_round_trip_through_text_and_serde() {
        assert_eq!(PhaseStatus::ALL, STATES.map(|(status, _)| status));
        for (status, name) in STATES {
            assert_eq!(status.as_str(), name);
            assert_eq!(status.to_string(), name);
            assert_eq!(name.parse::<PhaseStatus>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<PhaseStatus>(&json).unwrap(), status);
        }
    }

    #[test]
    fn unknown_status_lists_the_accepted_ones() {
        let err = "Running".parse::<PhaseStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown phase status `Running`; expected one of: \
             queued, running, blocked, verifying, landed, failed, skipped",
        );
        assert_eq!(err.kind, "phase status");
        assert_eq!(err.value, "Running");
    }

    #[test]
    fn actions_target_the_status_they_name() {
        let cases = [
            (PhaseAction::Start, "start", Running),
            (PhaseAction::Block, "block", Blocked),
            (PhaseAction::Unblock, "unblock", Running),
            (PhaseAction::Verify, "verify", Verifying),
            (PhaseAction::Land, "land", Landed),
            (PhaseAction::Fail, "fail", Failed),
            (PhaseAction::Skip, "skip", Skipped),
            (PhaseAction::Retry, "retry", Queued),
        ];
        assert_eq!(PhaseAction::ALL, cases.map(|(action, _, _)| action));
        for (action, name, target) in cases {
            assert_eq!(action.target(), target, "{name}");
            assert_eq!(action.as_str(), name);
            assert_eq!(action.to_string(), name);
            assert_eq!(name.parse::<PhaseAction>(), Ok(action));
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<PhaseAction>(&json).unwrap(), action);
        }
    }

    #[test]
    fn unknown_action_lists_the_accepted_ones() {
        assert_eq!(
            "resume".parse::<PhaseAction>().unwrap_err().to_string(),
            "unknown phase action `resume`; expected one of: \
             start, block, unblock, verify, land, fail, skip, retry",
        );
    }

    #[test]
    fn plan_status_is_derived_from_verification_and_phases() {
        use PlanStatus::{Done, InProgress, Recorded, Verified};
        let cases: &[(bool, &[PhaseStatus], PlanStatus)] = &[
            (false, &[], Recorded),
            (false, &[Queued], Recorded),
            (false, &[Queued, Queued, Queued], Recorded),
            (false, &[Queued, Running], InProgress),
            (false, &[Running], InProgress),
            (false, &[Blocked, Queued], InProgress),
            (false, &[Verifying], InProgress),
            (false, &[Landed, Queued], InProgress),
            (false, &[Landed, Running], InProgress),
            (false, &[Landed, Failed, Blocked], InProgress),
            (false, &[Landed], Done),
            (false, &[Skipped], Done),
            (false, &[Failed], Done),
            (false, &[Landed, Skipped, Failed], Done),
            (true, &[], Verified),
            (true, &[Queued, Queued], Verified),
            (true, &[Running, Landed], Verified),
            (true, &[Landed, Landed], Verified),
        ];
        for &(has_verification, phases, expected) in cases {
            assert_eq!(
                PlanStatus::derive(has_verification, phases.iter().copied()),
                expected,
                "verified: {has_verification}, phases: {phases:?}",
            );
        }
    }

    #[test]
    fn plan_statuses_round_trip_through_text_and_serde() {
        let cases = [
            (PlanStatus::Recorded, "recorded"),
            (PlanStatus::InProgress, "in-progress"),
            (PlanStatus::Done, "done"),
            (PlanStatus::Verified, "verified"),
        ];
        assert_eq!(PlanStatus::ALL, cases.map(|(status, _)| status));
        for (status, name) in cases {
            assert_eq!(status.as_str(), name);
            assert_eq!(status.to_string(), name);
            assert_eq!(name.parse::<PlanStatus>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<PlanStatus>(&json).unwrap(), status);
        }
        assert_eq!(
            "in_progress".parse::<PlanStatus>().unwrap_err().to_string(),
            "unknown plan status `in_progress`; expected one of: \
             recorded, in-progress, done, verified",
        );
    }

    #[test]
    fn phase_outcomes_are_derived_from_final_statuses() {
        use PhaseStatus::*;
        let derived = super::derived_phase_outcomes([
            ("schema", Landed),
            ("api", Failed),
            ("docs", Skipped),
            ("extra", Running),
            ("later", Queued),
        ]);
        let expected: Vec<(&str, &str)> = vec![("api", "failed"), ("docs", "skipped"), ("schema", "passed")];
        assert_eq!(derived.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(), expected);
        assert!(super::derived_phase_outcomes([("a", Queued), ("b", Queued)]).is_empty(), "untracked plan");
    }
}
