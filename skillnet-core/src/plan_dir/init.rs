//! The sidecar `init` writes: a parsed plan, its triggers and meta-heuristics, and what an
//! existing sidecar keeps when it is written again (id, creation time, worktype, user tags, verify).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{shape_hash, PlanShape};
use crate::plan::{Phase, Trigger};
use crate::sidecar::{Sidecar, SidecarError, SidecarPlan, SidecarProblem, SCHEMA_VERSION};
use crate::tag::{self, is_auto_key};
use crate::verification::Verification;

/// What an existing sidecar hands on to the one that replaces it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    /// The plan's id.
    pub id: Option<String>,
    /// When the plan was first written (unix seconds).
    pub created_at: Option<i64>,
    /// The kind of work, set by hand.
    pub worktype: Option<String>,
    /// Tags under keys skillnet does not derive itself.
    pub user_tags: BTreeMap<String, String>,
    /// The verify block.
    pub verify: Option<Verification>,
}

impl Kept {
    /// Reads what to keep from an existing sidecar's text. A sidecar of another schema version,
    /// text that is not a JSON object, or a verify block that breaks the format is an error
    /// naming `origin`; fields that are missing or of the wrong type are simply not kept.
    pub fn from_sidecar(text: &str, origin: &str) -> Result<Self, SidecarError> {
        let fail = |field: Option<&str>, problem| SidecarError {
            origin: origin.to_owned(),
            position: None,
            field: field.map(str::to_owned),
            problem,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value =
            serde_json::from_str(text).map_err(|e| fail(None, SidecarProblem::Malformed(e.to_string())))?;
        let Value::Object(top) = value else {
            return Err(fail(None, SidecarProblem::Malformed("not a JSON object".into())));
        };
        if let Some(version) =
            top.get("schema_version").and_then(Value::as_i64).filter(|v| *v != SCHEMA_VERSION)
        {
            return Err(fail(Some("schema_version"), SidecarProblem::SchemaVersion(version)));
        }
        let plan = top.get("plan");
        let text_of = |key: &str| plan.and_then(|p| p.get(key)).and_then(Value::as_str).map(str::to_owned);
        let user_tags = top
            .get("tags")
            .and_then(Value::as_object)
            .map(|tags| {
                tags.iter()
                    .filter(|(key, _)| !is_auto_key(key))
                    .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let verify = match top.get("verify") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                serde_json::from_value(v.clone())
                    .map_err(|e| fail(Some("verify"), SidecarProblem::Malformed(e.to_string())))?,
            ),
        };
        Ok(Self {
            id: text_of("id").filter(|id| !id.trim().is_empty()),
            created_at: plan.and_then(|p| p.get("created_at")).and_then(Value::as_i64),
            worktype: text_of("worktype"),
            user_tags,
            verify,
        })
    }
}

/// Builds the sidecar of `plan` with the given id and creation time: the plan's measures and
/// shape hash, the triggers and fired meta-heuristics as given, the auto tags (`flavor`,
/// `worktype`, `scope`, `risk`) under the kept user tags, and the kept verify block.
pub fn sidecar(
    plan: &PlanShape,
    triggers: Vec<Trigger>,
    meta_fired: Vec<String>,
    id: String,
    created_at: i64,
    kept: Kept,
    generator: Option<String>,
) -> Sidecar {
    let phases: Vec<Phase> = plan
        .phases
        .iter()
        .map(|p| Phase {
            ordinal: p.ordinal,
            slug: p.slug.clone(),
            routing_tier: p.routing_tier.clone(),
            files: p.files.clone(),
        })
        .collect();
    let mut tags = kept.user_tags;
    tags.insert("flavor".into(), plan.flavor.clone());
    if let Some(worktype) = &kept.worktype {
        tags.insert("worktype".into(), worktype.clone());
    }
    tags.insert("scope".into(), tag::scope(plan.repo_spread).into());
    tags.insert(
        "risk".into(),
        tag::risk_of(|tier| plan.routing_dist.get(tier).is_some_and(|&n| n > 0)).into(),
    );
    Sidecar {
        schema_version: SCHEMA_VERSION,
        plan: SidecarPlan {
            id,
            name: plan.name.clone(),
            flavor: plan.flavor.clone(),
            worktype: kept.worktype,
            created_at,
            phase_count: plan.phase_count,
            wave_count: plan.wave_count,
            max_chain_depth: plan.max_chain_depth,
            repo_spread: plan.repo_spread,
            routing_dist: plan.routing_dist.clone(),
            shape_hash: shape_hash::shape_hash(plan),
        },
        triggers,
        phases,
        meta_heuristics_fired: meta_fired,
        tags,
        verify: kept.verify,
        generator,
    }
}

/// The sidecar as `init` writes it: pretty JSON (two-space indent, fields in 0.6's order) and a
/// final newline.
pub fn render(sidecar: &Sidecar) -> String {
    let mut text = serde_json::to_string_pretty(sidecar).expect("a sidecar always serializes");
    text.push('\n');
    text
}
