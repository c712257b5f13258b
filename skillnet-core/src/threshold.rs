//! Which threshold is in force for a trigger, and when two sets of filter tags are the same
//! filter: the rules the store's analysis and every command that shows a threshold share.
//!
//! A threshold is in force, for a trigger under some filter tags, in this order:
//! 1. the one an accepted proposal set for exactly these filter tags (as a set: order and
//!    repetition do not matter, see [`filter_identity`]);
//! 2. else the one an accepted proposal set for the trigger without filter tags;
//! 3. else the catalog default ([`crate::catalog`]);
//! 4. else, for a custom trigger, the threshold recorded with the newest analysed plan that has
//!    it (the caller looks that up: it lives in the history).

use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::tag::Tag;

/// A threshold set by an accepted proposal (or, in a history adopted from skillnet 0.6, by an
/// override 0.6 accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveThreshold {
    /// The trigger (heuristic) name.
    pub trigger: String,
    /// The filter tags it applies under; empty for the trigger's overall threshold.
    pub filter_tags: Vec<Tag>,
    /// The threshold.
    pub threshold: f64,
    /// The accepted proposal that set it; `None` for an override adopted from skillnet 0.6
    /// that names no proposal.
    pub proposal_id: Option<i64>,
    /// When it was accepted (unix seconds).
    pub updated_at: i64,
    /// Who set it, as skillnet 0.6 wrote it: `proposal:<id>`, or what a 0.6 override said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

impl ActiveThreshold {
    /// Where the threshold came from, as the analysis report says it.
    pub fn source(&self) -> crate::analysis::ThresholdSource {
        match self.proposal_id {
            Some(id) => crate::analysis::ThresholdSource::accepted_proposal(id, self.updated_at),
            None => crate::analysis::ThresholdSource::Override {
                updated_at: self.updated_at,
                updated_by: self.updated_by.clone(),
            },
        }
    }
}

/// The threshold in force, by where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InForce<'a> {
    /// Set by an accepted proposal (for these filter tags, or overall).
    Accepted(&'a ActiveThreshold),
    /// The catalog default.
    Default(f64),
    /// A custom trigger with no accepted threshold: the threshold recorded with the newest
    /// analysed plan applies, which the caller looks up in the history.
    Recorded,
}

/// The threshold in force for `trigger` under `filter_tags`, among the `accepted` ones.
pub fn in_force<'a>(accepted: &'a [ActiveThreshold], trigger: &str, filter_tags: &[Tag]) -> InForce<'a> {
    let wanted = filter_identity(filter_tags);
    let under = |identity: &str| {
        accepted.iter().find(|t| t.trigger == trigger && filter_identity(&t.filter_tags) == identity)
    };
    if let Some(t) = under(&wanted).or_else(|| under(&filter_identity(&[]))) {
        return InForce::Accepted(t);
    }
    match catalog::heuristic(trigger) {
        Some(h) => InForce::Default(h.default_threshold),
        None => InForce::Recorded,
    }
}

/// The canonical text of a set of filter tags: the `[key, value]` pairs sorted and
/// deduplicated, as JSON. Two sets of filter tags are the same filter when their identities are
/// equal, whatever order and repetition they were typed in. The store keeps it as a column.
pub fn filter_identity(filter_tags: &[Tag]) -> String {
    let mut pairs: Vec<(&str, &str)> =
        filter_tags.iter().map(|t| (t.key.as_str(), t.value.as_str())).collect();
    pairs.sort_unstable();
    pairs.dedup();
    serde_json::to_string(&pairs).expect("pairs of strings serialize")
}

/// Whether `a` and `b` are the same filter (see [`filter_identity`]).
pub fn same_filter(a: &[Tag], b: &[Tag]) -> bool {
    filter_identity(a) == filter_identity(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[&str]) -> Vec<Tag> {
        pairs.iter().map(|p| p.parse().expect("tag")).collect()
    }

    fn accepted(trigger: &str, filter: &[&str], threshold: f64, proposal_id: i64) -> ActiveThreshold {
        ActiveThreshold {
            trigger: trigger.into(),
            filter_tags: tags(filter),
            threshold,
            proposal_id: Some(proposal_id),
            updated_at: 0,
            updated_by: None,
        }
    }

    #[test]
    fn order_and_repetition_do_not_make_another_filter() {
        assert!(same_filter(&tags(&["a=1", "b=2"]), &tags(&["b=2", "a=1", "a=1"])));
        assert!(!same_filter(&tags(&["a=1"]), &tags(&["a=2"])));
        assert_eq!(filter_identity(&[]), "[]");
    }

    #[test]
    fn exact_filter_then_overall_then_default_then_recorded() {
        let list = [
            accepted("shared-file-contention", &[], 9.0, 1),
            accepted("shared-file-contention", &["flavor=codex"], 7.0, 2),
        ];
        assert_eq!(
            in_force(&list, "shared-file-contention", &tags(&["flavor=codex"])),
            InForce::Accepted(&list[1])
        );
        assert_eq!(
            in_force(&list, "shared-file-contention", &tags(&["flavor=claude"])),
            InForce::Accepted(&list[0])
        );
        assert_eq!(in_force(&list, "shared-file-contention", &[]), InForce::Accepted(&list[0]));
        let default = catalog::heuristic("convergence-point").expect("catalog heuristic").default_threshold;
        assert_eq!(in_force(&list, "convergence-point", &[]), InForce::Default(default));
        assert_eq!(in_force(&list, "my-custom-check", &[]), InForce::Recorded);
        let custom = [accepted("my-custom-check", &[], 0.3, 3)];
        assert_eq!(
            in_force(&custom, "my-custom-check", &tags(&["flavor=codex"])),
            InForce::Accepted(&custom[0])
        );
    }
}
