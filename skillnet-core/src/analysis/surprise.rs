//! The structured lines of a verification's free-text surprises.
//!
//! A verifier writes `dead-weight: <trigger>: <note>` when a section a trigger added was useless,
//! and `missed-signal: <trigger>: <note>` when a trigger should have fired and did not. Every other
//! line is informational and ignored. The store reads the marks when it classifies a plan's
//! triggers (see [`super::Verified`]), so the analysis queries never parse text.

use std::collections::BTreeSet;

/// The kind of a line naming a trigger whose firing was useless.
pub const DEAD_WEIGHT: &str = "dead-weight";
/// The kind of a line naming a trigger that should have fired.
pub const MISSED_SIGNAL: &str = "missed-signal";

/// The triggers one verification's surprises mark, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurpriseMarks {
    /// Triggers named by a `dead-weight: <trigger>: ...` line: their section did not help.
    pub dead_weight: BTreeSet<String>,
    /// Triggers named by a `missed-signal: <trigger>: ...` line: they should have fired.
    pub missed_signal: BTreeSet<String>,
}

impl SurpriseMarks {
    /// Whether no line marks any trigger.
    pub fn is_empty(&self) -> bool {
        self.dead_weight.is_empty() && self.missed_signal.is_empty()
    }
}

/// Reads the structured lines of a surprises text.
///
/// Each line (`\n` or `\r\n` ended) is trimmed and split on its first `:` into a kind and a rest,
/// the rest on its next `:` into a trigger name and a note. Kind and name are trimmed; the kind
/// must be exactly `dead-weight` or `missed-signal` (case matters). A line without two colons, with
/// another kind, or with an empty name marks nothing. Names keep inner spaces and any colon-free
/// text; the note may contain more colons.
///
/// ```
/// use skillnet_core::analysis::surprise_marks;
///
/// let marks = surprise_marks(
///     "dead-weight: long-serial-chain: the recovery section was never used\n\
///      missed-signal: infrastructure-spof: the CI runner was the single point of failure\n\
///      the deploy took longer than planned",
/// );
/// assert!(marks.dead_weight.contains("long-serial-chain"));
/// assert!(marks.missed_signal.contains("infrastructure-spof"));
/// ```
pub fn surprise_marks(surprises: &str) -> SurpriseMarks {
    let mut marks = SurpriseMarks::default();
    for line in surprises.lines() {
        let Some((kind, rest)) = line.trim().split_once(':') else { continue };
        let Some((trigger, _note)) = rest.split_once(':') else { continue };
        let trigger = trigger.trim();
        if trigger.is_empty() {
            continue;
        }
        let set = match kind.trim() {
            DEAD_WEIGHT => &mut marks.dead_weight,
            MISSED_SIGNAL => &mut marks.missed_signal,
            _ => continue,
        };
        set.insert(trigger.to_owned());
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn marks_follow_the_line_rules() {
        // (surprises text, expected dead-weight names, expected missed-signal names)
        #[rustfmt::skip]
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("", &[], &[]),
            ("dead-weight: a: note", &["a"], &[]),
            ("missed-signal: b: note", &[], &["b"]),
            // Whitespace around the line, the kind and the name is trimmed.
            ("   dead-weight :   a   : note  ", &["a"], &[]),
            ("\tmissed-signal:\tb\t:\tnote", &[], &["b"]),
            // No space at all.
            ("dead-weight:a:", &["a"], &[]),
            // Extra colons belong to the note.
            ("dead-weight: a: note: with: colons", &["a"], &[]),
            ("missed-signal: b: http://example.com", &[], &["b"]),
            // Fewer than two colons: no mark.
            ("dead-weight: a", &[], &[]),
            ("dead-weight a: note", &[], &[]),
            ("missed-signal", &[], &[]),
            // Unknown or differently spelled kinds: no mark.
            ("Dead-Weight: a: note", &[], &[]),
            ("dead_weight: a: note", &[], &[]),
            ("deadweight: a: note", &[], &[]),
            ("missed signal: b: note", &[], &[]),
            ("note: dead-weight: a: x", &[], &[]),
            ("- dead-weight: a: note", &[], &[]),
            // An empty name marks nothing.
            ("dead-weight: : note", &[], &[]),
            ("dead-weight:   :", &[], &[]),
            // Names keep their inner spaces and case.
            ("dead-weight: my custom heuristic : x", &["my custom heuristic"], &[]),
            ("missed-signal: Risk-Concentration: x", &[], &["Risk-Concentration"]),
            // CRLF line ends; blank and informational lines in between.
            (
                "dead-weight: a: x\r\n\r\nmissed-signal: b: y\r\nplain text\r\n",
                &["a"],
                &["b"],
            ),
            // Several marks, duplicates collapse, both kinds for one name.
            (
                "dead-weight: a: 1\ndead-weight: c: 2\ndead-weight: a: 3\nmissed-signal: a: 4",
                &["a", "c"],
                &["a"],
            ),
        ];
        for &(text, dead, missed) in cases {
            let marks = surprise_marks(text);
            assert_eq!(marks.dead_weight, set(dead), "dead-weight of {text:?}");
            assert_eq!(marks.missed_signal, set(missed), "missed-signal of {text:?}");
            assert_eq!(marks.is_empty(), dead.is_empty() && missed.is_empty(), "{text:?}");
        }
    }
}
