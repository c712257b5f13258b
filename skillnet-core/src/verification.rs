//! How an executed plan went: its outcome, per-phase outcomes, emergency changes and surprises.
//!
//! A plan may be verified several times; every verification is kept and the newest counts.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::transition::UnknownVariant;

/// Overall outcome of an executed plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Everything landed.
    Shipped,
    /// Some of it landed.
    Partial,
    /// The plan was given up.
    Abandoned,
}

impl Outcome {
    /// Every outcome, in order.
    pub const ALL: [Outcome; 3] = [Outcome::Shipped, Outcome::Partial, Outcome::Abandoned];
    const NAMES: &'static [&'static str] = &["shipped", "partial", "abandoned"];

    /// The outcome's name as stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Shipped => "shipped",
            Outcome::Partial => "partial",
            Outcome::Abandoned => "abandoned",
        }
    }

    /// The outcome a word written in a verification means, for outcomes skillnet 0.6 stored as
    /// they were written (it checked none), read from its first word in any case: an outcome's
    /// name, or a word for it (`Success!`, `done`, `merged with fixes` are shipped; `partially`
    /// and `partial_success` partial; `failed` abandoned); any other abandoned, which is how
    /// 0.6's analysis counted it (never helpful).
    pub fn from_written(written: &str) -> Outcome {
        const SHIPPED: [&str; 16] = [
            "shipped",
            "ship",
            "success",
            "successful",
            "succeeded",
            "done",
            "complete",
            "completed",
            "merged",
            "landed",
            "pass",
            "passed",
            "ok",
            "delivered",
            "released",
            "finished",
        ];
        let lower = written.to_lowercase();
        let first = lower.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or_default();
        if SHIPPED.contains(&first) {
            Outcome::Shipped
        } else if first.starts_with("partial") {
            Outcome::Partial
        } else {
            Outcome::Abandoned
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s).ok_or_else(|| UnknownVariant {
            kind: "outcome",
            value: s.to_owned(),
            expected: Outcome::NAMES,
        })
    }
}

/// One verification of an executed plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// When the plan was verified, in unix seconds.
    pub verified_at: i64,
    /// How long the execution took, in seconds, when known.
    #[serde(default)]
    pub elapsed_seconds: Option<i64>,
    /// Overall outcome.
    pub outcome: Outcome,
    /// Outcome of each phase, by phase slug.
    #[serde(default)]
    pub phase_outcomes: BTreeMap<String, String>,
    /// Changes made in a hurry while executing (any JSON).
    #[serde(default)]
    pub emergency_changes: Option<serde_json::Value>,
    /// Free-text surprises; lines `dead-weight: <trigger>: ...` and
    /// `missed-signal: <trigger>: ...` feed the analysis.
    #[serde(default)]
    pub surprises: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_outcome_reads_as_the_outcome_it_means_else_abandoned() {
        for (written, outcome) in [
            ("shipped", Outcome::Shipped),
            (" Shipped ", Outcome::Shipped),
            ("Success", Outcome::Shipped),
            ("done", Outcome::Shipped),
            ("Shipped!", Outcome::Shipped),
            ("merged with fixes", Outcome::Shipped),
            ("not shipped", Outcome::Abandoned),
            ("partial", Outcome::Partial),
            ("Partially shipped", Outcome::Partial),
            ("partial_success", Outcome::Partial),
            ("abandoned", Outcome::Abandoned),
            ("failed", Outcome::Abandoned),
            ("it's complicated", Outcome::Abandoned),
            ("", Outcome::Abandoned),
        ] {
            assert_eq!(Outcome::from_written(written), outcome, "{written:?}");
        }
    }
}
