//! What the analysis concludes about one trigger, and the threshold it would move to.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::classify::Class;
use super::confusion::Confusion;
use crate::catalog;
use crate::transition::text_enum;

/// The default minimum number of fires: a trigger needs this many fires before the analysis judges it.
pub const DEFAULT_MIN_N: u64 = 10;

/// The analysis' conclusion about one trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Lower the threshold by one notch: the trigger earns its place (signal rate >= 0.3) and
    /// missed at least two plans it should have caught.
    Lower,
    /// Raise the threshold by one notch: the trigger does not earn its place (signal rate <= 0)
    /// and fires on at least half of the plans.
    Raise,
    /// Keep the threshold.
    Hold,
    /// Too few fires to judge: `fires < min_n`.
    TooFew {
        /// How many times the trigger fired.
        fires: u64,
        /// The minimum that was asked for.
        min_n: u64,
    },
}

impl Verdict {
    /// The threshold change this verdict proposes, if any.
    pub const fn action(self) -> Option<ProposalAction> {
        match self {
            Verdict::Lower => Some(ProposalAction::LowerThreshold),
            Verdict::Raise => Some(ProposalAction::RaiseThreshold),
            Verdict::Hold | Verdict::TooFew { .. } => None,
        }
    }

    /// The `verdict` text of the `analyze` JSON contract (skillnet 0.6 wording, which scripts
    /// match): `hold`, `n=<fires> < min-n=<min_n>`, `lower threshold (<current>-><proposed>)` or
    /// `raise threshold (<current>-><proposed>)`.
    ///
    /// ```
    /// use skillnet_core::analysis::Verdict;
    ///
    /// assert_eq!(Verdict::Lower.report_text("long-serial-chain", 4.0), "lower threshold (4->3)");
    /// assert_eq!(Verdict::Raise.report_text("trivial-phase-swamp", 4.0), "raise threshold (4->4.5)");
    /// assert_eq!(Verdict::Hold.report_text("long-serial-chain", 4.0), "hold");
    /// ```
    pub fn report_text(self, trigger: &str, current_threshold: f64) -> String {
        match (self.action(), proposed_threshold(trigger, current_threshold, self)) {
            (Some(action), Some(proposed)) => {
                format!("{} ({current_threshold}->{proposed})", action.verdict_prefix())
            }
            _ => self.to_string(),
        }
    }
}

impl Verdict {
    /// Reads a verdict back from its [`report_text`](Self::report_text) (or its `Display`
    /// form); `None` for text that is neither.
    ///
    /// ```
    /// use skillnet_core::analysis::Verdict;
    ///
    /// assert_eq!(Verdict::from_report_text("lower threshold (4->3)"), Some(Verdict::Lower));
    /// assert_eq!(Verdict::from_report_text("n=2 < min-n=10"), Some(Verdict::TooFew { fires: 2, min_n: 10 }));
    /// assert_eq!(Verdict::from_report_text("maybe"), None);
    /// ```
    pub fn from_report_text(text: &str) -> Option<Self> {
        let head = text.split_once(" (").map_or(text, |(head, _)| head);
        for verdict in [Verdict::Lower, Verdict::Raise] {
            let prefix = verdict.action().map(ProposalAction::verdict_prefix);
            if Some(head) == prefix || head == verdict.to_string() {
                return Some(verdict);
            }
        }
        if text == "hold" {
            return Some(Verdict::Hold);
        }
        let (fires, min_n) = text.strip_prefix("n=")?.split_once(" < min-n=")?;
        Some(Verdict::TooFew { fires: fires.parse().ok()?, min_n: min_n.parse().ok()? })
    }
}

impl fmt::Display for Verdict {
    /// `lower`, `raise`, `hold`, or `n=<fires> < min-n=<min_n>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Lower => f.write_str("lower"),
            Verdict::Raise => f.write_str("raise"),
            Verdict::Hold => f.write_str("hold"),
            Verdict::TooFew { fires, min_n } => write!(f, "n={fires} < min-n={min_n}"),
        }
    }
}

/// A threshold change the analysis proposes; the `action` of a proposal in the `analyze` JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalAction {
    /// Move the threshold down one notch, so the trigger fires more often.
    LowerThreshold,
    /// Move the threshold up one notch, so the trigger fires less often.
    RaiseThreshold,
}

text_enum!(ProposalAction, "proposal action", [
    LowerThreshold => "lower-threshold",
    RaiseThreshold => "raise-threshold",
]);

impl ProposalAction {
    /// The rows that support this change: the false negatives a lower threshold would have
    /// caught, or the false positives a higher one would have spared.
    pub const fn supporting_class(self) -> Class {
        match self {
            ProposalAction::LowerThreshold => Class::FalseNegative,
            ProposalAction::RaiseThreshold => Class::FalsePositive,
        }
    }

    /// How far the threshold moves: minus or plus one notch.
    const fn sign(self) -> f64 {
        match self {
            ProposalAction::LowerThreshold => -1.0,
            ProposalAction::RaiseThreshold => 1.0,
        }
    }

    /// How a verdict of this action starts: `lower threshold` or `raise threshold`.
    pub const fn verdict_prefix(self) -> &'static str {
        match self {
            ProposalAction::LowerThreshold => "lower threshold",
            ProposalAction::RaiseThreshold => "raise threshold",
        }
    }
}

/// Judges one trigger's counts: returns the signal rate (`None` when `fires < min_n`, as the
/// JSON's `null`) and the verdict.
///
/// With enough fires: [`Verdict::Lower`] when the signal rate is at least 0.3 and there are at
/// least two false negatives; else [`Verdict::Raise`] when the signal rate is at most 0 and the
/// fire rate at least 0.5; else [`Verdict::Hold`]. The boundaries are compared on exact fractions
/// of the counts, so a signal rate of exactly 0.3 or a fire rate of exactly 0.5 is never lost to
/// rounding.
///
/// ```
/// use skillnet_core::analysis::{verdict, Confusion, Verdict, DEFAULT_MIN_N};
///
/// let few = Confusion { true_positives: 5, false_positives: 4, ..Confusion::default() };
/// assert_eq!(verdict(&few, DEFAULT_MIN_N), (None, Verdict::TooFew { fires: 9, min_n: 10 }));
/// ```
pub fn verdict(c: &Confusion, min_n: u64) -> (Option<f64>, Verdict) {
    let fires = c.fires();
    if fires < min_n {
        return (None, Verdict::TooFew { fires, min_n });
    }
    let (numerator, denominator) = c.signal_fraction();
    let verdict = if 10 * numerator >= 3 * denominator && c.false_negatives >= 2 {
        Verdict::Lower
    } else if numerator <= 0 && c.total() > 0 && 2 * u128::from(fires) >= u128::from(c.total()) {
        Verdict::Raise
    } else {
        Verdict::Hold
    };
    (Some(c.signal_rate()), verdict)
}

/// The threshold a verdict proposes: `current` minus one notch for [`Verdict::Lower`], plus one
/// notch for [`Verdict::Raise`], `None` otherwise. The notch is [`catalog::notch`]: 0.5 for the
/// ratio heuristic `trivial-phase-swamp`, 1.0 for every other name, custom ones included.
pub fn proposed_threshold(trigger: &str, current: f64, verdict: Verdict) -> Option<f64> {
    verdict.action().map(|action| current + action.sign() * catalog::notch(trigger))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::confusion::tests::c;

    #[test]
    fn every_verdict_branch_and_boundary() {
        // (confusion, min_n, expected signal rate, expected verdict), worked out by hand.
        #[rustfmt::skip]
        let cases = [
            // fires = 5 + 4 = 9 = min_n - 1: too few, whatever the counts.
            (c(5, 4, 3, 0), 10, None, Verdict::TooFew { fires: 9, min_n: 10 }),
            (c(0, 0, 0, 50), 10, None, Verdict::TooFew { fires: 0, min_n: 10 }),
            (c(0, 1, 0, 0), 2, None, Verdict::TooFew { fires: 1, min_n: 2 }),
            // fires = 10 = min_n: judged. Signal (8 - 2 - 2) / 12 = 1/3 >= 0.3, FN = 2: lower.
            (c(8, 2, 2, 8), 10, Some(1.0 / 3.0), Verdict::Lower),
            // Signal (13 - 5 - 2) / 20 = 6/20 = exactly 0.3, FN = 2: lower.
            (c(13, 5, 2, 0), 10, Some(0.3), Verdict::Lower),
            // Signal (13 - 6 - 1) / 20 = 6/20 = exactly 0.3 but FN = 1: hold.
            (c(13, 6, 1, 0), 10, Some(0.3), Verdict::Hold),
            // Signal (12 - 5 - 2) / 19 = 5/19 = 0.263 < 0.3, FN = 2: hold.
            (c(12, 5, 2, 0), 10, Some(5.0 / 19.0), Verdict::Hold),
            // Signal (20 - 0 - 9) / 29 = 11/29 = 0.379, FN = 9: lower.
            (c(20, 0, 9, 1), 10, Some(11.0 / 29.0), Verdict::Lower),
            // Signal (6 - 6 - 0) / 12 = exactly 0, fire rate 12 / 24 = exactly 0.5: raise.
            (c(6, 6, 0, 12), 10, Some(0.0), Verdict::Raise),
            // Signal exactly 0, fire rate 12 / 25 = 0.48 < 0.5: hold.
            (c(6, 6, 0, 13), 10, Some(0.0), Verdict::Hold),
            // Signal (7 - 6 - 0) / 13 = 1/13 > 0, fire rate 13/13 = 1: hold.
            (c(7, 6, 0, 0), 10, Some(1.0 / 13.0), Verdict::Hold),
            // Signal (2 - 10 - 0) / 12 = -8/12 = -2/3, fire rate 12/12 = 1: raise.
            (c(2, 10, 0, 0), 10, Some(-2.0 / 3.0), Verdict::Raise),
            // Signal (5 - 5 - 5) / 15 = -1/3, fire rate 10 / 20 = 0.5: raise (FN >= 2 doesn't
            // matter once the signal is below 0.3).
            (c(5, 5, 5, 5), 10, Some(-1.0 / 3.0), Verdict::Raise),
            // Signal (5 - 5 - 5) / 15 = -1/3, fire rate 10 / 21 < 0.5: hold.
            (c(5, 5, 5, 6), 10, Some(-1.0 / 3.0), Verdict::Hold),
            // Signal (10 - 0 - 0) / 10 = 1, FN = 0: hold.
            (c(10, 0, 0, 0), 10, Some(1.0), Verdict::Hold),
            // min_n = 0 with no rows: signal 0 / 1 = 0, fire rate 0 (empty): hold, not raise.
            (c(0, 0, 0, 0), 0, Some(0.0), Verdict::Hold),
            // min_n = 1, one abandoned firing: signal (0 - 1) / 1 = -1, fire rate 1: raise.
            (c(0, 1, 0, 0), 1, Some(-1.0), Verdict::Raise),
        ];
        for (confusion, min_n, signal, expected) in cases {
            assert_eq!(verdict(&confusion, min_n), (signal, expected), "{confusion:?} min_n {min_n}");
        }
    }

    #[test]
    fn verdicts_display_as_the_spec_writes_them() {
        assert_eq!(Verdict::Lower.to_string(), "lower");
        assert_eq!(Verdict::Raise.to_string(), "raise");
        assert_eq!(Verdict::Hold.to_string(), "hold");
        assert_eq!(Verdict::TooFew { fires: 9, min_n: 10 }.to_string(), "n=9 < min-n=10");
        assert_eq!(verdict(&c(5, 4, 0, 0), DEFAULT_MIN_N).1.to_string(), "n=9 < min-n=10");
        assert_eq!(DEFAULT_MIN_N, 10);
    }

    #[test]
    fn report_text_keeps_the_skillnet_0_6_wording() {
        #[rustfmt::skip]
        let cases = [
            (Verdict::Lower, "long-serial-chain", 4.0, "lower threshold (4->3)"),
            (Verdict::Raise, "long-serial-chain", 4.0, "raise threshold (4->5)"),
            (Verdict::Lower, "trivial-phase-swamp", 4.0, "lower threshold (4->3.5)"),
            (Verdict::Raise, "trivial-phase-swamp", 3.5, "raise threshold (3.5->4)"),
            (Verdict::Lower, "my-custom-heuristic", 0.75, "lower threshold (0.75->-0.25)"),
            (Verdict::Hold, "long-serial-chain", 4.0, "hold"),
            (Verdict::TooFew { fires: 3, min_n: 10 }, "long-serial-chain", 4.0, "n=3 < min-n=10"),
        ];
        for (verdict, trigger, current, text) in cases {
            assert_eq!(verdict.report_text(trigger, current), text);
        }
    }

    #[test]
    fn thresholds_move_by_one_notch() {
        #[rustfmt::skip]
        let cases = [
            // The ratio heuristic moves by 0.5.
            ("trivial-phase-swamp", 4.0, Verdict::Lower, Some(3.5)),
            ("trivial-phase-swamp", 4.0, Verdict::Raise, Some(4.5)),
            ("trivial-phase-swamp", 4.0, Verdict::Hold, None),
            // Every other heuristic, built in or custom, moves by 1.
            ("long-serial-chain", 4.0, Verdict::Lower, Some(3.0)),
            ("long-serial-chain", 4.0, Verdict::Raise, Some(5.0)),
            ("mid-plan-rerouting", 10.0, Verdict::Lower, Some(9.0)),
            ("my-custom-heuristic", 2.5, Verdict::Raise, Some(3.5)),
            // skillnet 0.6's spelling of the ratio heuristic is a custom name now.
            ("trivial_phase_swamp", 4.0, Verdict::Lower, Some(3.0)),
            ("long-serial-chain", 4.0, Verdict::TooFew { fires: 1, min_n: 10 }, None),
        ];
        for (trigger, current, verdict, expected) in cases {
            assert_eq!(proposed_threshold(trigger, current, verdict), expected, "{trigger} {verdict}");
        }
    }

    #[test]
    fn actions_name_their_evidence_and_round_trip() {
        assert_eq!(Verdict::Lower.action(), Some(ProposalAction::LowerThreshold));
        assert_eq!(Verdict::Raise.action(), Some(ProposalAction::RaiseThreshold));
        assert_eq!(Verdict::Hold.action(), None);
        assert_eq!(Verdict::TooFew { fires: 0, min_n: 1 }.action(), None);
        assert_eq!(ProposalAction::LowerThreshold.supporting_class(), Class::FalseNegative);
        assert_eq!(ProposalAction::RaiseThreshold.supporting_class(), Class::FalsePositive);
        for (action, name) in [
            (ProposalAction::LowerThreshold, "lower-threshold"),
            (ProposalAction::RaiseThreshold, "raise-threshold"),
        ] {
            assert_eq!(action.as_str(), name);
            assert_eq!(name.parse::<ProposalAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), serde_json::json!(name));
        }
    }
}
