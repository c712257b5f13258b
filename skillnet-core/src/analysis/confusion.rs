//! Counts of a trigger's rows per [`Class`], and the two rates the verdict is read from.
//!
//! The store fills a [`Confusion`] from one `GROUP BY trigger, class` query, so memory does not
//! grow with the history; [`super::evaluate()`] fills it row by row.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use super::classify::Class;

/// How many of a trigger's rows fell in each confusion-matrix cell.
///
/// Counts are assumed below 2^53 (far above any history): rates are computed in `f64` and the rules
/// compare counts exactly in `i128`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Confusion {
    /// Fired and helped.
    pub true_positives: u64,
    /// Fired and did not help.
    pub false_positives: u64,
    /// Did not fire, and should have.
    pub false_negatives: u64,
    /// Did not fire, and rightly so.
    pub true_negatives: u64,
}

impl Confusion {
    /// Rows where the trigger fired: true plus false positives.
    pub const fn fires(&self) -> u64 {
        self.true_positives + self.false_positives
    }

    /// Rows where the trigger did not fire: false plus true negatives.
    pub const fn misses(&self) -> u64 {
        self.false_negatives + self.true_negatives
    }

    /// Every row: [`fires`](Self::fires) plus [`misses`](Self::misses).
    pub const fn total(&self) -> u64 {
        self.fires() + self.misses()
    }

    /// The count of one class.
    pub const fn count(&self, class: Class) -> u64 {
        match class {
            Class::TruePositive => self.true_positives,
            Class::FalsePositive => self.false_positives,
            Class::FalseNegative => self.false_negatives,
            Class::TrueNegative => self.true_negatives,
        }
    }

    /// Adds `n` rows of one class (what a `GROUP BY class` row gives the store).
    pub fn add_count(&mut self, class: Class, n: u64) {
        let cell = match class {
            Class::TruePositive => &mut self.true_positives,
            Class::FalsePositive => &mut self.false_positives,
            Class::FalseNegative => &mut self.false_negatives,
            Class::TrueNegative => &mut self.true_negatives,
        };
        *cell += n;
    }

    /// Adds one row of one class.
    pub fn record(&mut self, class: Class) {
        self.add_count(class, 1);
    }

    /// `fires / (fires + misses)`, or 0 when there are no rows.
    pub fn fire_rate(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            total => self.fires() as f64 / total as f64,
        }
    }

    /// `(TP - FP - FN) / max(1, TP + FP + FN)`: from -1 (the trigger is net harmful) through 0
    /// (ceremony) to +1 (it earns its place). True negatives do not count.
    pub fn signal_rate(&self) -> f64 {
        let (numerator, denominator) = self.signal_fraction();
        numerator as f64 / denominator as f64
    }

    /// The signal rate as an exact fraction `(numerator, denominator)`, denominator >= 1; the
    /// verdict and skew rules compare these so that boundary values (exactly 0.3) decide the same
    /// way whatever the rounding.
    pub(crate) fn signal_fraction(&self) -> (i128, i128) {
        let (tp, fp, fn_) = (
            i128::from(self.true_positives),
            i128::from(self.false_positives),
            i128::from(self.false_negatives),
        );
        (tp - fp - fn_, (tp + fp + fn_).max(1))
    }
}

impl Add for Confusion {
    type Output = Confusion;
    fn add(mut self, other: Confusion) -> Confusion {
        self += other;
        self
    }
}

impl AddAssign for Confusion {
    fn add_assign(&mut self, other: Confusion) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
        self.true_negatives += other.true_negatives;
    }
}

impl Sum for Confusion {
    fn sum<I: Iterator<Item = Confusion>>(iter: I) -> Confusion {
        iter.fold(Confusion::default(), Add::add)
    }
}

impl FromIterator<Class> for Confusion {
    fn from_iter<I: IntoIterator<Item = Class>>(iter: I) -> Confusion {
        let mut confusion = Confusion::default();
        iter.into_iter().for_each(|class| confusion.record(class));
        confusion
    }
}

impl Extend<Class> for Confusion {
    fn extend<I: IntoIterator<Item = Class>>(&mut self, iter: I) {
        iter.into_iter().for_each(|class| self.record(class));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Shorthand: `c(tp, fp, fn, tn)`.
    pub(crate) const fn c(tp: u64, fp: u64, fn_: u64, tn: u64) -> Confusion {
        Confusion { true_positives: tp, false_positives: fp, false_negatives: fn_, true_negatives: tn }
    }

    #[test]
    fn rates_match_hand_computed_values() {
        // (confusion, fires, misses, fire_rate, signal_rate), every number worked out by hand.
        #[rustfmt::skip]
        let cases = [
            // Empty: fire rate 0 by definition; signal 0 / max(1, 0) = 0.
            (c(0, 0, 0, 0), 0, 0, 0.0, 0.0),
            // Only true negatives: fire rate 0/5; signal 0 / max(1, 0) = 0.
            (c(0, 0, 0, 5), 0, 5, 0.0, 0.0),
            // fires 2, misses 1: fire rate 2/3; signal (2 - 0 - 1) / 3 = 1/3.
            (c(2, 0, 1, 0), 2, 1, 2.0 / 3.0, 1.0 / 3.0),
            // fires 10, misses 10: fire rate 0.5; signal (8 - 2 - 0) / 10 = 0.6.
            (c(8, 2, 0, 10), 10, 10, 0.5, 0.6),
            // fires 18, misses 2: fire rate 18/20 = 0.9; signal (13 - 5 - 2) / 20 = 0.3.
            (c(13, 5, 2, 0), 18, 2, 0.9, 0.3),
            // fires 12, misses 12: fire rate 0.5; signal (6 - 6 - 0) / 12 = 0.
            (c(6, 6, 0, 12), 12, 12, 0.5, 0.0),
            // fires 4, misses 0: fire rate 1; signal (0 - 4 - 0) / 4 = -1.
            (c(0, 4, 0, 0), 4, 0, 1.0, -1.0),
            // fires 3, misses 7: fire rate 0.3; signal (1 - 2 - 3) / 6 = -4/6 = -2/3.
            (c(1, 2, 3, 4), 3, 7, 0.3, -2.0 / 3.0),
            // fires 0, misses 4: fire rate 0; signal (0 - 0 - 4) / 4 = -1.
            (c(0, 0, 4, 0), 0, 4, 0.0, -1.0),
            // fires 1, misses 3: fire rate 0.25; signal 1 / 1 = 1.
            (c(1, 0, 0, 3), 1, 3, 0.25, 1.0),
        ];
        for (confusion, fires, misses, fire_rate, signal_rate) in cases {
            assert_eq!(confusion.fires(), fires, "{confusion:?}");
            assert_eq!(confusion.misses(), misses, "{confusion:?}");
            assert_eq!(confusion.total(), fires + misses, "{confusion:?}");
            assert_eq!(confusion.fire_rate(), fire_rate, "{confusion:?}");
            assert_eq!(confusion.signal_rate(), signal_rate, "{confusion:?}");
        }
    }

    #[test]
    fn counts_add_up() {
        let mut a = c(1, 2, 3, 4);
        assert_eq!(a + c(10, 20, 30, 40), c(11, 22, 33, 44));
        a += c(1, 1, 1, 1);
        assert_eq!(a, c(2, 3, 4, 5));
        assert_eq!(
            [c(1, 0, 0, 0), c(0, 1, 0, 0), c(0, 0, 1, 1)].into_iter().sum::<Confusion>(),
            c(1, 1, 1, 1)
        );
        use Class::*;
        let collected: Confusion =
            [TruePositive, TruePositive, FalseNegative, TrueNegative, FalsePositive, TruePositive]
                .into_iter()
                .collect();
        assert_eq!(collected, c(3, 1, 1, 1));
        let mut extended = collected;
        extended.extend([TrueNegative, TrueNegative]);
        extended.add_count(FalseNegative, 5);
        assert_eq!(extended, c(3, 1, 6, 3));
        assert_eq!(Class::ALL.map(|class| extended.count(class)), [3, 1, 6, 3],);
    }

    #[test]
    fn serializes_with_the_report_field_names() {
        assert_eq!(
            serde_json::to_value(c(1, 2, 3, 4)).unwrap(),
            serde_json::json!({
                "true_positives": 1,
                "false_positives": 2,
                "false_negatives": 3,
                "true_negatives": 4,
            }),
        );
    }
}
