//! The sidecar: `<plan-dir>/.calibration.json`, schema_version 1, as written by skillnet 0.6.
//!
//! [`parse`] turns one sidecar's text into a validated [`PlanRecord`] or a [`SidecarError`] that
//! names where the text came from, the line and column and the field where serde knows them,
//! and the rule that was broken. Unknown fields are ignored, so newer writers stay readable.
//!
//! ```
//! let text = r#"{"schema_version": 1,
//!   "plan": {"id": "p-1", "name": "demo", "flavor": "codex", "created_at": 1700000000,
//!            "phase_count": 0, "wave_count": 0, "max_chain_depth": 0, "repo_spread": 1,
//!            "routing_dist": {}, "shape_hash": "ab12"},
//!   "triggers": [], "phases": []}"#;
//! let record = skillnet_core::sidecar::parse(text, "demo/.calibration.json").unwrap();
//! assert_eq!(record.plan.id.as_str(), "p-1");
//!
//! let err = skillnet_core::sidecar::parse("{\"schema_version\": 2}", "x.json").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "x.json: field `schema_version`: unsupported calibration sidecar schema_version 2; expected 1"
//! );
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::plan::{Phase, Plan, PlanId, PlanRecord, Trigger};
use crate::tag::{InvalidTag, Tag};
use crate::verification::Verification;

/// The only sidecar schema version this crate reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

/// A sidecar as it appears on disk (schema_version 1). Parse with [`parse`]; build one from a
/// record with [`Sidecar::from_record`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: i64,
    /// The plan's shape.
    pub plan: SidecarPlan,
    /// Heuristics evaluated against the plan (required, as in 0.6; `[]` for none).
    pub triggers: Vec<Trigger>,
    /// The plan's phases (required, as in 0.6; `[]` for none).
    pub phases: Vec<Phase>,
    /// Meta-heuristics that made the plan worth capturing (the `signal` auto tags).
    #[serde(default)]
    pub meta_heuristics_fired: Vec<String>,
    /// User tags, one value per key.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// How the executed plan went; absent or null until it has run.
    #[serde(default)]
    pub verify: Option<Verification>,
    /// What wrote the sidecar (`skillnet <version>`), when it says; skillnet 0.6 wrote none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
}

/// The `plan` object of a sidecar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SidecarPlan {
    /// Plan id (non-empty).
    pub id: String,
    /// Plan name.
    pub name: String,
    /// Agent family.
    pub flavor: String,
    /// Kind of work, if any.
    #[serde(default)]
    pub worktype: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Number of phases; must equal the length of `phases`.
    pub phase_count: i64,
    /// Number of waves.
    pub wave_count: i64,
    /// Longest dependency chain.
    pub max_chain_depth: i64,
    /// Number of repositories touched.
    pub repo_spread: i64,
    /// Phases per model tier.
    #[serde(default)]
    pub routing_dist: BTreeMap<String, i64>,
    /// Shape hash, hex.
    pub shape_hash: String,
}

/// A sidecar that could not be read, with everything known about where.
#[derive(Debug, Clone, PartialEq)]
pub struct SidecarError {
    /// Where the text came from: a file path, or `FILE line N` for JSON Lines.
    pub origin: String,
    /// Line and column of the problem, when serde reported them.
    pub position: Option<Position>,
    /// Path of the offending field, e.g. `plan.phase_count` or `triggers[2].fired`.
    pub field: Option<String>,
    /// What rule was broken.
    pub problem: SidecarProblem,
}

/// A place in a sidecar's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::error::Error for SidecarError {}

impl fmt::Display for SidecarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ": line {line}, column {column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// The rule a sidecar broke.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SidecarProblem {
    /// Not JSON, or JSON of the wrong shape (serde's message).
    #[error("malformed calibration sidecar: {0}")]
    Malformed(String),
    /// `schema_version` is not 1.
    #[error("unsupported calibration sidecar schema_version {0}; expected 1")]
    SchemaVersion(i64),
    /// `plan.id` is empty or padded with whitespace.
    #[error("the plan id must be a non-empty string without surrounding whitespace")]
    PlanId,
    /// A count is below zero.
    #[error("must not be negative, found {0}")]
    Negative(i64),
    /// `plan.phase_count` disagrees with the number of phases listed.
    #[error("phase_count is {declared} but {actual} phases are listed")]
    PhaseCount {
        /// The declared count.
        declared: i64,
        /// The number of entries in `phases`.
        actual: usize,
    },
    /// Two phases share an ordinal.
    #[error("phase ordinal {0} appears more than once")]
    DuplicateOrdinal(i64),
    /// `fired` is not `input_value >= threshold`.
    #[error(
        "trigger `{name}` has fired={fired} but input_value {input_value} {} threshold {threshold}",
        if *input_value >= *threshold { ">=" } else { "<" }
    )]
    Fired {
        /// Trigger name.
        name: String,
        /// The recorded value.
        input_value: f64,
        /// The recorded threshold.
        threshold: f64,
        /// The recorded (contradicting) flag.
        fired: bool,
    },
    /// A tag key or value breaks the tag rules.
    #[error(transparent)]
    Tag(#[from] InvalidTag),
    /// A value breaks a bound every stored value keeps ([`crate::limits`]).
    #[error(transparent)]
    Limit(#[from] crate::limits::Problem),
}

/// What is worth a warning in a valid record: a `routing_dist` that disagrees with the phases'
/// tiers (stored as written, as skillnet 0.6 did), and sidecar tags under auto keys whose values
/// differ from what skillnet derives (they are not stored).
pub fn warnings(record: &PlanRecord) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut from_phases: BTreeMap<&str, i64> = BTreeMap::new();
    for phase in &record.phases {
        *from_phases.entry(phase.routing_tier.as_str()).or_default() += 1;
    }
    let declared: BTreeMap<&str, i64> =
        record.plan.routing_dist.iter().filter(|(_, &n)| n != 0).map(|(t, &n)| (t.as_str(), n)).collect();
    if declared != from_phases {
        warnings.push(format!(
            "plan.routing_dist {declared:?} disagrees with the phases' tiers {from_phases:?}; stored as written"
        ));
    }
    let derived = crate::tag::auto_tags(&record.plan, &record.phases, None);
    for tag in record.tags.iter().filter(|t| crate::tag::is_auto_key(t.key.as_str())) {
        if !derived.iter().any(|(k, v)| k == tag.key.as_str() && *v == tag.value) {
            warnings.push(format!(
                "tags.{}: the value `{}` is ignored; skillnet derives the {} tag itself",
                tag.key,
                crate::limits::excerpt(&tag.value),
                tag.key
            ));
        }
    }
    warnings
}

impl SidecarError {
    fn at(origin: &str, field: impl Into<String>, problem: SidecarProblem) -> Self {
        Self { origin: origin.to_owned(), position: None, field: Some(field.into()), problem }
    }
}

/// Parses and validates one sidecar. `origin` names the text's source in error messages.
pub fn parse(text: &str, origin: &str) -> Result<PlanRecord, SidecarError> {
    // Editors on some systems put a byte-order mark first; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let sidecar: Sidecar = match serde_path_to_error::deserialize(&mut de) {
        Ok(sidecar) => sidecar,
        Err(err) => {
            // A sidecar of another schema version may not even have our shape: say so first.
            if let Some(found) = foreign_schema_version(text) {
                return Err(SidecarError::at(origin, "schema_version", SidecarProblem::SchemaVersion(found)));
            }
            let path = err.path().to_string();
            return Err(malformed(origin, Some(path), err.into_inner()));
        }
    };
    de.end().map_err(|err| malformed(origin, None, err))?;
    sidecar.into_record(origin)
}

fn foreign_schema_version(text: &str) -> Option<i64> {
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: i64,
    }
    let v: VersionOnly = serde_json::from_str(text).ok()?;
    (v.schema_version != SCHEMA_VERSION).then_some(v.schema_version)
}

fn malformed(origin: &str, path: Option<String>, inner: serde_json::Error) -> SidecarError {
    let message = inner.to_string();
    // serde_json appends " at line L column C"; we report those separately.
    let message = match message.rsplit_once(" at line ") {
        Some((head, _)) if inner.line() > 0 => head.to_owned(),
        _ => message,
    };
    SidecarError {
        origin: origin.to_owned(),
        position: (inner.line() > 0).then(|| Position { line: inner.line(), column: inner.column() }),
        field: path.filter(|p| p != "." && p != "?"),
        problem: SidecarProblem::Malformed(message),
    }
}

impl Sidecar {
    /// Validates the sidecar against the rules of schema_version 1 and builds the record.
    pub fn into_record(self, origin: &str) -> Result<PlanRecord, SidecarError> {
        let fail = |field: String, problem| Err(SidecarError::at(origin, field, problem));
        if self.schema_version != SCHEMA_VERSION {
            return fail("schema_version".into(), SidecarProblem::SchemaVersion(self.schema_version));
        }
        let p = self.plan;
        let Ok(id) = PlanId::new(p.id) else {
            return fail("plan.id".into(), SidecarProblem::PlanId);
        };
        let counts = [
            ("plan.phase_count", p.phase_count),
            ("plan.wave_count", p.wave_count),
            ("plan.max_chain_depth", p.max_chain_depth),
            ("plan.repo_spread", p.repo_spread),
        ];
        for (field, value) in counts {
            if value < 0 {
                return fail(field.into(), SidecarProblem::Negative(value));
            }
        }
        for (tier, &count) in &p.routing_dist {
            if count < 0 {
                return fail(format!("plan.routing_dist.{tier}"), SidecarProblem::Negative(count));
            }
        }
        if usize::try_from(p.phase_count).ok() != Some(self.phases.len()) {
            return fail(
                "plan.phase_count".into(),
                SidecarProblem::PhaseCount { declared: p.phase_count, actual: self.phases.len() },
            );
        }
        let mut ordinals = BTreeSet::new();
        for (i, phase) in self.phases.iter().enumerate() {
            if !ordinals.insert(phase.ordinal) {
                return fail(format!("phases[{i}].ordinal"), SidecarProblem::DuplicateOrdinal(phase.ordinal));
            }
        }
        for (i, t) in self.triggers.iter().enumerate() {
            if t.fired != (t.input_value >= t.threshold) {
                return fail(
                    format!("triggers[{i}].fired"),
                    SidecarProblem::Fired {
                        name: t.name.clone(),
                        input_value: t.input_value,
                        threshold: t.threshold,
                        fired: t.fired,
                    },
                );
            }
        }
        let mut tags = Vec::with_capacity(self.tags.len());
        for (key, value) in self.tags {
            match Tag::new(key.clone(), value) {
                Ok(tag) => tags.push(tag),
                Err(e) => return fail(format!("tags.{key}"), e.into()),
            }
        }
        if let Some(v) = &self.verify {
            if let Some(elapsed) = v.elapsed_seconds.filter(|e| *e < 0) {
                return fail("verify.elapsed_seconds".into(), SidecarProblem::Negative(elapsed));
            }
        }
        let plan = Plan {
            id,
            name: p.name,
            path: None,
            flavor: p.flavor,
            worktype: p.worktype,
            created_at: p.created_at,
            phase_count: p.phase_count,
            wave_count: p.wave_count,
            max_chain_depth: p.max_chain_depth,
            repo_spread: p.repo_spread,
            routing_dist: p.routing_dist,
            shape_hash: p.shape_hash,
            capture_reasons: self.meta_heuristics_fired,
            generator: self.generator,
        };
        let record = PlanRecord {
            plan,
            phases: self.phases,
            triggers: self.triggers,
            tags,
            verification: self.verify,
        };
        crate::limits::check_record(&record)
            .map_err(|(field, problem)| SidecarError::at(origin, field, SidecarProblem::Limit(problem)))?;
        Ok(record)
    }

    /// The sidecar that describes `record` (the inverse of [`parse`]).
    pub fn from_record(record: &PlanRecord) -> Self {
        let p = &record.plan;
        Self {
            schema_version: SCHEMA_VERSION,
            plan: SidecarPlan {
                id: p.id.as_str().to_owned(),
                name: p.name.clone(),
                flavor: p.flavor.clone(),
                worktype: p.worktype.clone(),
                created_at: p.created_at,
                phase_count: p.phase_count,
                wave_count: p.wave_count,
                max_chain_depth: p.max_chain_depth,
                repo_spread: p.repo_spread,
                routing_dist: p.routing_dist.clone(),
                shape_hash: p.shape_hash.clone(),
            },
            triggers: record.triggers.clone(),
            phases: record.phases.clone(),
            meta_heuristics_fired: p.capture_reasons.clone(),
            tags: record.tags.iter().map(|t| (t.key.to_string(), t.value.clone())).collect(),
            verify: record.verification.clone(),
            generator: p.generator.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn valid() -> Value {
        json!({
            "schema_version": 1,
            "plan": {
                "id": "2f1c9e0a-0000-4000-8000-000000000001", "name": "auth rewrite",
                "flavor": "claude", "worktype": "feature", "created_at": 1_700_000_000,
                "phase_count": 2, "wave_count": 1, "max_chain_depth": 2, "repo_spread": 2,
                "routing_dist": {"high": 1, "low": 1}, "shape_hash": "9f86d081"
            },
            "triggers": [
                {"name": "shared-file-contention", "input_value": 3.0, "threshold": 2.0, "fired": true,
                 "section_added": "Shared-file lockstep"},
                {"name": "trivial-phase-swamp", "input_value": 0.5, "threshold": 4.0, "fired": false,
                 "section_added": null}
            ],
            "phases": [
                {"ordinal": 1, "slug": "schema", "routing_tier": "high", "files": ["db/schema.sql"]},
                {"ordinal": 2, "slug": "docs", "routing_tier": "low", "files": []}
            ],
            "meta_heuristics_fired": ["uniform-random"],
            "tags": {"team": "identity"},
            "verify": {
                "verified_at": 1_700_100_000, "elapsed_seconds": 5400, "outcome": "shipped",
                "phase_outcomes": {"schema": "passed", "docs": "passed"},
                "emergency_changes": {"files": ["hotfix.rs"]}, "surprises": "dead-weight: x: y"
            },
            "some_future_field": {"ignored": true}
        })
    }

    fn parse_value(v: &Value) -> Result<PlanRecord, SidecarError> {
        parse(&serde_json::to_string_pretty(v).unwrap(), "plan/.calibration.json")
    }

    #[test]
    fn a_full_sidecar_parses_and_round_trips() {
        let record = parse_value(&valid()).unwrap();
        assert_eq!(record.plan.capture_reasons, ["uniform-random"]);
        assert_eq!(record.phases.len(), 2);
        assert_eq!(record.tags, [Tag::new("team", "identity").unwrap()]);
        let verify = record.verification.as_ref().unwrap();
        assert_eq!(verify.outcome, crate::verification::Outcome::Shipped);
        let back = serde_json::to_value(Sidecar::from_record(&record)).unwrap();
        let mut expected = valid();
        expected.as_object_mut().unwrap().remove("some_future_field");
        assert_eq!(back, expected);
    }

    #[test]
    fn optional_parts_may_be_missing_or_null() {
        let mut v = valid();
        let o = v.as_object_mut().unwrap();
        o.insert("verify".into(), Value::Null);
        o.remove("tags");
        o.remove("meta_heuristics_fired");
        v["plan"]["worktype"] = Value::Null;
        let record = parse_value(&v).unwrap();
        assert!(record.verification.is_none() && record.tags.is_empty());
    }

    fn rejected(edit: impl FnOnce(&mut Value)) -> SidecarError {
        let mut v = valid();
        edit(&mut v);
        parse_value(&v).expect_err("must be rejected")
    }

    #[test]
    fn every_rule_of_the_format_is_enforced() {
        let e = rejected(|v| v["schema_version"] = json!(2));
        assert_eq!(e.problem, SidecarProblem::SchemaVersion(2));
        assert_eq!(e.field.as_deref(), Some("schema_version"));

        let e = rejected(|v| v["triggers"][1]["fired"] = json!(true));
        assert_eq!(e.field.as_deref(), Some("triggers[1].fired"));
        assert!(e
            .to_string()
            .contains("trigger `trivial-phase-swamp` has fired=true but input_value 0.5 < threshold 4"));

        let e = rejected(|v| v["phases"][1]["ordinal"] = json!(1));
        assert_eq!(e.problem, SidecarProblem::DuplicateOrdinal(1));

        let e = rejected(|v| v["plan"]["phase_count"] = json!(3));
        assert_eq!(e.problem, SidecarProblem::PhaseCount { declared: 3, actual: 2 });

        for field in ["phase_count", "wave_count", "max_chain_depth", "repo_spread"] {
            let e = rejected(|v| v["plan"][field] = json!(-1));
            assert_eq!(e.problem, SidecarProblem::Negative(-1), "{field}");
            assert_eq!(e.field, Some(format!("plan.{field}")));
        }
        let e = rejected(|v| v["plan"]["routing_dist"]["low"] = json!(-2));
        assert_eq!(e.field.as_deref(), Some("plan.routing_dist.low"));

        let e = rejected(|v| v["verify"]["outcome"] = json!("merged"));
        assert_eq!(e.field.as_deref(), Some("verify.outcome"));
        assert!(e
            .to_string()
            .contains("unknown variant `merged`, expected one of `shipped`, `partial`, `abandoned`"));
        assert!(e.position.is_some());

        let e = rejected(|v| v["tags"] = json!({"Bad Key": "x"}));
        assert_eq!(e.problem, SidecarProblem::Tag(InvalidTag::Key("Bad Key".into())));
        assert_eq!(e.field.as_deref(), Some("tags.Bad Key"));

        for id in ["", "  padded "] {
            let e = rejected(|v| v["plan"]["id"] = json!(id));
            assert_eq!(e.problem, SidecarProblem::PlanId);
        }
    }

    #[test]
    fn malformed_json_names_line_column_and_field() {
        let e = parse("{\n  \"schema_version\": 1,\n  \"plan\": {\"id\": 5}\n}", "a/.calibration.json")
            .unwrap_err();
        assert_eq!(e.position.map(|p| p.line), Some(3));
        assert_eq!(e.field.as_deref(), Some("plan.id"));
        assert!(e.to_string().starts_with("a/.calibration.json: line 3, column "), "{e}");

        let e = parse("{\"schema_version\": 1,", "b.json").unwrap_err();
        assert!(matches!(e.problem, SidecarProblem::Malformed(_)));
        assert!(e.position.is_some());

        let e = parse("{\"schema_version\": 1, \"plan\": {}} trailing", "c.json").unwrap_err();
        assert!(matches!(e.problem, SidecarProblem::Malformed(_)));
    }

    #[test]
    fn a_foreign_schema_version_is_named_even_when_the_shape_differs() {
        let e = parse(r#"{"schema_version": 3, "plans": []}"#, "x.json").unwrap_err();
        assert_eq!(e.problem, SidecarProblem::SchemaVersion(3));
    }
}
