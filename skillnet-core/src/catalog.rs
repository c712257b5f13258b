//! The built-in heuristic catalog: the 15 heuristics a plan's shape is checked against,
//! with their categories, default thresholds and the section a firing adds.
//!
//! The catalog is the source of default thresholds (an accepted proposal overrides one, see
//! [`crate::proposal`]), of the heuristics a user can list, and of the notch size the
//! analysis moves a threshold by ([`notch`]). Triggers whose names are not listed here are custom
//! heuristics: they are stored and analysed too, with the default notch.
//!
//! ```
//! use skillnet_core::catalog::{self, Category};
//!
//! let h = catalog::heuristic("trivial-phase-swamp").unwrap();
//! assert_eq!(h.category, Category::PlanShape);
//! assert_eq!(h.section_added, Some("Cleanup batch"));
//! assert_eq!(catalog::notch("trivial-phase-swamp"), 0.5);
//! assert_eq!(catalog::notch("my-custom-heuristic"), 1.0);
//! ```

use serde::{Deserialize, Serialize};

use crate::transition::text_enum;

/// The family a heuristic belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Work that several phases, repositories or owners must coordinate on.
    Coordination,
    /// Where the risky work of a plan sits.
    Risk,
    /// The structure of the plan: chains, routing, phase sizes.
    PlanShape,
    /// Mistakes in how the plan is written.
    QualityLint,
}

text_enum!(Category, "heuristic category", [
    Coordination => "coordination",
    Risk => "risk",
    PlanShape => "plan-shape",
    QualityLint => "quality-lint",
]);

/// One built-in heuristic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Heuristic {
    /// The name triggers carry, e.g. `shared-file-contention`.
    pub name: &'static str,
    /// The family it belongs to.
    pub category: Category,
    /// The threshold in force until an accepted proposal overrides it; the heuristic fires when
    /// its input value is at least the threshold.
    pub default_threshold: f64,
    /// The plan section a firing makes the author add; `None` for heuristics that add none.
    pub section_added: Option<&'static str>,
    /// Whether the input value is a ratio, so thresholds move by half a notch (see [`notch`]).
    pub ratio: bool,
    /// What its input value measures, in one sentence.
    pub description: &'static str,
}

/// Builds a catalog row; keeps [`CATALOG`] as readable as the table it copies.
const fn row(
    name: &'static str,
    category: Category,
    default_threshold: f64,
    section_added: Option<&'static str>,
    description: &'static str,
) -> Heuristic {
    Heuristic { name, category, default_threshold, section_added, ratio: false, description }
}

/// Every built-in heuristic, in the order of the published catalog table.
#[rustfmt::skip]
pub const CATALOG: &[Heuristic] = {
    use Category::*;
    &[
        row("shared-file-contention", Coordination, 2.0, Some("Shared-file lockstep"),
            "How many phases list the file that most phases list."),
        row("external-repo-phases", Coordination, 1.0, Some("External repo coordination"),
            "How many phases work in a repository other than the plan's own."),
        row("convergence-point", Coordination, 3.0, Some("Merge-readiness checklist"),
            "The most phases that one phase depends on directly."),
        row("ownership-boundary-spread", Coordination, 2.0, Some("PR sequencing & cross-owner coordination"),
            "How many repositories the phases work in, the plan's own included."),
        row("risk-concentration", Risk, 2.0, Some("Risk-tier callout"),
            "How many phases are routed to the max tier."),
        row("risk-late-in-plan", Risk, 1.0, Some("Late-risk warning"),
            "How many waves in the last third of the plan hold a max-tier phase."),
        row("infrastructure-spof", Risk, 1.0, Some("infra-SPOF"),
            "How many phases depend directly on a phase that changes CI, build or lock files."),
        row("revendor-phase", Risk, 1.0, Some("Compat surface"),
            "How many phases vendor, bump or relock dependencies."),
        row("long-serial-chain", PlanShape, 4.0, Some("Serial-chain recovery"),
            "How many phases the longest chain of dependent phases has."),
        row("mid-plan-rerouting", PlanShape, 10.0, Some("Mid-plan re-routing checkpoint"),
            "How many phases the plan has."),
        // The one ratio heuristic (SPEC §6); skillnet 0.6 spelled its name differently from the
        // catalog, so its half notch never applied (SPEC §11).
        Heuristic {
            ratio: true,
            ..row("trivial-phase-swamp", PlanShape, 4.0, Some("Cleanup batch"),
                "Low and medium phases per high or max phase (their number when there is none).")
        },
        row("no-integrated-verification", PlanShape, 1.0, None,
            "1 when no phase verifies the whole (an e2e, integration or smoke phase or file), else 0."),
        row("routing-tier-inversion", QualityLint, 1.0, None,
            "How many phases that no phase depends on are routed to the plan's top tier."),
        row("mechanical-streak", QualityLint, 3.0, None,
            "How many phases the longest run of consecutive low-tier phases has."),
        row("hidden-prerequisite", QualityLint, 1.0, None,
            "How many dependencies name a phase the plan does not have."),
    ]
};

/// Looks a built-in heuristic up by its exact name; `None` for a custom heuristic.
pub fn heuristic(name: &str) -> Option<&'static Heuristic> {
    CATALOG.iter().find(|h| h.name == name)
}

/// The step by which the analysis raises or lowers a trigger's threshold: 0.5 for ratio
/// heuristics (only `trivial-phase-swamp`), 1.0 for all others and for names not in the catalog.
pub fn notch(trigger: &str) -> f64 {
    match heuristic(trigger) {
        Some(h) if h.ratio => 0.5,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The published catalog table, copied by hand: name, category, default, section added.
    #[rustfmt::skip]
    const SPEC_TABLE: [(&str, &str, f64, Option<&str>); 15] = [
        ("shared-file-contention", "coordination", 2.0, Some("Shared-file lockstep")),
        ("external-repo-phases", "coordination", 1.0, Some("External repo coordination")),
        ("convergence-point", "coordination", 3.0, Some("Merge-readiness checklist")),
        (
            "ownership-boundary-spread",
            "coordination",
            2.0,
            Some("PR sequencing & cross-owner coordination"),
        ),
        ("risk-concentration", "risk", 2.0, Some("Risk-tier callout")),
        ("risk-late-in-plan", "risk", 1.0, Some("Late-risk warning")),
        ("infrastructure-spof", "risk", 1.0, Some("infra-SPOF")),
        ("revendor-phase", "risk", 1.0, Some("Compat surface")),
        ("long-serial-chain", "plan-shape", 4.0, Some("Serial-chain recovery")),
        ("mid-plan-rerouting", "plan-shape", 10.0, Some("Mid-plan re-routing checkpoint")),
        ("trivial-phase-swamp", "plan-shape", 4.0, Some("Cleanup batch")),
        ("no-integrated-verification", "plan-shape", 1.0, None),
        ("routing-tier-inversion", "quality-lint", 1.0, None),
        ("mechanical-streak", "quality-lint", 3.0, None),
        ("hidden-prerequisite", "quality-lint", 1.0, None),
    ];

    #[test]
    fn catalog_has_fifteen_uniquely_named_heuristics() {
        assert_eq!(CATALOG.len(), 15);
        let names: HashSet<&str> = CATALOG.iter().map(|h| h.name).collect();
        assert_eq!(names.len(), CATALOG.len());
    }

    #[test]
    fn catalog_matches_the_spec_table_row_by_row() {
        for (h, &(name, category, default, section)) in CATALOG.iter().zip(&SPEC_TABLE) {
            assert_eq!(h.name, name);
            assert_eq!(h.category.as_str(), category, "{name}");
            assert_eq!(h.default_threshold, default, "{name}");
            assert_eq!(h.section_added, section, "{name}");
            assert_eq!(h.ratio, name == "trivial-phase-swamp", "{name}");
            assert_eq!(heuristic(name), Some(h));
        }
    }

    #[test]
    fn every_heuristic_says_what_it_measures_in_one_sentence() {
        for h in CATALOG {
            let d = h.description;
            assert!(d.ends_with('.') && d.matches(". ").count() == 0, "{}: {d}", h.name);
            assert!(d.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()), "{}: {d}", h.name);
        }
    }

    #[test]
    fn lookup_is_exact() {
        assert_eq!(heuristic("my-custom-heuristic"), None);
        assert_eq!(heuristic("Trivial-Phase-Swamp"), None);
        assert_eq!(heuristic("trivial_phase_swamp"), None);
        assert_eq!(heuristic(""), None);
    }

    #[test]
    fn notch_is_half_for_the_ratio_heuristic_and_one_otherwise() {
        assert_eq!(notch("trivial-phase-swamp"), 0.5);
        for (name, ..) in SPEC_TABLE {
            if name != "trivial-phase-swamp" {
                assert_eq!(notch(name), 1.0, "{name}");
            }
        }
        assert_eq!(notch("my-custom-heuristic"), 1.0);
        // The 0.6 spelling that never matched the catalog is a custom heuristic now.
        assert_eq!(notch("trivial_phase_swamp"), 1.0);
    }

    #[test]
    fn categories_round_trip_through_text_and_serde() {
        let cases = [
            (Category::Coordination, "coordination"),
            (Category::Risk, "risk"),
            (Category::PlanShape, "plan-shape"),
            (Category::QualityLint, "quality-lint"),
        ];
        assert_eq!(Category::ALL, cases.map(|(category, _)| category));
        for (category, name) in cases {
            assert_eq!(category.as_str(), name);
            assert_eq!(category.to_string(), name);
            assert_eq!(name.parse::<Category>(), Ok(category));
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), category);
        }
        assert_eq!(
            "lint".parse::<Category>().unwrap_err().to_string(),
            "unknown heuristic category `lint`; expected one of: \
             coordination, risk, plan-shape, quality-lint",
        );
    }

    #[test]
    fn heuristic_serializes_with_its_category_text() {
        let json = serde_json::to_value(heuristic("infrastructure-spof").unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "name": "infrastructure-spof",
                "category": "risk",
                "default_threshold": 1.0,
                "section_added": "infra-SPOF",
                "ratio": false,
                "description": "How many phases depend directly on a phase that changes CI, build or lock files.",
            }),
        );
    }
}
