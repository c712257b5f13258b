//! The analysis report and its JSON document, schema_version 1.
//!
//! skillnet 0.6 made this document SemVer-stable, and scripts read it: field names, field types,
//! the tagged form of `threshold_source`, the `action` values and the `verdict` wording are kept
//! exactly as 0.6 wrote them. New fields may be added; none may be removed, renamed or retyped.
//! [`super::build_report`] fills it; every type here also deserializes, so a consumer written in
//! Rust can read the output back (including output of skillnet 0.6).

use serde::{Deserialize, Serialize};

use super::verdict::{ProposalAction, Verdict};
use crate::tag::Tag;

/// The `schema_version` of the document this module describes.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole analysis report, as its JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisReport {
    /// Always [`SCHEMA_VERSION`] (1) for this layout.
    pub schema_version: u32,
    /// When the analysis ran (unix seconds). The JSON document writes it in UTC as
    /// `YYYY-MM-DD HH:MM:SS`, as 0.6 did ([`format_utc_timestamp`]).
    #[serde(with = "utc_text")]
    pub analyzed_at: i64,
    /// The minimum number of fires before a trigger is judged.
    pub min_n: u64,
    /// How many rows (one trigger of one verified plan) were analysed: the sum of
    /// `fires + misses` over `triggers`.
    pub dataset_size: u64,
    /// The filter tag pairs, in the order given (0.6's back-compatible copy).
    pub filter_tags: Vec<Tag>,
    /// The filter tag pairs that were applied (the canonical list; equal to `filter_tags`).
    pub filter_tags_applied: Vec<Tag>,
    /// One entry per trigger present in the analysed rows, sorted by name.
    pub triggers: Vec<TriggerReport>,
    /// One entry per trigger whose verdict is to lower or raise its threshold, sorted by name.
    pub proposals: Vec<ProposalSuggestion>,
    /// Triggers whose signal differs strongly in one `flavor` or `worktype` band; always empty
    /// when filter tags were given.
    pub skew_warnings: Vec<SkewWarning>,
}

/// The analysis of one trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "TriggerReportJson", try_from = "TriggerReportJson")]
pub struct TriggerReport {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// Rows where it fired.
    pub fires: u64,
    /// Rows where it did not fire.
    pub misses: u64,
    /// `fires / (fires + misses)`, 0 when there are no rows.
    pub fire_rate: f64,
    /// `(TP - FP - FN) / max(1, TP + FP + FN)`; `null` while `fires < min_n`.
    pub signal_rate: Option<f64>,
    /// What the analysis concludes. The JSON document writes it in 0.6's words
    /// ([`TriggerReport::verdict_text`]).
    pub verdict: Verdict,
    /// For a lower or raise verdict, the threshold it moves to; `None` otherwise. (The JSON
    /// document has it inside the verdict's words.)
    pub proposed_threshold: Option<f64>,
    /// The catalog default; `null` for a custom trigger.
    pub default_threshold: Option<f64>,
    /// The threshold in force: an accepted proposal's, else the catalog default, else (custom
    /// trigger) the threshold recorded with the newest plan. `null` only in 0.6 documents that had
    /// none.
    pub current_threshold: Option<f64>,
    /// Where `current_threshold` came from; `null` when it was observed on the newest recorded
    /// plan of a custom trigger (0.6 wrote `null` there too).
    pub threshold_source: Option<ThresholdSource>,
    /// Fired and helped.
    pub true_positives: u64,
    /// Fired and did not help.
    pub false_positives: u64,
    /// Did not fire, and should have.
    pub false_negatives: u64,
    /// Did not fire, and rightly so.
    pub true_negatives: u64,
    /// The plans behind a lower (false negatives) or raise (false positives) verdict; empty for
    /// `hold` and for too few fires.
    pub supporting_plan_ids: Vec<String>,
}

impl TriggerReport {
    /// The verdict in the JSON document's words (0.6's, which scripts match): `hold`,
    /// `lower threshold (<current>-><proposed>)`, `raise threshold (<current>-><proposed>)` or
    /// `n=<fires> < min-n=<min_n>`.
    pub fn verdict_text(&self) -> String {
        match (self.verdict.action(), self.proposed_threshold) {
            (Some(action), Some(proposed)) => format!(
                "{} ({}->{proposed})",
                action.verdict_prefix(),
                self.current_threshold.unwrap_or_default()
            ),
            _ => self.verdict.to_string(),
        }
    }

    /// The threshold change the verdict proposes, if any.
    pub fn action(&self) -> Option<ProposalAction> {
        self.verdict.action()
    }
}

/// [`TriggerReport`] as the JSON document spells it: the verdict as text.
#[derive(Serialize, Deserialize)]
struct TriggerReportJson {
    trigger: String,
    fires: u64,
    misses: u64,
    fire_rate: f64,
    signal_rate: Option<f64>,
    verdict: String,
    default_threshold: Option<f64>,
    current_threshold: Option<f64>,
    threshold_source: Option<ThresholdSource>,
    true_positives: u64,
    false_positives: u64,
    false_negatives: u64,
    true_negatives: u64,
    supporting_plan_ids: Vec<String>,
}

impl From<TriggerReport> for TriggerReportJson {
    fn from(r: TriggerReport) -> Self {
        Self {
            verdict: r.verdict_text(),
            trigger: r.trigger,
            fires: r.fires,
            misses: r.misses,
            fire_rate: r.fire_rate,
            signal_rate: r.signal_rate,
            default_threshold: r.default_threshold,
            current_threshold: r.current_threshold,
            threshold_source: r.threshold_source,
            true_positives: r.true_positives,
            false_positives: r.false_positives,
            false_negatives: r.false_negatives,
            true_negatives: r.true_negatives,
            supporting_plan_ids: r.supporting_plan_ids,
        }
    }
}

impl TryFrom<TriggerReportJson> for TriggerReport {
    type Error = String;

    fn try_from(r: TriggerReportJson) -> Result<Self, String> {
        let verdict = Verdict::from_report_text(&r.verdict)
            .ok_or_else(|| format!("`{}` is not a verdict of the analysis", r.verdict))?;
        // `lower threshold (4->3)`: the number after the arrow.
        let proposed_threshold = match verdict.action() {
            Some(_) => r
                .verdict
                .split_once("->")
                .and_then(|(_, rest)| rest.strip_suffix(')'))
                .and_then(|n| n.parse().ok()),
            None => None,
        };
        Ok(Self {
            verdict,
            proposed_threshold,
            trigger: r.trigger,
            fires: r.fires,
            misses: r.misses,
            fire_rate: r.fire_rate,
            signal_rate: r.signal_rate,
            default_threshold: r.default_threshold,
            current_threshold: r.current_threshold,
            threshold_source: r.threshold_source,
            true_positives: r.true_positives,
            false_positives: r.false_positives,
            false_negatives: r.false_negatives,
            true_negatives: r.true_negatives,
            supporting_plan_ids: r.supporting_plan_ids,
        })
    }
}

/// Where a trigger's current threshold came from: a tagged object, `{"type": "default"}` or
/// `{"type": "override", "updated_at": ..., "updated_by": ...}`, as in skillnet 0.6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ThresholdSource {
    /// The catalog default is in force.
    Default,
    /// An accepted proposal (or, in 0.6 databases, a manual override) set it.
    Override {
        /// When it was set (unix seconds); the JSON document writes it in UTC as
        /// `YYYY-MM-DD HH:MM:SS`.
        #[serde(with = "utc_text")]
        updated_at: i64,
        /// Who set it: `proposal:<id>` for an accepted proposal; `null` when unknown.
        updated_by: Option<String>,
    },
}

impl ThresholdSource {
    /// The source of a threshold set by accepting proposal `proposal_id` at `accepted_at` (unix
    /// seconds): `{"type": "override", "updated_at": "<UTC time>", "updated_by": "proposal:<id>"}`.
    pub fn accepted_proposal(proposal_id: i64, accepted_at: i64) -> Self {
        ThresholdSource::Override {
            updated_at: accepted_at,
            updated_by: Some(format!("proposal:{proposal_id}")),
        }
    }
}

/// A threshold change the analysis suggests; a proposal made on the analysis stores one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalSuggestion {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// `lower-threshold` or `raise-threshold`.
    pub action: ProposalAction,
    /// The threshold in force.
    pub current_threshold: f64,
    /// The threshold one notch away (see [`super::proposed_threshold`]).
    pub proposed_threshold: f64,
    /// The trigger's fire rate.
    pub fire_rate: f64,
    /// The trigger's signal rate.
    pub signal_rate: f64,
    /// False-negative plan ids for lowering, false-positive plan ids for raising.
    pub supporting_plan_ids: Vec<String>,
}

/// A trigger whose signal in one tag band differs from its overall signal by more than 0.3
/// (see [`super::skew_warning`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkewWarning {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// The tag key of the band: `flavor` or `worktype`.
    pub tag_key: String,
    /// The tag value of the band.
    pub tag_value: String,
    /// The trigger's signal rate over all analysed plans.
    pub global_signal_rate: f64,
    /// The trigger's signal rate over the plans of the band.
    pub band_signal_rate: f64,
    /// How often the trigger fired in the band.
    pub band_fires: u64,
    /// A sentence saying what skews and what to consider.
    pub message: String,
}

/// Formats unix seconds as a UTC `YYYY-MM-DD HH:MM:SS`, the form of `analyzed_at` and of
/// `updated_at` (SQLite's `CURRENT_TIMESTAMP`, which skillnet 0.6 wrote).
///
/// ```
/// use skillnet_core::analysis::format_utc_timestamp;
///
/// assert_eq!(format_utc_timestamp(0), "1970-01-01 00:00:00");
/// assert_eq!(format_utc_timestamp(1_779_624_000), "2026-05-24 12:00:00");
/// ```
pub fn format_utc_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let second_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    )
}

/// Reads a UTC time written as `YYYY-MM-DD HH:MM:SS` (a `T` between date and time, fractions of
/// a second and a trailing `Z` are accepted and the fraction dropped) as unix seconds; `None`
/// when it is not one.
///
/// ```
/// use skillnet_core::analysis::parse_utc_timestamp;
///
/// assert_eq!(parse_utc_timestamp("2026-05-24 12:00:00"), Some(1_779_624_000));
/// assert_eq!(parse_utc_timestamp("2026-05-24T12:00:00.250Z"), Some(1_779_624_000));
/// assert_eq!(parse_utc_timestamp("2026-02-30 12:00:00"), None);
/// ```
pub fn parse_utc_timestamp(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    let text = text.split_once('.').map_or(text, |(whole, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            text
        }
    });
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ' || *b == b'T',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let valid = (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// How many days `month` (1-12) of `year` has.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`, the
/// inverse of the conversion behind [`format_utc_timestamp`]).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix seconds written in the JSON document as a UTC `YYYY-MM-DD HH:MM:SS`.
mod utc_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(unix_seconds: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_utc_timestamp(*unix_seconds))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_utc_timestamp(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a UTC time written as YYYY-MM-DD HH:MM:SS"))
        })
    }
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, which works in 400-year eras of 146,097 days).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468; // days since 0000-03-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_format_as_utc() {
        // Expected values checked against `date -u -d @<seconds> '+%Y-%m-%d %H:%M:%S'`.
        #[rustfmt::skip]
        let cases = [
            (0, "1970-01-01 00:00:00"),
            (-1, "1969-12-31 23:59:59"),
            (951_782_400, "2000-02-29 00:00:00"),
            (1_709_251_199, "2024-02-29 23:59:59"),
            (1_779_624_000, "2026-05-24 12:00:00"),
            (4_107_542_399, "2100-02-28 23:59:59"),
            (4_107_542_400, "2100-03-01 00:00:00"),
            (-2_208_988_800, "1900-01-01 00:00:00"),
        ];
        for (seconds, text) in cases {
            assert_eq!(format_utc_timestamp(seconds), text, "{seconds}");
        }
    }

    #[test]
    fn threshold_sources_are_tagged_objects() {
        assert_eq!(serde_json::to_value(ThresholdSource::Default).unwrap(), json!({"type": "default"}));
        assert_eq!(
            serde_json::to_value(ThresholdSource::accepted_proposal(42, 1_779_624_000)).unwrap(),
            json!({"type": "override", "updated_at": "2026-05-24 12:00:00", "updated_by": "proposal:42"}),
        );
        let manual: ThresholdSource = serde_json::from_value(
            json!({"type": "override", "updated_at": "2026-05-24 12:00:00", "updated_by": null}),
        )
        .unwrap();
        assert_eq!(manual, ThresholdSource::Override { updated_at: 1_779_624_000, updated_by: None },);
    }

    #[test]
    fn verdicts_are_typed_and_written_in_0_6_words() {
        for (text, verdict, proposed) in [
            ("hold", Verdict::Hold, None),
            ("n=3 < min-n=10", Verdict::TooFew { fires: 3, min_n: 10 }, None),
            ("lower threshold (4->2)", Verdict::Lower, Some(2.0)),
            ("raise threshold (0.5->1.25)", Verdict::Raise, Some(1.25)),
        ] {
            let line = json!({
                "trigger": "long-serial-chain", "fires": 3, "misses": 1, "fire_rate": 0.75,
                "signal_rate": null, "verdict": text, "default_threshold": 4.0,
                "current_threshold": if text.contains("0.5") { 0.5 } else { 4.0 },
                "threshold_source": {"type": "override", "updated_at": "2026-05-24 12:00:00", "updated_by": null},
                "true_positives": 1, "false_positives": 1, "false_negatives": 1, "true_negatives": 0,
                "supporting_plan_ids": []
            });
            let report: TriggerReport = serde_json::from_value(line.clone()).unwrap();
            assert_eq!((report.verdict, report.proposed_threshold), (verdict, proposed), "{text}");
            assert_eq!(report.action(), verdict.action());
            assert_eq!(
                report.threshold_source,
                Some(ThresholdSource::Override { updated_at: 1_779_624_000, updated_by: None })
            );
            assert_eq!(serde_json::to_value(&report).unwrap(), line, "{text} is written back as it was");
        }
        let mut bad = serde_json::to_value(ThresholdSource::Default).unwrap();
        bad["type"] = "override".into();
        bad["updated_at"] = "yesterday".into();
        assert!(serde_json::from_value::<ThresholdSource>(bad).is_err());
    }

    /// The example document of skillnet 0.6's `docs/src/calibration/json-schema.md`, copied by
    /// hand: this crate reads it and writes it back unchanged.
    #[test]
    fn reads_and_writes_the_skillnet_0_6_example_document() {
        let document = json!({
            "schema_version": 1,
            "analyzed_at": "2026-05-24 12:00:00",
            "min_n": 1,
            "dataset_size": 3,
            "filter_tags": [],
            "filter_tags_applied": [],
            "triggers": [
                {
                    "trigger": "long-serial-chain",
                    "fires": 2,
                    "misses": 1,
                    "fire_rate": 0.6666666666666666,
                    "signal_rate": 0.3333333333333333,
                    "verdict": "hold",
                    "default_threshold": 4.0,
                    "current_threshold": 4.0,
                    "threshold_source": {"type": "default"},
                    "true_positives": 2,
                    "false_positives": 0,
                    "false_negatives": 1,
                    "true_negatives": 0,
                    "supporting_plan_ids": []
                }
            ],
            "proposals": [],
            "skew_warnings": []
        });
        let report: AnalysisReport = serde_json::from_value(document.clone()).unwrap();
        assert_eq!(report.triggers[0].threshold_source, Some(ThresholdSource::Default));
        assert_eq!((report.analyzed_at, report.triggers[0].verdict), (1_779_624_000, Verdict::Hold));
        assert_eq!(report.triggers[0].signal_rate, Some(1.0 / 3.0));
        assert_eq!(serde_json::to_value(&report).unwrap(), document);
    }
}
