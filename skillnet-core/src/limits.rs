//! The bounds every stored value keeps, checked here once so that every backend accepts and
//! refuses exactly the same records: no NUL characters (PostgreSQL text cannot hold them),
//! lengths a database index can hold, times between 1970 and the end of year 9999 (what dates
//! can be printed), ordinals, trigger names and slugs unique within a plan, and no empty names.
//!
//! ```
//! use skillnet_core::limits::{self, Problem};
//!
//! assert_eq!(limits::text("a\0b", limits::MAX_KEY_BYTES), Err(Problem::Nul));
//! assert_eq!(limits::time(253_402_300_800), Err(Problem::Time(253_402_300_800)));
//! assert!(limits::time(1_700_000_000).is_ok());
//! ```

use std::collections::BTreeSet;

use crate::plan::PlanRecord;
use crate::verification::Verification;

/// Longest text that is a key or sits in an index: plan ids, tag keys and values, trigger
/// names, slugs, routing tiers, flavor, worktype (bytes of UTF-8).
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest free text: a plan's name, a file, a section, surprises, emergency changes as JSON
/// (bytes of UTF-8).
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// The last second of year 9999, the latest time skillnet stores (unix seconds).
pub const MAX_TIME: i64 = 253_402_300_799;

/// A bound a value breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The text holds a NUL character.
    #[error("contains a NUL character")]
    Nul,
    /// The text is longer than allowed.
    #[error("is {len} bytes long; at most {limit} are allowed")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The bound.
        limit: usize,
    },
    /// The text is empty.
    #[error("must not be empty")]
    Empty,
    /// A time before 1970 or after year 9999.
    #[error("{0} is not a time between 1970 and the end of year 9999 (unix seconds 0 to {MAX_TIME})")]
    Time(i64),
    /// A phase ordinal below zero.
    #[error("phase ordinal {0} is negative")]
    Ordinal(i64),
    /// A text that must be a JSON document is not one.
    #[error("is not a JSON document")]
    Json,
    /// A name that must be unique within the plan appears twice.
    #[error("`{}` appears more than once", excerpt(.0))]
    Duplicate(String),
}

/// `value` as it may be echoed in a message: whole when short, else its first 60 characters and
/// its length.
///
/// ```
/// use skillnet_core::limits::excerpt;
///
/// assert_eq!(excerpt("short"), "short");
/// assert_eq!(excerpt(&"x".repeat(1000)), format!("{}… (1000 bytes)", "x".repeat(60)));
/// ```
pub fn excerpt(value: &str) -> String {
    const SHOWN: usize = 60;
    match value.char_indices().nth(SHOWN) {
        None => value.to_owned(),
        Some((end, _)) => format!("{}… ({} bytes)", &value[..end], value.len()),
    }
}

/// Checks a text against NUL characters and `limit` bytes.
pub fn text(value: &str, limit: usize) -> Result<(), Problem> {
    if value.contains('\0') {
        return Err(Problem::Nul);
    }
    if value.len() > limit {
        return Err(Problem::TooLong { len: value.len(), limit });
    }
    Ok(())
}

/// Checks a name: a key-sized text that is not empty.
pub fn name(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Empty);
    }
    text(value, MAX_KEY_BYTES)
}

/// Checks a time in unix seconds: from 1970 to the end of year 9999.
pub fn time(value: i64) -> Result<(), Problem> {
    if (0..=MAX_TIME).contains(&value) {
        Ok(())
    } else {
        Err(Problem::Time(value))
    }
}

/// Checks every text of a JSON value (strings and object keys) and its size as text.
fn json(value: &serde_json::Value) -> Result<(), Problem> {
    fn walk(value: &serde_json::Value) -> Result<(), Problem> {
        match value {
            serde_json::Value::String(s) => text(s, MAX_TEXT_BYTES),
            serde_json::Value::Array(items) => items.iter().try_for_each(walk),
            serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                text(k, MAX_TEXT_BYTES)?;
                walk(v)
            }),
            _ => Ok(()),
        }
    }
    walk(value)?;
    let len = value.to_string().len();
    if len > MAX_TEXT_BYTES {
        return Err(Problem::TooLong { len, limit: MAX_TEXT_BYTES });
    }
    Ok(())
}

/// Names the field a problem is found in.
fn at(field: impl Into<String>) -> impl FnOnce(Problem) -> (String, Problem) {
    let field = field.into();
    move |problem| (field, problem)
}

/// The first bound `record` breaks, with the sidecar field that breaks it.
pub fn check_record(record: &PlanRecord) -> Result<(), (String, Problem)> {
    let p = &record.plan;
    name(p.id.as_str()).map_err(at("plan.id"))?;
    text(&p.name, MAX_TEXT_BYTES).map_err(at("plan.name"))?;
    name(&p.flavor).map_err(at("plan.flavor"))?;
    if let Some(worktype) = &p.worktype {
        name(worktype).map_err(at("plan.worktype"))?;
    }
    time(p.created_at).map_err(at("plan.created_at"))?;
    text(&p.shape_hash, MAX_KEY_BYTES).map_err(at("plan.shape_hash"))?;
    if let Some(path) = &p.path {
        text(path, MAX_TEXT_BYTES).map_err(at("plan.path"))?;
    }
    for tier in p.routing_dist.keys() {
        name(tier).map_err(at(format!("plan.routing_dist.{tier}")))?;
    }
    for (i, reason) in p.capture_reasons.iter().enumerate() {
        name(reason).map_err(at(format!("meta_heuristics_fired[{i}]")))?;
    }
    let mut slugs = BTreeSet::new();
    for (i, phase) in record.phases.iter().enumerate() {
        if phase.ordinal < 0 {
            return Err((format!("phases[{i}].ordinal"), Problem::Ordinal(phase.ordinal)));
        }
        name(&phase.slug).map_err(at(format!("phases[{i}].slug")))?;
        if !slugs.insert(phase.slug.as_str()) {
            return Err((format!("phases[{i}].slug"), Problem::Duplicate(phase.slug.clone())));
        }
        name(&phase.routing_tier).map_err(at(format!("phases[{i}].routing_tier")))?;
        for (j, file) in phase.files.iter().enumerate() {
            text(file, MAX_TEXT_BYTES).map_err(at(format!("phases[{i}].files[{j}]")))?;
        }
    }
    let mut triggers = BTreeSet::new();
    for (i, trigger) in record.triggers.iter().enumerate() {
        name(&trigger.name).map_err(at(format!("triggers[{i}].name")))?;
        if !triggers.insert(trigger.name.as_str()) {
            return Err((format!("triggers[{i}].name"), Problem::Duplicate(trigger.name.clone())));
        }
        if let Some(section) = &trigger.section_added {
            text(section, MAX_TEXT_BYTES).map_err(at(format!("triggers[{i}].section_added")))?;
        }
    }
    if let Some(v) = &record.verification {
        check_verification(v).map_err(|(field, problem)| (format!("verify.{field}"), problem))?;
    }
    Ok(())
}

/// The first bound a verification breaks, with the field (inside the verify block).
pub fn check_verification(v: &Verification) -> Result<(), (String, Problem)> {
    time(v.verified_at).map_err(at("verified_at"))?;
    if let Some(elapsed) = v.elapsed_seconds {
        time(elapsed).map_err(at("elapsed_seconds"))?;
    }
    for (phase, outcome) in &v.phase_outcomes {
        text(phase, MAX_KEY_BYTES).map_err(at(format!("phase_outcomes.{phase}")))?;
        text(outcome, MAX_KEY_BYTES).map_err(at(format!("phase_outcomes.{phase}")))?;
    }
    if let Some(changes) = &v.emergency_changes {
        json(changes).map_err(at("emergency_changes"))?;
    }
    if let Some(surprises) = &v.surprises {
        text(surprises, MAX_TEXT_BYTES).map_err(at("surprises"))?;
    }
    Ok(())
}

/// The first bound a skill use breaks, with the field that breaks it. The payload must be a JSON
/// document within the bounds of any other JSON the store keeps.
pub fn check_skill_use(u: &crate::usage::SkillUse) -> Result<(), (String, Problem)> {
    for (field, value) in [
        ("harness", &u.harness),
        ("session_id", &u.session_id),
        ("skill", &u.skill_name),
        ("event", &u.event),
    ] {
        name(value).map_err(at(field))?;
    }
    for (field, value) in [
        ("source_event_id", &u.source_event_id),
        ("tool_name", &u.tool_name),
        ("outcome", &u.outcome),
        ("adapter_version", &u.adapter_version),
    ] {
        if let Some(value) = value {
            text(value, MAX_KEY_BYTES).map_err(at(field))?;
        }
    }
    if let Some(dir) = &u.project_dir {
        text(dir, MAX_TEXT_BYTES).map_err(at("project_dir"))?;
    }
    time(u.at).map_err(at("at"))?;
    let payload: serde_json::Value =
        serde_json::from_str(&u.payload).map_err(|_| ("payload".to_owned(), Problem::Json))?;
    json(&payload).map_err(at("payload"))
}
