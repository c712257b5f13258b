//! Tags: `(key, value)` labels on plans, and the auto tags derived from a plan's shape.
//!
//! Auto tags are recomputed whenever a plan is recorded or verified; their keys are protected
//! from removal. User tags come from the sidecar's `tags` map or are added to a recorded plan.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::{Phase, Plan};
use crate::transition::UnknownVariant;
use crate::verification::Outcome;

/// Keys that skillnet derives itself; a user cannot remove or set them.
pub const AUTO_TAG_KEYS: [&str; 6] = ["flavor", "worktype", "scope", "risk", "signal", "outcome"];

/// Whether `key` is one of the [`AUTO_TAG_KEYS`].
pub fn is_auto_key(key: &str) -> bool {
    AUTO_TAG_KEYS.contains(&key)
}

/// A tag key: matches `^[a-z][a-z0-9_-]*$`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagKey(String);

/// Why a tag or tag key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTag {
    /// The key does not match `^[a-z][a-z0-9_-]*$`.
    #[error("invalid tag key `{}`: tag key must match ^[a-z][a-z0-9_-]*$", crate::limits::excerpt(.0))]
    Key(String),
    /// The text is not of the form `key=value`.
    #[error("invalid tag `{}`: expected KEY=VALUE", crate::limits::excerpt(.0))]
    Form(String),
    /// The value is empty.
    #[error("invalid tag `{0}`: the value is empty")]
    EmptyValue(String),
    /// The key or value breaks a bound of [`crate::limits`] (NUL character, length).
    #[error("invalid tag `{}`: {problem}", crate::limits::excerpt(.tag))]
    Limit {
        /// The tag as given.
        tag: String,
        /// The bound it breaks.
        problem: Box<crate::limits::Problem>,
    },
}

impl TagKey {
    /// Validates `key` against `^[a-z][a-z0-9_-]*$`.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidTag> {
        let key = key.into();
        let mut chars = key.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if valid {
            Ok(Self(key))
        } else {
            Err(InvalidTag::Key(key))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key a key written without the pattern reads as, for keys skillnet 0.6 stored from
    /// sidecars as they were written: a valid key as it is, any other in ASCII lower case with
    /// each run of other characters one `-` (`Team Name` is `team-name`), after `tag-` when it
    /// starts with no letter (`2fa` is `tag-2fa`); `tag` when nothing is left.
    pub fn from_written(written: &str) -> TagKey {
        if let Ok(key) = TagKey::new(written) {
            return key;
        }
        let mut key = String::with_capacity(written.len());
        for c in written.trim().chars().map(|c| c.to_ascii_lowercase()) {
            match c {
                'a'..='z' | '0'..='9' | '_' => key.push(c),
                _ if !key.is_empty() && !key.ends_with('-') => key.push('-'),
                _ => {}
            }
        }
        let key = key.trim_end_matches('-');
        match key.chars().next() {
            None => TagKey("tag".to_owned()),
            Some('a'..='z') => TagKey(key.to_owned()),
            Some(_) => TagKey(format!("tag-{key}")),
        }
    }
}

impl TryFrom<String> for TagKey {
    type Error = InvalidTag;
    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

impl From<TagKey> for String {
    fn from(key: TagKey) -> Self {
        key.0
    }
}

impl FromStr for TagKey {
    type Err = InvalidTag;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for TagKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `(key, value)` label on a plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Tag {
    /// The tag's key.
    pub key: TagKey,
    /// The tag's value (non-empty).
    pub value: String,
}

impl Tag {
    /// Builds a tag, validating the key and refusing an empty value.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Result<Self, InvalidTag> {
        let key = TagKey::new(key)?;
        let value = value.into();
        if value.is_empty() {
            return Err(InvalidTag::EmptyValue(format!("{key}=")));
        }
        if let Err(problem) = crate::limits::text(key.as_str(), crate::limits::MAX_KEY_BYTES)
            .and(crate::limits::text(&value, crate::limits::MAX_KEY_BYTES))
        {
            return Err(InvalidTag::Limit { tag: format!("{key}={value}"), problem: Box::new(problem) });
        }
        Ok(Self { key, value })
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

impl FromStr for Tag {
    type Err = InvalidTag;
    /// Parses `key=value`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (key, value) = s.split_once('=').ok_or_else(|| InvalidTag::Form(s.to_owned()))?;
        Tag::new(key, value)
    }
}

/// Where a stored tag came from; decides what survives a re-record and what `untag` may remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagSource {
    /// Derived by skillnet from the plan (see [`auto_tags`]) or its newest verification.
    Auto,
    /// From the sidecar's `tags` map; replaced when the plan is recorded again.
    Sidecar,
    /// Added to a recorded plan; kept when the plan is recorded again.
    User,
}

impl TagSource {
    /// Every source, in order.
    pub const ALL: [TagSource; 3] = [TagSource::Auto, TagSource::Sidecar, TagSource::User];
    const NAMES: &'static [&'static str] = &["auto", "sidecar", "user"];

    /// The source's name as stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            TagSource::Auto => "auto",
            TagSource::Sidecar => "sidecar",
            TagSource::User => "user",
        }
    }
}

impl fmt::Display for TagSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TagSource {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TagSource::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| UnknownVariant {
            kind: "tag source",
            value: s.to_owned(),
            expected: TagSource::NAMES,
        })
    }
}

/// The `scope` auto tag's value for a plan touching `repo_spread` repositories.
pub fn scope(repo_spread: i64) -> &'static str {
    match repo_spread {
        ..=1 => "single-repo",
        2 => "multi-repo",
        _ => "cross-org",
    }
}

/// The `risk` auto tag's value: `high` when any phase is routed to `max`, else `mixed` when
/// any is routed to `high`, else `low`. A tier counts as used when a phase is routed to it or
/// the plan's `routing_dist` gives it a positive count.
pub fn risk(plan: &Plan, phases: &[Phase]) -> &'static str {
    risk_of(|tier| {
        phases.iter().any(|p| p.routing_tier == tier) || plan.routing_dist.get(tier).is_some_and(|&n| n > 0)
    })
}

/// The `risk` value given which tiers are used: `high` with `max`, else `mixed` with `high`,
/// else `low`.
pub fn risk_of(uses: impl Fn(&str) -> bool) -> &'static str {
    if uses("max") {
        "high"
    } else if uses("high") {
        "mixed"
    } else {
        "low"
    }
}

/// The auto tags of a plan: `flavor`, `worktype` (when set), `scope`, `risk`, one `signal`
/// per capture reason, and `outcome` when the plan has a verification (its newest one).
pub fn auto_tags(plan: &Plan, phases: &[Phase], outcome: Option<Outcome>) -> Vec<(String, String)> {
    let mut tags = vec![("flavor".to_owned(), plan.flavor.clone())];
    if let Some(worktype) = &plan.worktype {
        tags.push(("worktype".to_owned(), worktype.clone()));
    }
    tags.push(("scope".to_owned(), scope(plan.repo_spread).to_owned()));
    tags.push(("risk".to_owned(), risk(plan, phases).to_owned()));
    for reason in &plan.capture_reasons {
        tags.push(("signal".to_owned(), reason.clone()));
    }
    if let Some(outcome) = outcome {
        tags.push(("outcome".to_owned(), outcome.as_str().to_owned()));
    }
    tags.retain(|(_, value)| !value.is_empty());
    tags.sort();
    tags.dedup();
    tags
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_key_written_without_the_pattern_reads_as_one_that_has_it() {
        for (written, key) in [
            ("team", "team"),
            ("a--b", "a--b"),
            ("Team Name", "team-name"),
            ("  Owner/Area: ", "owner-area"),
            ("2FA", "tag-2fa"),
            ("_x", "tag-_x"),
            ("équipe", "quipe"),
            ("", "tag"),
            ("!!", "tag"),
        ] {
            assert_eq!(TagKey::from_written(written).as_str(), key, "{written:?}");
            assert!(TagKey::new(key).is_ok(), "{key} is a valid key");
        }
    }

    fn plan(flavor: &str, worktype: Option<&str>, repo_spread: i64, reasons: &[&str]) -> Plan {
        Plan {
            id: crate::plan::PlanId::new("p1").unwrap(),
            name: "n".into(),
            path: None,
            flavor: flavor.into(),
            worktype: worktype.map(Into::into),
            created_at: 0,
            phase_count: 0,
            wave_count: 0,
            max_chain_depth: 0,
            repo_spread,
            routing_dist: BTreeMap::new(),
            shape_hash: "ab".into(),
            capture_reasons: reasons.iter().map(|s| s.to_string()).collect(),
            generator: None,
        }
    }

    fn phase(tier: &str) -> Phase {
        Phase { ordinal: 1, slug: "s".into(), routing_tier: tier.into(), files: vec![] }
    }

    #[test]
    fn tag_keys_follow_the_pattern() {
        for good in ["a", "team", "a1", "work_type", "x-y-z", "a_"] {
            assert!(TagKey::new(good).is_ok(), "{good}");
        }
        for bad in ["", "A", "1a", "_a", "-a", "a b", "a.b", "ké", "Team"] {
            assert_eq!(TagKey::new(bad), Err(InvalidTag::Key(bad.into())), "{bad}");
        }
    }

    #[test]
    fn tags_parse_from_key_equals_value() {
        let tag: Tag = "team=infra=core".parse().unwrap();
        assert_eq!((tag.key.as_str(), tag.value.as_str()), ("team", "infra=core"));
        assert_eq!("team".parse::<Tag>(), Err(InvalidTag::Form("team".into())));
        assert_eq!("team=".parse::<Tag>(), Err(InvalidTag::EmptyValue("team=".into())));
        assert_eq!("Team=x".parse::<Tag>(), Err(InvalidTag::Key("Team".into())));
    }

    #[test]
    fn scope_follows_repo_spread() {
        let cases =
            [(0, "single-repo"), (1, "single-repo"), (2, "multi-repo"), (3, "cross-org"), (9, "cross-org")];
        for (spread, expected) in cases {
            assert_eq!(scope(spread), expected, "repo_spread {spread}");
        }
    }

    #[test]
    fn risk_follows_the_highest_tier() {
        let p = plan("codex", None, 1, &[]);
        assert_eq!(risk(&p, &[phase("low"), phase("medium")]), "low");
        assert_eq!(risk(&p, &[phase("low"), phase("high")]), "mixed");
        assert_eq!(risk(&p, &[phase("high"), phase("max")]), "high");
        assert_eq!(risk(&p, &[]), "low");
        let mut q = p.clone();
        q.routing_dist.insert("max".into(), 1);
        assert_eq!(risk(&q, &[]), "high");
        q.routing_dist.insert("max".into(), 0);
        assert_eq!(risk(&q, &[]), "low");
    }

    #[test]
    fn auto_tags_cover_every_key() {
        let p = plan("claude", Some("migration"), 2, &["uniform-random", "novel-shape"]);
        let tags = auto_tags(&p, &[phase("high")], Some(Outcome::Partial));
        let expected: Vec<(String, String)> = [
            ("flavor", "claude"),
            ("outcome", "partial"),
            ("risk", "mixed"),
            ("scope", "multi-repo"),
            ("signal", "novel-shape"),
            ("signal", "uniform-random"),
            ("worktype", "migration"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(tags, expected);
        assert!(tags.iter().all(|(k, _)| is_auto_key(k)));
    }

    #[test]
    fn auto_tags_skip_unset_worktype_and_outcome() {
        let p = plan("codex", None, 0, &[]);
        let keys: Vec<String> = auto_tags(&p, &[], None).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["flavor", "risk", "scope"]);
    }
}
