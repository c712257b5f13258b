//! The analysis rules: which heuristics earn their place, and which thresholds to move.
//!
//! The analysis judges every trigger over the plans that have a verification
//! (the newest one counts), after the trigger and filter tag filters. The rules live here,
//! once, as pure functions; the store runs the per-row part in SQL and hands the counts back, so
//! the analysis needs the same memory for a thousand plans as for a million.
//!
//! # The rules
//!
//! 1. **Surprise marks** ([`surprise_marks`]): a verification's surprises line
//!    `dead-weight: <trigger>: ...` says the trigger's section did not help;
//!    `missed-signal: <trigger>: ...` says it should have fired.
//! 2. **Rows** ([`classify()`]): a row is one trigger of one plan. A fired row is a true positive
//!    when [`helpful`] (shipped or partial, not dead weight), else a false positive. A row that did
//!    not fire is a false negative when [`failure_mode`] (missed signal, or the emergency changes
//!    text contains the trigger name or the row's section), else a true negative.
//! 3. **Counts** ([`Confusion`]): `fires = TP + FP`, `misses = FN + TN`,
//!    `fire_rate = fires / (fires + misses)` (0 when empty),
//!    `signal_rate = (TP - FP - FN) / max(1, TP + FP + FN)`.
//! 4. **Verdict** ([`verdict()`]): with fewer than `min_n` fires (default [`DEFAULT_MIN_N`]) the
//!    signal rate is `null` and the verdict `n=<fires> < min-n=<min_n>`. Otherwise *lower* one
//!    notch when `signal_rate >= 0.3` and `FN >= 2` (evidence: the false-negative plans), *raise*
//!    one notch when `signal_rate <= 0` and `fire_rate >= 0.5` (evidence: the false-positive
//!    plans), else *hold*. The notch ([`crate::catalog::notch`]) is 0.5 for the ratio heuristic
//!    `trivial-phase-swamp` and 1.0 otherwise ([`proposed_threshold`]).
//! 5. **Skew** ([`skew_warning`]): without filter tags, each `flavor` and `worktype` band
//!    ([`SKEW_TAG_KEYS`]) is judged with `min_n = 1`; a band with at least 30 fires whose signal
//!    differs from the overall (non-null) signal by more than 0.3 gets a warning.
//! 6. **Report** ([`build_report`]): the analysis report's JSON document, schema_version 1
//!    ([`AnalysisReport`]), field for field and value for value as skillnet 0.6 wrote it.
//!
//! # How the store uses these rules
//!
//! Whenever a plan or a verification is written, the store classifies each trigger row of the
//! plan under its newest verification with [`Verified::classify`] and keeps the [`Class`] on the
//! row (its text is [`Class::as_str`]), so no query parses text or repeats a rule. At analyze
//! time one SQL aggregate counts the rows per trigger, class and `flavor`/`worktype` band; each
//! count goes into a [`Confusion`] with [`Confusion::add_count`], the band counts become the
//! [`BandInput`]s, and [`build_report`] applies the verdict, notch and skew rules and calls back
//! for the supporting plan ids of the few triggers whose verdict is to lower or raise, so only
//! those ids are ever loaded.
//!
//! [`evaluate()`] is the same classification done row by row in memory: the reference that the
//! store's SQL path is tested against on random histories.
//!
//! # Example
//!
//! ```
//! use std::convert::Infallible;
//! use skillnet_core::analysis::{
//!     build_report, evaluate, surprise_marks, Observation, ReportInput, ThresholdSource, TriggerInput,
//! };
//! use skillnet_core::Outcome;
//!
//! // Three verified plans, one trigger each.
//! let marks = surprise_marks("missed-signal: long-serial-chain: the chain broke twice");
//! let row = |fired, outcome, missed_signal| Observation {
//!     trigger: "long-serial-chain",
//!     fired,
//!     section_added: fired.then_some("Serial-chain recovery"),
//!     outcome,
//!     dead_weight: false,
//!     missed_signal,
//!     emergency_changes: None,
//! };
//! let rows = [
//!     ("p1", row(true, Outcome::Shipped, false)),
//!     ("p2", row(true, Outcome::Abandoned, false)),
//!     ("p3", row(false, Outcome::Partial, marks.missed_signal.contains("long-serial-chain"))),
//! ];
//! let evaluations = evaluate(rows);
//! let input = ReportInput {
//!     analyzed_at: 1_779_624_000,
//!     min_n: 10,
//!     filter_tags: vec![],
//!     triggers: evaluations
//!         .iter()
//!         .map(|(trigger, e)| TriggerInput {
//!             trigger: trigger.clone(),
//!             confusion: e.confusion,
//!             current_threshold: 4.0,
//!             threshold_source: Some(ThresholdSource::Default),
//!         })
//!         .collect(),
//!     bands: vec![],
//! };
//! let report = build_report(input, |trigger, class| {
//!     Ok::<_, Infallible>(evaluations[trigger].plan_ids(class).to_vec())
//! })
//! .unwrap();
//! assert_eq!(report.dataset_size, 3);
//! assert_eq!(report.triggers[0].verdict_text(), "n=2 < min-n=10");
//! assert_eq!(report.triggers[0].signal_rate, None);
//! assert!(report.proposals.is_empty());
//! ```

mod build;
mod classify;
mod confusion;
mod evaluate;
mod report;
mod skew;
mod surprise;
mod verdict;

pub use build::{build_report, BandInput, ReportInput, TriggerInput};
pub use classify::{classify, failure_mode, helpful, Class, Observation, Verified};
pub use confusion::Confusion;
pub use evaluate::{evaluate, Evaluation};
pub use report::{
    days_from_civil, days_in_month, format_utc_timestamp, parse_utc_timestamp, AnalysisReport,
    ProposalSuggestion, SkewWarning, ThresholdSource, TriggerReport, SCHEMA_VERSION,
};
pub use skew::{skew_warning, SKEW_MIN_BAND_FIRES, SKEW_MIN_DIFFERENCE, SKEW_TAG_KEYS};
pub use surprise::{surprise_marks, SurpriseMarks, DEAD_WEIGHT, MISSED_SIGNAL};
pub use verdict::{proposed_threshold, verdict, ProposalAction, Verdict, DEFAULT_MIN_N};

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;
    use crate::verification::Outcome::{self, *};

    /// One verified plan: id, outcome, surprises, emergency changes (serialized), and the triggers
    /// that fired on it.
    type PlanRow = (&'static str, Outcome, &'static str, Option<&'static str>, &'static [&'static str]);

    /// From surprises text to report, through the in-memory path, with every class worked out by
    /// hand in the comments.
    #[test]
    fn rows_to_report_by_hand() {
        const CP: &str = "convergence-point"; // section "Merge-readiness checklist"
        const HP: &str = "hidden-prerequisite"; // no section
        #[rustfmt::skip]
        let plans: [PlanRow; 8] = [
            // CP fired, shipped: TP.       HP not fired: TN.
            ("p01", Shipped, "", None, &[CP]),
            // CP fired, partial: TP.       HP fired, dead weight: FP.
            ("p02", Partial, "dead-weight: hidden-prerequisite: nobody read it", None, &[CP, HP]),
            // CP fired, shipped: TP.       HP not fired: TN.
            ("p03", Shipped, "", None, &[CP]),
            // CP not fired: TN.            HP fired, abandoned: FP.
            ("p04", Abandoned, "", None, &[HP]),
            // CP not fired, missed: FN.    HP fired, shipped: TP.
            ("p05", Shipped, "missed-signal: convergence-point: merge went badly", None, &[HP]),
            // CP not fired, section in emergency: FN.   HP not fired, not named: TN.
            ("p06", Partial, "", Some(r#"{"merge":"added a Merge-readiness checklist late"}"#), &[]),
            // CP not fired, not named: TN. HP fired, shipped: TP (the emergency text does not matter).
            ("p07", Shipped, "", Some(r#"{"hidden-prerequisite":"missing dependency"}"#), &[HP]),
            // CP fired, shipped: TP.       HP not fired: TN.
            ("p08", Shipped, "", None, &[CP]),
        ];
        let rows = plans.iter().flat_map(|&(id, outcome, surprises, emergency, fired)| {
            let marks = surprise_marks(surprises);
            [(CP, Some("Merge-readiness checklist")), (HP, None)].map(move |(trigger, section)| {
                let observation = Observation {
                    trigger,
                    fired: fired.contains(&trigger),
                    section_added: section,
                    outcome,
                    dead_weight: marks.dead_weight.contains(trigger),
                    missed_signal: marks.missed_signal.contains(trigger),
                    emergency_changes: emergency,
                };
                (id, observation)
            })
        });
        let evaluations = evaluate(rows.collect::<Vec<_>>());
        let input = ReportInput {
            analyzed_at: 1_779_624_000,
            min_n: 3,
            filter_tags: vec![],
            triggers: evaluations
                .iter()
                .map(|(trigger, e)| TriggerInput {
                    trigger: trigger.clone(),
                    confusion: e.confusion,
                    current_threshold: crate::catalog::heuristic(trigger).unwrap().default_threshold,
                    threshold_source: Some(ThresholdSource::Default),
                })
                .collect(),
            bands: vec![],
        };
        let report = build_report(input, |trigger, class| {
            Ok::<_, Infallible>(evaluations[trigger].plan_ids(class).to_vec())
        })
        .unwrap();

        let [cp, hp] = &report.triggers[..] else { panic!("two triggers: {:?}", report.triggers) };
        // CP: TP 4 (p01 p02 p03 p08), FP 0, FN 2 (p05 p06), TN 2 (p04 p07).
        // fire rate 4/8 = 0.5; signal (4 - 0 - 2) / 6 = 1/3 >= 0.3 and FN 2: lower 3 -> 2.
        assert_eq!(
            (
                cp.trigger.as_str(),
                cp.true_positives,
                cp.false_positives,
                cp.false_negatives,
                cp.true_negatives
            ),
            (CP, 4, 0, 2, 2),
        );
        assert_eq!((cp.fire_rate, cp.signal_rate), (0.5, Some(1.0 / 3.0)));
        assert_eq!(cp.verdict_text(), "lower threshold (3->2)");
        assert_eq!(cp.supporting_plan_ids, ["p05", "p06"]);
        // HP: TP 2 (p05 p07), FP 2 (p02 p04), FN 0, TN 4 (p01 p03 p06 p08).
        // fire rate 4/8 = 0.5; signal (2 - 2 - 0) / 4 = 0 <= 0: raise 1 -> 2.
        assert_eq!(
            (
                hp.trigger.as_str(),
                hp.true_positives,
                hp.false_positives,
                hp.false_negatives,
                hp.true_negatives
            ),
            (HP, 2, 2, 0, 4),
        );
        assert_eq!((hp.fire_rate, hp.signal_rate), (0.5, Some(0.0)));
        assert_eq!(hp.verdict_text(), "raise threshold (1->2)");
        assert_eq!(hp.supporting_plan_ids, ["p02", "p04"]);

        assert_eq!(report.dataset_size, 16);
        let proposals: Vec<_> = report
            .proposals
            .iter()
            .map(|p| (p.trigger.as_str(), p.action, p.current_threshold, p.proposed_threshold))
            .collect();
        assert_eq!(
            proposals,
            [(CP, ProposalAction::LowerThreshold, 3.0, 2.0), (HP, ProposalAction::RaiseThreshold, 1.0, 2.0)],
        );
    }
}
