//! The in-memory reference evaluation of the analysis rules.
//!
//! The store computes the same counts with SQL aggregates; this evaluator walks the rows one by one
//! through [`classify`] and is what tests compare the SQL path against. It holds every supporting
//! plan id in memory, so it is not what `analyze` runs on a large history.

use std::collections::BTreeMap;

use super::classify::{classify, Class, Observation};
use super::confusion::Confusion;

/// Everything the analysis needs to know about one trigger's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The rows' counts per class.
    pub confusion: Confusion,
    /// Plans where the trigger was a false negative, in row order: the evidence for lowering.
    pub false_negative_plan_ids: Vec<String>,
    /// Plans where the trigger was a false positive, in row order: the evidence for raising.
    pub false_positive_plan_ids: Vec<String>,
}

impl Evaluation {
    /// The plan ids of one class: false negatives or false positives; empty for the true classes,
    /// whose ids are never needed. Fits the `supporting_plan_ids` argument of
    /// [`super::build_report`].
    pub fn plan_ids(&self, class: Class) -> &[String] {
        match class {
            Class::FalseNegative => &self.false_negative_plan_ids,
            Class::FalsePositive => &self.false_positive_plan_ids,
            Class::TruePositive | Class::TrueNegative => &[],
        }
    }
}

/// Classifies every row and groups the results by trigger name.
///
/// Each row is `(plan id, observation)`: one trigger of one plan whose newest verification counts,
/// after the trigger and filter tag filters. Triggers without rows are absent. Plan ids are
/// kept in the order the rows come in.
pub fn evaluate<'a, I>(rows: I) -> BTreeMap<String, Evaluation>
where
    I: IntoIterator<Item = (&'a str, Observation<'a>)>,
{
    let mut evaluations: BTreeMap<String, Evaluation> = BTreeMap::new();
    for (plan_id, observation) in rows {
        let evaluation = match evaluations.get_mut(observation.trigger) {
            Some(evaluation) => evaluation,
            None => evaluations.entry(observation.trigger.to_owned()).or_default(),
        };
        let class = classify(&observation);
        evaluation.confusion.record(class);
        match class {
            Class::FalseNegative => evaluation.false_negative_plan_ids.push(plan_id.to_owned()),
            Class::FalsePositive => evaluation.false_positive_plan_ids.push(plan_id.to_owned()),
            Class::TruePositive | Class::TrueNegative => {}
        }
    }
    evaluations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::confusion::tests::c;
    use crate::verification::Outcome::{self, *};

    fn obs(trigger: &'static str, fired: bool, outcome: Outcome, missed: bool) -> Observation<'static> {
        Observation {
            trigger,
            fired,
            section_added: None,
            outcome,
            dead_weight: false,
            missed_signal: missed,
            emergency_changes: None,
        }
    }

    #[test]
    fn groups_by_trigger_and_keeps_the_evidence_in_row_order() {
        let rows = [
            ("p1", obs("b", true, Shipped, false)),    // b TP
            ("p1", obs("a", false, Shipped, true)),    // a FN
            ("p2", obs("a", true, Abandoned, false)),  // a FP
            ("p3", obs("a", false, Partial, false)),   // a TN
            ("p4", obs("a", false, Shipped, true)),    // a FN
            ("p5", obs("a", true, Partial, false)),    // a TP
            ("p6", obs("a", true, Abandoned, true)),   // a FP
            ("p7", obs("b", false, Abandoned, false)), // b TN
        ];
        let evaluations = evaluate(rows);
        assert_eq!(evaluations.keys().collect::<Vec<_>>(), ["a", "b"]);
        let a = &evaluations["a"];
        assert_eq!(a.confusion, c(1, 2, 2, 1));
        assert_eq!(a.false_negative_plan_ids, ["p1", "p4"]);
        assert_eq!(a.false_positive_plan_ids, ["p2", "p6"]);
        assert_eq!(a.plan_ids(Class::FalseNegative), ["p1", "p4"]);
        assert_eq!(a.plan_ids(Class::FalsePositive), ["p2", "p6"]);
        assert!(a.plan_ids(Class::TruePositive).is_empty());
        assert!(a.plan_ids(Class::TrueNegative).is_empty());
        let b = &evaluations["b"];
        assert_eq!(b.confusion, c(1, 0, 0, 1));
        assert!(b.false_negative_plan_ids.is_empty() && b.false_positive_plan_ids.is_empty());
        assert!(evaluate([]).is_empty());
    }
}
