//! Classifying one analysis row: one trigger of one plan, judged by the plan's newest verification.
//!
//! A fired trigger is a true positive when it helped and a false positive otherwise; a trigger that
//! did not fire is a false negative when the plan hit the failure it guards against and a true
//! negative otherwise. The store classifies each row with [`Verified::classify`] when the plan or
//! its verification is written (see the [module docs](super#how-the-store-uses-these-rules));
//! [`super::evaluate()`] evaluates the same rules in memory.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::surprise::{surprise_marks, SurpriseMarks};
use crate::transition::text_enum;
use crate::verification::{Outcome, Verification};

/// One trigger of one verified plan, with what the newest verification says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation<'a> {
    /// The trigger (heuristic) name.
    pub trigger: &'a str,
    /// Whether the trigger fired when the plan was written.
    pub fired: bool,
    /// The section the firing made the author add, if any.
    pub section_added: Option<&'a str>,
    /// The outcome of the plan's newest verification.
    pub outcome: Outcome,
    /// Whether that verification's surprises mark this trigger `dead-weight`
    /// (see [`super::surprise_marks`]).
    pub dead_weight: bool,
    /// Whether that verification's surprises mark this trigger `missed-signal`.
    pub missed_signal: bool,
    /// That verification's emergency changes, as the serialized JSON text the store keeps;
    /// `None` when there were none.
    pub emergency_changes: Option<&'a str>,
}

/// Whether the plan hit the failure this trigger guards against: the verifier marked it
/// `missed-signal`, or the emergency changes text contains the trigger's name, or it contains the
/// row's `section_added` (when there is one).
///
/// "Contains" is a plain, case-sensitive substring test on the serialized text (not SQL `LIKE`,
/// which ignores ASCII case in SQLite and treats `%` and `_` as wildcards). An empty
/// `section_added` is contained in every emergency text.
pub fn failure_mode(o: &Observation<'_>) -> bool {
    o.missed_signal
        || o.emergency_changes.is_some_and(|emergency| {
            emergency.contains(o.trigger)
                || o.section_added.is_some_and(|section| emergency.contains(section))
        })
}

/// Whether a firing helped: the trigger fired, the plan shipped or partly shipped, and the verifier
/// did not mark the trigger `dead-weight`.
pub fn helpful(o: &Observation<'_>) -> bool {
    o.fired && matches!(o.outcome, Outcome::Shipped | Outcome::Partial) && !o.dead_weight
}

/// The confusion-matrix cell of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Fired and helped.
    TruePositive,
    /// Fired and did not help: the plan was abandoned or the section was dead weight.
    FalsePositive,
    /// Did not fire, and the plan hit the failure the trigger guards against.
    FalseNegative,
    /// Did not fire, and nothing suggests it should have.
    TrueNegative,
}

text_enum!(Class, "confusion class", [
    TruePositive => "true-positive",
    FalsePositive => "false-positive",
    FalseNegative => "false-negative",
    TrueNegative => "true-negative",
]);

impl Class {
    /// Whether rows of this class are firings (true and false positives).
    pub const fn fired(self) -> bool {
        matches!(self, Class::TruePositive | Class::FalsePositive)
    }
}

/// Classifies one row: fired rows are [`Class::TruePositive`] when [`helpful`], else
/// [`Class::FalsePositive`]; other rows are [`Class::FalseNegative`] when [`failure_mode`], else
/// [`Class::TrueNegative`].
pub fn classify(o: &Observation<'_>) -> Class {
    if o.fired {
        if helpful(o) {
            Class::TruePositive
        } else {
            Class::FalsePositive
        }
    } else if failure_mode(o) {
        Class::FalseNegative
    } else {
        Class::TrueNegative
    }
}

/// A plan's newest verification, read once for classifying each of the plan's triggers: its
/// outcome, its [surprise marks](super::surprise_marks) and its emergency changes serialized as
/// compact JSON (`serde_json`, keys sorted), the text [`failure_mode`] searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    outcome: Outcome,
    marks: SurpriseMarks,
    emergency_changes: Option<String>,
}

impl Verified {
    /// Reads `verification`.
    ///
    /// ```
    /// use skillnet_core::analysis::{Class, Verified};
    /// use skillnet_core::{Outcome, Verification};
    ///
    /// let verification = Verification {
    ///     verified_at: 1_779_624_000,
    ///     elapsed_seconds: None,
    ///     outcome: Outcome::Shipped,
    ///     phase_outcomes: Default::default(),
    ///     emergency_changes: Some(serde_json::json!({"hotfix": "long-serial-chain broke"})),
    ///     surprises: Some("dead-weight: risk-concentration: nobody read it".into()),
    /// };
    /// let verified = Verified::new(&verification);
    /// assert_eq!(verified.classify("risk-concentration", true, None), Class::FalsePositive);
    /// assert_eq!(verified.classify("long-serial-chain", false, None), Class::FalseNegative);
    /// assert_eq!(verified.classify("convergence-point", true, None), Class::TruePositive);
    /// ```
    pub fn new(verification: &Verification) -> Self {
        Self {
            outcome: verification.outcome,
            marks: verification.surprises.as_deref().map(surprise_marks).unwrap_or_default(),
            emergency_changes: verification.emergency_changes.as_ref().map(|v| v.to_string()),
        }
    }

    /// The observation of one trigger row of the plan.
    pub fn observation<'a>(
        &'a self,
        trigger: &'a str,
        fired: bool,
        section_added: Option<&'a str>,
    ) -> Observation<'a> {
        Observation {
            trigger,
            fired,
            section_added,
            outcome: self.outcome,
            dead_weight: self.marks.dead_weight.contains(trigger),
            missed_signal: self.marks.missed_signal.contains(trigger),
            emergency_changes: self.emergency_changes.as_deref(),
        }
    }

    /// The class of one trigger row of the plan: [`classify`] of its [`observation`](Self::observation).
    pub fn classify(&self, trigger: &str, fired: bool, section_added: Option<&str>) -> Class {
        classify(&self.observation(trigger, fired, section_added))
    }
}

impl fmt::Display for Observation<'_> {
    /// A one-line summary for test failures and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} fired={} section={:?} outcome={} dead-weight={} missed-signal={} emergency={:?}",
            self.trigger,
            self.fired,
            self.section_added,
            self.outcome,
            self.dead_weight,
            self.missed_signal,
            self.emergency_changes,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;
    use Outcome::*;

    fn row(fired: bool, outcome: Outcome, dead_weight: bool, missed_signal: bool) -> Observation<'static> {
        Observation {
            trigger: "long-serial-chain",
            fired,
            section_added: Some("Serial-chain recovery"),
            outcome,
            dead_weight,
            missed_signal,
            emergency_changes: None,
        }
    }

    /// Every combination of fired, outcome, dead-weight, missed-signal and an emergency text that
    /// names the trigger, with the class written out by hand.
    #[test]
    fn classify_covers_every_combination() {
        // (fired, outcome, dead_weight, missed_signal, emergency names the trigger, expected)
        #[rustfmt::skip]
        let cases = [
            // Fired: helpful iff shipped/partial and not dead weight; failure-mode inputs don't matter.
            (true, Shipped, false, false, false, TruePositive),
            (true, Shipped, false, false, true, TruePositive),
            (true, Shipped, false, true, false, TruePositive),
            (true, Shipped, false, true, true, TruePositive),
            (true, Shipped, true, false, false, FalsePositive),
            (true, Shipped, true, false, true, FalsePositive),
            (true, Shipped, true, true, false, FalsePositive),
            (true, Shipped, true, true, true, FalsePositive),
            (true, Partial, false, false, false, TruePositive),
            (true, Partial, false, false, true, TruePositive),
            (true, Partial, false, true, false, TruePositive),
            (true, Partial, false, true, true, TruePositive),
            (true, Partial, true, false, false, FalsePositive),
            (true, Partial, true, false, true, FalsePositive),
            (true, Partial, true, true, false, FalsePositive),
            (true, Partial, true, true, true, FalsePositive),
            (true, Abandoned, false, false, false, FalsePositive),
            (true, Abandoned, false, false, true, FalsePositive),
            (true, Abandoned, false, true, false, FalsePositive),
            (true, Abandoned, false, true, true, FalsePositive),
            (true, Abandoned, true, false, false, FalsePositive),
            (true, Abandoned, true, false, true, FalsePositive),
            (true, Abandoned, true, true, false, FalsePositive),
            (true, Abandoned, true, true, true, FalsePositive),
            // Not fired: false negative iff missed signal or emergency match; outcome and dead
            // weight don't matter.
            (false, Shipped, false, false, false, TrueNegative),
            (false, Shipped, false, false, true, FalseNegative),
            (false, Shipped, false, true, false, FalseNegative),
            (false, Shipped, false, true, true, FalseNegative),
            (false, Shipped, true, false, false, TrueNegative),
            (false, Shipped, true, false, true, FalseNegative),
            (false, Shipped, true, true, false, FalseNegative),
            (false, Shipped, true, true, true, FalseNegative),
            (false, Partial, false, false, false, TrueNegative),
            (false, Partial, false, false, true, FalseNegative),
            (false, Partial, false, true, false, FalseNegative),
            (false, Partial, false, true, true, FalseNegative),
            (false, Partial, true, false, false, TrueNegative),
            (false, Partial, true, false, true, FalseNegative),
            (false, Partial, true, true, false, FalseNegative),
            (false, Partial, true, true, true, FalseNegative),
            (false, Abandoned, false, false, false, TrueNegative),
            (false, Abandoned, false, false, true, FalseNegative),
            (false, Abandoned, false, true, false, FalseNegative),
            (false, Abandoned, false, true, true, FalseNegative),
            (false, Abandoned, true, false, false, TrueNegative),
            (false, Abandoned, true, false, true, FalseNegative),
            (false, Abandoned, true, true, false, FalseNegative),
            (false, Abandoned, true, true, true, FalseNegative),
        ];
        assert_eq!(cases.len(), 2 * 3 * 2 * 2 * 2);
        for (fired, outcome, dead_weight, missed_signal, emergency, expected) in cases {
            let mut o = row(fired, outcome, dead_weight, missed_signal);
            if emergency {
                o.emergency_changes = Some(r#"{"added":"long-serial-chain guard"}"#);
            }
            assert_eq!(classify(&o), expected, "{o}");
            assert_eq!(expected.fired(), fired, "{o}");
            assert_eq!(helpful(&o), expected == TruePositive, "{o}");
        }
    }

    #[test]
    fn failure_mode_substring_rules() {
        let name = "risk-late-in-plan";
        let section = "Late-risk warning";
        // (missed_signal, section_added, emergency text, expected failure_mode)
        #[rustfmt::skip]
        let cases: &[(bool, Option<&str>, Option<&str>, bool)] = &[
            (false, Some(section), None, false),
            (true, Some(section), None, true),
            (true, None, None, true),
            // The name anywhere in the text, in keys or values or as a part of a longer word.
            (false, None, Some(r#"{"risk-late-in-plan":true}"#), true),
            (false, None, Some(r#"["moved risk-late-in-plan work earlier"]"#), true),
            (false, None, Some(r#"["xrisk-late-in-planx"]"#), true),
            // The section, when there is one.
            (false, Some(section), Some(r#"["added a Late-risk warning"]"#), true),
            (false, None, Some(r#"["added a Late-risk warning"]"#), false),
            // Case-sensitive, no wildcards, no trimming or normalising.
            (false, Some(section), Some(r#"["RISK-LATE-IN-PLAN"]"#), false),
            (false, Some(section), Some(r#"["late-risk warning"]"#), false),
            (false, Some(section), Some(r#"["risk_late_in_plan"]"#), false),
            (false, Some(section), Some(r#"["risk-late in-plan"]"#), false),
            (false, Some(section), Some(r#"["Late-risk  warning"]"#), false),
            (false, Some(section), Some("null"), false),
            (false, Some(section), Some(""), false),
            // An empty section is contained in every text, even an empty one.
            (false, Some(""), Some("{}"), true),
            (false, Some(""), Some(""), true),
            (false, Some(""), None, false),
        ];
        for &(missed_signal, section_added, emergency_changes, expected) in cases {
            let o = Observation {
                trigger: name,
                fired: false,
                section_added,
                outcome: Shipped,
                dead_weight: false,
                missed_signal,
                emergency_changes,
            };
            assert_eq!(failure_mode(&o), expected, "{o}");
            assert_eq!(classify(&o), if expected { FalseNegative } else { TrueNegative }, "{o}");
        }
    }

    #[test]
    fn section_with_json_special_characters_matches_its_serialized_form_only() {
        // serde_json writes `&` as is but escapes `"`: the rule matches the stored text.
        let o = Observation {
            trigger: "ownership-boundary-spread",
            fired: false,
            section_added: Some("PR sequencing & cross-owner coordination"),
            outcome: Partial,
            dead_weight: false,
            missed_signal: false,
            emergency_changes: Some(r#"{"note":"PR sequencing & cross-owner coordination"}"#),
        };
        assert!(failure_mode(&o));
        let quoted = Observation {
            section_added: Some(r#"the "big" merge"#),
            emergency_changes: Some(r#"{"note":"the \"big\" merge"}"#),
            ..o
        };
        assert!(!failure_mode(&quoted));
    }

    #[test]
    fn classes_round_trip_through_text_and_serde() {
        let cases = [
            (TruePositive, "true-positive"),
            (FalsePositive, "false-positive"),
            (FalseNegative, "false-negative"),
            (TrueNegative, "true-negative"),
        ];
        assert_eq!(Class::ALL, cases.map(|(class, _)| class));
        for (class, name) in cases {
            assert_eq!(class.as_str(), name);
            assert_eq!(name.parse::<Class>(), Ok(class));
            assert_eq!(serde_json::to_value(class).unwrap(), serde_json::json!(name));
        }
    }
}
