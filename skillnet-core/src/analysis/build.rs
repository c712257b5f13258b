//! Assembling the `analyze` report from per-trigger counts.
//!
//! The inputs are what SQL aggregates give: one [`Confusion`] per trigger, one per trigger and tag
//! band, and the plan ids behind a verdict, fetched through a callback only for the few triggers
//! whose verdict needs them. Every rule (verdict, notch, skew, ordering) is applied here, so the
//! SQL path and the in-memory [`super::evaluate()`] path produce the same document.

use std::collections::BTreeMap;

use super::classify::Class;
use super::confusion::Confusion;
use super::report::{
    AnalysisReport, ProposalSuggestion, SkewWarning, ThresholdSource, TriggerReport, SCHEMA_VERSION,
};
use super::skew::{skew_warning, SKEW_TAG_KEYS};
use super::verdict::{proposed_threshold, verdict};
use crate::catalog;
use crate::tag::Tag;

/// Everything [`build_report`] needs besides the supporting plan ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    /// When the analysis runs, in unix seconds, from the caller's clock.
    pub analyzed_at: i64,
    /// The minimum number of fires before a trigger is judged (default
    /// [`super::DEFAULT_MIN_N`]).
    pub min_n: u64,
    /// The filter tag pairs, in the order given; repeated keys are kept.
    pub filter_tags: Vec<Tag>,
    /// One entry per trigger with at least one analysed row, in any order; names are unique.
    pub triggers: Vec<TriggerInput>,
    /// Counts per trigger and tag band for the skew check: for each key of
    /// [`SKEW_TAG_KEYS`] and each of its values, the trigger's counts over the analysed plans
    /// carrying that tag. Leave empty when `filter_tags` is not (they are ignored then); bands of
    /// other keys and of triggers not in `triggers` are ignored too.
    pub bands: Vec<BandInput>,
}

/// One trigger's counts and threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerInput {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// Its rows' counts per class.
    pub confusion: Confusion,
    /// The threshold in force: an accepted proposal's, else the catalog default, else (custom
    /// trigger) the threshold recorded with its newest plan.
    pub current_threshold: f64,
    /// Where `current_threshold` came from: `Some(ThresholdSource::Default)` for a catalog
    /// default, [`ThresholdSource::accepted_proposal`] for an accepted proposal, `None` when it
    /// was observed on the newest plan of a custom trigger.
    pub threshold_source: Option<ThresholdSource>,
}

/// One trigger's counts over the plans of one tag band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandInput {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// The band's tag key: one of [`SKEW_TAG_KEYS`].
    pub tag_key: String,
    /// The band's tag value.
    pub tag_value: String,
    /// The trigger's counts over the band's plans.
    pub confusion: Confusion,
}

/// Builds the `analyze` report.
///
/// Triggers and proposals are sorted by name; a proposal is made for every lower or raise verdict.
/// `supporting_plan_ids(trigger, class)` is called once for each of those triggers, with
/// [`Class::FalseNegative`] for a lower verdict and [`Class::FalsePositive`] for a raise, and
/// returns those plan ids (the store orders them by plan creation time, then by when each plan was last recorded); it is never called for
/// `hold` or too few fires, so a store only queries ids it will print. Skew warnings are computed
/// only when `filter_tags` is empty, and sorted by tag key (in [`SKEW_TAG_KEYS`] order), tag value
/// and trigger.
///
/// # Errors
///
/// The first error `supporting_plan_ids` returns.
///
/// ```
/// use std::convert::Infallible;
/// use skillnet_core::analysis::{build_report, Confusion, ReportInput, ThresholdSource, TriggerInput};
///
/// let input = ReportInput {
///     analyzed_at: 1_779_624_000,
///     min_n: 10,
///     filter_tags: vec![],
///     triggers: vec![TriggerInput {
///         trigger: "long-serial-chain".into(),
///         // signal (2 - 10) / 12 < 0, fire rate 12 / 12: raise.
///         confusion: Confusion { true_positives: 2, false_positives: 10, ..Confusion::default() },
///         current_threshold: 4.0,
///         threshold_source: Some(ThresholdSource::Default),
///     }],
///     bands: vec![],
/// };
/// let report = build_report(input, |_trigger, _class| Ok::<_, Infallible>(vec!["p1".into()])).unwrap();
/// assert_eq!(report.triggers[0].verdict, skillnet_core::analysis::Verdict::Raise);
/// assert_eq!(report.triggers[0].verdict_text(), "raise threshold (4->5)");
/// assert_eq!(report.proposals[0].proposed_threshold, 5.0);
/// ```
pub fn build_report<E, F>(input: ReportInput, mut supporting_plan_ids: F) -> Result<AnalysisReport, E>
where
    F: FnMut(&str, Class) -> Result<Vec<String>, E>,
{
    let ReportInput { analyzed_at, min_n, filter_tags, mut triggers, bands } = input;
    triggers.sort_by(|a, b| a.trigger.cmp(&b.trigger));

    let mut trigger_reports = Vec::with_capacity(triggers.len());
    let mut proposals = Vec::new();
    for input in &triggers {
        let (report, proposal) = judge(input, min_n, &mut supporting_plan_ids)?;
        trigger_reports.push(report);
        proposals.extend(proposal);
    }

    let skew_warnings =
        if filter_tags.is_empty() { skew_warnings(&triggers, min_n, &bands) } else { Vec::new() };

    Ok(AnalysisReport {
        schema_version: SCHEMA_VERSION,
        analyzed_at,
        min_n,
        dataset_size: triggers.iter().map(|t| t.confusion.total()).sum(),
        filter_tags_applied: filter_tags.clone(),
        filter_tags,
        triggers: trigger_reports,
        proposals,
        skew_warnings,
    })
}

/// The report line of one trigger and, for a lower or raise verdict, its proposal.
fn judge<E>(
    input: &TriggerInput,
    min_n: u64,
    supporting_plan_ids: &mut impl FnMut(&str, Class) -> Result<Vec<String>, E>,
) -> Result<(TriggerReport, Option<ProposalSuggestion>), E> {
    let TriggerInput { trigger, confusion: c, current_threshold, threshold_source } = input;
    let (signal_rate, verdict) = verdict(c, min_n);
    let fire_rate = c.fire_rate();
    let mut proposal = None;
    let mut supporting = Vec::new();
    let proposed = proposed_threshold(trigger, *current_threshold, verdict);
    if let (Some(action), Some(signal_rate), Some(proposed_threshold)) =
        (verdict.action(), signal_rate, proposed)
    {
        supporting = supporting_plan_ids(trigger, action.supporting_class())?;
        proposal = Some(ProposalSuggestion {
            trigger: trigger.clone(),
            action,
            current_threshold: *current_threshold,
            proposed_threshold,
            fire_rate,
            signal_rate,
            supporting_plan_ids: supporting.clone(),
        });
    }
    let report = TriggerReport {
        trigger: trigger.clone(),
        fires: c.fires(),
        misses: c.misses(),
        fire_rate,
        signal_rate,
        verdict,
        proposed_threshold: verdict.action().and(proposed),
        default_threshold: catalog::heuristic(trigger).map(|h| h.default_threshold),
        current_threshold: Some(*current_threshold),
        threshold_source: threshold_source.clone(),
        true_positives: c.true_positives,
        false_positives: c.false_positives,
        false_negatives: c.false_negatives,
        true_negatives: c.true_negatives,
        supporting_plan_ids: supporting,
    };
    Ok((report, proposal))
}

/// The skew warnings of every band, in report order.
fn skew_warnings(triggers: &[TriggerInput], min_n: u64, bands: &[BandInput]) -> Vec<SkewWarning> {
    let global: BTreeMap<&str, &Confusion> =
        triggers.iter().map(|t| (t.trigger.as_str(), &t.confusion)).collect();
    let mut warnings: Vec<(usize, SkewWarning)> = bands
        .iter()
        .filter_map(|band| {
            let key_rank = SKEW_TAG_KEYS.iter().position(|key| *key == band.tag_key)?;
            let global = global.get(band.trigger.as_str())?;
            let warning =
                skew_warning(&band.trigger, &band.tag_key, &band.tag_value, global, min_n, &band.confusion)?;
            Some((key_rank, warning))
        })
        .collect();
    warnings.sort_by(|(rank_a, a), (rank_b, b)| {
        (rank_a, &a.tag_value, &a.trigger).cmp(&(rank_b, &b.tag_value, &b.trigger))
    });
    warnings.into_iter().map(|(_, warning)| warning).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::confusion::tests::c;
    use serde_json::json;
    use std::convert::Infallible;

    fn trigger(
        name: &str,
        confusion: Confusion,
        current: f64,
        source: Option<ThresholdSource>,
    ) -> TriggerInput {
        TriggerInput { trigger: name.into(), confusion, current_threshold: current, threshold_source: source }
    }

    fn band(trigger: &str, key: &str, value: &str, confusion: Confusion) -> BandInput {
        BandInput { trigger: trigger.into(), tag_key: key.into(), tag_value: value.into(), confusion }
    }

    /// Every verdict, a custom trigger, an accepted threshold and skew, against a hand-written
    /// document: field names, value types and every number.
    #[test]
    fn report_serializes_field_for_field() {
        let input = ReportInput {
            analyzed_at: 1_779_624_000,
            min_n: 10,
            filter_tags: vec![],
            // Deliberately out of order.
            triggers: vec![
                // fires 9 < 10: too few. fire rate 9/10 = 0.9.
                trigger("my-custom-heuristic", c(5, 4, 0, 1), 2.5, None),
                // fires 18, misses 2: fire rate 0.9; signal (13 - 5 - 2) / 20 = 0.3, FN 2: lower
                // by the half notch, 4 -> 3.5.
                trigger("trivial-phase-swamp", c(13, 5, 2, 0), 4.0, Some(ThresholdSource::Default)),
                // fires 60, misses 0: fire rate 1; signal (45 - 15) / 60 = 0.5, FN 0: hold.
                trigger("risk-concentration", c(45, 15, 0, 0), 2.0, Some(ThresholdSource::Default)),
                // fires 12, misses 0: fire rate 1; signal (2 - 10) / 12 = -2/3: raise, 5 -> 6.
                trigger(
                    "long-serial-chain",
                    c(2, 10, 0, 0),
                    5.0,
                    Some(ThresholdSource::accepted_proposal(7, 1_779_624_000)),
                ),
            ],
            bands: vec![
                // Signal (27 - 3) / 30 = 0.8: exactly 0.3 from 0.5, no warning.
                band("risk-concentration", "worktype", "refactor", c(27, 3, 0, 0)),
                // Signal (18 - 12) / 30 = 0.2: exactly 0.3 from 0.5, no warning.
                band("risk-concentration", "worktype", "migration", c(18, 12, 0, 0)),
                // Signal (15 - 15) / 30 = 0: 0.5 from 0.5, warning.
                band("risk-concentration", "flavor", "codex", c(15, 15, 0, 0)),
                // Signal 30 / 30 = 1: 0.5 from 0.5, warning.
                band("risk-concentration", "flavor", "claude", c(30, 0, 0, 0)),
                // Not a skew key: ignored.
                band("risk-concentration", "scope", "single-repo", c(15, 15, 0, 0)),
                // No such trigger in the report: ignored.
                band("mechanical-streak", "flavor", "codex", c(0, 30, 0, 0)),
                // Only 18 fires in the band: no warning.
                band("trivial-phase-swamp", "flavor", "codex", c(0, 18, 0, 0)),
            ],
        };
        let mut calls = Vec::new();
        let report = build_report(input, |trigger, class| {
            calls.push((trigger.to_owned(), class));
            Ok::<_, Infallible>(match class {
                Class::FalseNegative => vec![format!("{trigger}-fn-1"), format!("{trigger}-fn-2")],
                _ => vec![format!("{trigger}-fp-1")],
            })
        })
        .unwrap();
        assert_eq!(
            calls,
            [
                ("long-serial-chain".to_owned(), Class::FalsePositive),
                ("trivial-phase-swamp".to_owned(), Class::FalseNegative)
            ],
        );
        let expected = json!({
            "schema_version": 1,
            "analyzed_at": "2026-05-24 12:00:00",
            "min_n": 10,
            // 12 + 10 + 60 + 20
            "dataset_size": 102,
            "filter_tags": [],
            "filter_tags_applied": [],
            "triggers": [
                {
                    "trigger": "long-serial-chain",
                    "fires": 12,
                    "misses": 0,
                    "fire_rate": 1.0,
                    "signal_rate": -2.0 / 3.0,
                    "verdict": "raise threshold (5->6)",
                    "default_threshold": 4.0,
                    "current_threshold": 5.0,
                    "threshold_source": {
                        "type": "override",
                        "updated_at": "2026-05-24 12:00:00",
                        "updated_by": "proposal:7"
                    },
                    "true_positives": 2,
                    "false_positives": 10,
                    "false_negatives": 0,
                    "true_negatives": 0,
                    "supporting_plan_ids": ["long-serial-chain-fp-1"]
                },
                {
                    "trigger": "my-custom-heuristic",
                    "fires": 9,
                    "misses": 1,
                    "fire_rate": 0.9,
                    "signal_rate": null,
                    "verdict": "n=9 < min-n=10",
                    "default_threshold": null,
                    "current_threshold": 2.5,
                    "threshold_source": null,
                    "true_positives": 5,
                    "false_positives": 4,
                    "false_negatives": 0,
                    "true_negatives": 1,
                    "supporting_plan_ids": []
                },
                {
                    "trigger": "risk-concentration",
                    "fires": 60,
                    "misses": 0,
                    "fire_rate": 1.0,
                    "signal_rate": 0.5,
                    "verdict": "hold",
                    "default_threshold": 2.0,
                    "current_threshold": 2.0,
                    "threshold_source": {"type": "default"},
                    "true_positives": 45,
                    "false_positives": 15,
                    "false_negatives": 0,
                    "true_negatives": 0,
                    "supporting_plan_ids": []
                },
                {
                    "trigger": "trivial-phase-swamp",
                    "fires": 18,
                    "misses": 2,
                    "fire_rate": 0.9,
                    "signal_rate": 0.3,
                    "verdict": "lower threshold (4->3.5)",
                    "default_threshold": 4.0,
                    "current_threshold": 4.0,
                    "threshold_source": {"type": "default"},
                    "true_positives": 13,
                    "false_positives": 5,
                    "false_negatives": 2,
                    "true_negatives": 0,
                    "supporting_plan_ids": ["trivial-phase-swamp-fn-1", "trivial-phase-swamp-fn-2"]
                }
            ],
            "proposals": [
                {
                    "trigger": "long-serial-chain",
                    "action": "raise-threshold",
                    "current_threshold": 5.0,
                    "proposed_threshold": 6.0,
                    "fire_rate": 1.0,
                    "signal_rate": -2.0 / 3.0,
                    "supporting_plan_ids": ["long-serial-chain-fp-1"]
                },
                {
                    "trigger": "trivial-phase-swamp",
                    "action": "lower-threshold",
                    "current_threshold": 4.0,
                    "proposed_threshold": 3.5,
                    "fire_rate": 0.9,
                    "signal_rate": 0.3,
                    "supporting_plan_ids": ["trivial-phase-swamp-fn-1", "trivial-phase-swamp-fn-2"]
                }
            ],
            "skew_warnings": [
                {
                    "trigger": "risk-concentration",
                    "tag_key": "flavor",
                    "tag_value": "claude",
                    "global_signal_rate": 0.5,
                    "band_signal_rate": 1.0,
                    "band_fires": 30,
                    "message": "trigger risk-concentration shows skew across flavor: signal +1.00 over 30 \
                                fires where flavor=claude against +0.50 overall; consider per-band thresholds"
                },
                {
                    "trigger": "risk-concentration",
                    "tag_key": "flavor",
                    "tag_value": "codex",
                    "global_signal_rate": 0.5,
                    "band_signal_rate": 0.0,
                    "band_fires": 30,
                    "message": "trigger risk-concentration shows skew across flavor: signal +0.00 over 30 \
                                fires where flavor=codex against +0.50 overall; consider per-band thresholds"
                }
            ]
        });
        let actual = serde_json::to_value(&report).unwrap();
        assert_eq!(actual, expected);
        // And the document reads back into the same report.
        assert_eq!(serde_json::from_value::<AnalysisReport>(actual).unwrap(), report);
    }

    #[test]
    fn filter_tags_are_a_list_of_pairs_and_turn_skew_off() {
        let filter_tags: Vec<Tag> =
            ["flavor=codex", "team=infra", "team=core"].iter().map(|t| t.parse().unwrap()).collect();
        let input = ReportInput {
            analyzed_at: 0,
            min_n: 1,
            filter_tags,
            // fires 30: signal (30 - 0) / 30 = 1.
            triggers: vec![trigger(
                "risk-concentration",
                c(30, 0, 0, 0),
                2.0,
                Some(ThresholdSource::Default),
            )],
            // Would warn without filter tags: signal -1 over 30 fires.
            bands: vec![band("risk-concentration", "flavor", "codex", c(0, 30, 0, 0))],
        };
        let report =
            build_report(input, |_, _| -> Result<Vec<String>, Infallible> { unreachable!("hold") }).unwrap();
        let json = serde_json::to_value(&report).unwrap();
        let pairs = json!([
            {"key": "flavor", "value": "codex"},
            {"key": "team", "value": "infra"},
            {"key": "team", "value": "core"},
        ]);
        assert_eq!(json["filter_tags"], pairs);
        assert_eq!(json["filter_tags_applied"], pairs);
        assert_eq!(json["skew_warnings"], json!([]));
        assert_eq!(json["analyzed_at"], json!("1970-01-01 00:00:00"));
    }

    #[test]
    fn an_empty_history_gives_an_empty_report() {
        let input =
            ReportInput { analyzed_at: 0, min_n: 10, filter_tags: vec![], triggers: vec![], bands: vec![] };
        let report =
            build_report(input, |_, _| -> Result<Vec<String>, Infallible> { unreachable!() }).unwrap();
        assert_eq!(report.dataset_size, 0);
        assert!(report.triggers.is_empty() && report.proposals.is_empty() && report.skew_warnings.is_empty());
    }

    #[test]
    fn a_failing_id_lookup_fails_the_report() {
        let input = ReportInput {
            analyzed_at: 0,
            min_n: 1,
            filter_tags: vec![],
            // signal (0 - 3) / 3 = -1, fire rate 1: raise, so ids are looked up.
            triggers: vec![trigger("long-serial-chain", c(0, 3, 0, 0), 4.0, Some(ThresholdSource::Default))],
            bands: vec![],
        };
        assert_eq!(build_report(input, |_, _| Err("database unavailable")), Err("database unavailable"));
    }
}
