//! Skew warnings: a trigger that works in one band of plans and not in another.
//!
//! A single threshold for a heuristic whose signal depends on who wrote the plan (`flavor`) or on
//! the kind of work (`worktype`) serves neither band well. For each value of those keys the
//! analysis is rerun on that band with `min_n = 1`, and a band that fired often enough and whose
//! signal is far from the overall one gets a warning.
//!
//! Skew is only looked for when `analyze` runs without filter tags: a filtered run already
//! looks at one band. The caller (the store) enforces that by not computing bands then, and
//! [`super::build_report`] ignores any it is given.

use super::confusion::Confusion;
use super::report::SkewWarning;
use super::verdict::verdict;

/// The tag keys whose bands are checked for skew, in report order.
pub const SKEW_TAG_KEYS: [&str; 2] = ["flavor", "worktype"];

/// A band must have fired at least this often to be compared.
pub const SKEW_MIN_BAND_FIRES: u64 = 30;

/// The signal rates must differ by more than this (3/10, compared exactly).
pub const SKEW_MIN_DIFFERENCE: f64 = 0.3;

/// The warning for one trigger in one band, if its signal is skewed there.
///
/// `global` is the trigger's confusion over every analysed plan, judged with `min_n` (the run's
/// the minimum number of fires): when it has fewer fires its signal rate is `null` and nothing is compared. `band`
/// is the confusion over the plans tagged `tag_key=tag_value`, judged with `min_n = 1`. A warning
/// needs at least [`SKEW_MIN_BAND_FIRES`] band fires and `|band signal - global signal| > 0.3`;
/// a difference of exactly 0.3 is not a warning. It takes the global counts rather than the global
/// signal rate so that the comparison can be done on exact fractions: in `f64`, `0.8 - 0.5` is
/// `0.30000000000000004`.
///
/// ```
/// use skillnet_core::analysis::{skew_warning, Confusion};
///
/// // Overall: signal (15 - 5) / 20 = 0.5. Codex plans: (8 - 22) / 30 = -0.467.
/// let global = Confusion { true_positives: 15, false_positives: 5, ..Confusion::default() };
/// let codex = Confusion { true_positives: 8, false_positives: 22, ..Confusion::default() };
/// let warning = skew_warning("risk-concentration", "flavor", "codex", &global, 10, &codex).unwrap();
/// assert_eq!(warning.band_fires, 30);
/// ```
pub fn skew_warning(
    trigger: &str,
    tag_key: &str,
    tag_value: &str,
    global: &Confusion,
    min_n: u64,
    band: &Confusion,
) -> Option<SkewWarning> {
    let (Some(global_signal_rate), _) = verdict(global, min_n) else { return None };
    if band.fires() < SKEW_MIN_BAND_FIRES {
        return None;
    }
    let (Some(band_signal_rate), _) = verdict(band, 1) else { return None };
    // |bn/bd - gn/gd| > 3/10  <=>  10 * |bn*gd - gn*bd| > 3 * bd*gd   (bd, gd >= 1)
    let (global_numerator, global_denominator) = global.signal_fraction();
    let (band_numerator, band_denominator) = band.signal_fraction();
    let difference = (band_numerator * global_denominator - global_numerator * band_denominator).abs();
    if 10 * difference <= 3 * band_denominator * global_denominator {
        return None;
    }
    let band_fires = band.fires();
    Some(SkewWarning {
        trigger: trigger.to_owned(),
        tag_key: tag_key.to_owned(),
        tag_value: tag_value.to_owned(),
        global_signal_rate,
        band_signal_rate,
        band_fires,
        message: format!(
            "trigger {trigger} shows skew across {tag_key}: signal {band_signal_rate:+.2} over {band_fires} \
             fires where {tag_key}={tag_value} against {global_signal_rate:+.2} overall; consider per-band \
             thresholds"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::confusion::tests::c;

    #[test]
    fn warnings_need_thirty_band_fires_and_a_difference_above_0_3() {
        // Global: signal (15 - 5 - 0) / 20 = 0.5, 20 fires.
        let global = c(15, 5, 0, 0);
        // (band, expected band signal when warned)
        #[rustfmt::skip]
        let cases = [
            // 29 fires, signal (0 - 29) / 29 = -1, difference 1.5: too few fires.
            (c(0, 29, 0, 0), None),
            // 30 fires, signal (0 - 30) / 30 = -1, difference 1.5: warning.
            (c(0, 30, 0, 0), Some(-1.0)),
            // 30 fires, signal (27 - 3) / 30 = 0.8, difference exactly 0.3: no warning
            // (0.8 - 0.5 is 0.30000000000000004 in f64).
            (c(27, 3, 0, 0), None),
            // 30 fires, signal (18 - 12) / 30 = 0.2, difference exactly 0.3 below: no warning.
            (c(18, 12, 0, 0), None),
            // 30 fires, signal (28 - 2) / 30 = 26/30 = 0.8667, difference 0.3667: warning.
            (c(28, 2, 0, 0), Some(26.0 / 30.0)),
            // 30 fires, signal (17 - 13) / 30 = 4/30 = 0.1333, difference 0.3667: warning.
            (c(17, 13, 0, 0), Some(4.0 / 30.0)),
            // 40 fires and 40 FN: signal (40 - 0 - 40) / 80 = 0, difference 0.5: warning.
            (c(40, 0, 40, 0), Some(0.0)),
            // 100 fires, signal (81 - 19 - 0) / 100 = 0.62, difference 0.12: no warning.
            (c(81, 19, 0, 50), None),
        ];
        for (band, expected) in cases {
            let warning = skew_warning("risk-concentration", "flavor", "codex", &global, 10, &band);
            assert_eq!(warning.as_ref().map(|w| w.band_signal_rate), expected, "{band:?}");
            if let Some(warning) = warning {
                assert_eq!(warning.global_signal_rate, 0.5);
                assert_eq!(warning.band_fires, band.fires());
                assert_eq!((warning.tag_key.as_str(), warning.tag_value.as_str()), ("flavor", "codex"));
            }
        }
    }

    #[test]
    fn no_warning_while_the_global_signal_is_null() {
        // Global fires 9 < min_n 10: signal null, even though the band differs by 2.
        let global = c(9, 0, 0, 0);
        let band = c(0, 30, 0, 0);
        assert_eq!(skew_warning("t", "worktype", "refactor", &global, 10, &band), None);
        // With min_n 9 the global signal is (9 - 0) / 9 = 1 and the band's -1: warning.
        assert!(skew_warning("t", "worktype", "refactor", &global, 9, &band).is_some());
    }

    #[test]
    fn the_message_reads_as_a_sentence() {
        // Global (15 - 5) / 20 = +0.50; band (0 - 30) / 30 = -1.00.
        let warning =
            skew_warning("risk-concentration", "flavor", "codex", &c(15, 5, 0, 0), 10, &c(0, 30, 0, 0));
        assert_eq!(
            warning.unwrap().message,
            "trigger risk-concentration shows skew across flavor: signal -1.00 over 30 fires where \
             flavor=codex against +0.50 overall; consider per-band thresholds",
        );
    }
}
