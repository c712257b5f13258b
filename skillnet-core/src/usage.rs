//! Skill uses: each time an agent harness activates a skill, it reports the use, and the store
//! keeps one row per use (the `skill_invocations` table skillnet 0.6 wrote too).
//!
//! A use is harness-neutral ([`SkillUse`]); [`SkillUse::from_claude_code_hook`] reads one from
//! the JSON payload Claude Code hands its hooks. Reports group uses by the skill's
//! [`canonical_skill_name`], so `Simplify`, `simplify` and `superpowers:simplify` count as one.

use serde_json::Value;

/// The harness name of Claude Code.
pub const CLAUDE_CODE: &str = "claude-code";

/// The adapter that reads Claude Code hook payloads, and its version: stored with each use it
/// read, so that uses read by a later adapter can be told apart.
pub const CLAUDE_CODE_ADAPTER: &str = "claude-code-hook/1";

/// The session id stored when neither the environment nor the payload names one (as 0.6 did).
pub const NIL_SESSION: &str = "00000000-0000-0000-0000-000000000000";

/// One use of a skill, as a harness reported it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkillUse {
    /// The harness that reported it, e.g. [`CLAUDE_CODE`].
    pub harness: String,
    /// The harness's id of the event, when it gives one: a use reported twice with the same id
    /// (a retried hook) is stored once.
    pub source_event_id: Option<String>,
    /// The agent session the use happened in.
    pub session_id: String,
    /// The skill's name as the harness gave it.
    pub skill_name: String,
    /// The harness's tool that activated it (Claude Code: `Skill`), when known.
    pub tool_name: Option<String>,
    /// The project directory the agent worked in, when known.
    pub project_dir: Option<String>,
    /// `ok` or `error`, when known.
    pub outcome: Option<String>,
    /// The harness's name of the event (Claude Code: `PostToolUse`, `SessionEnd`, ...).
    pub event: String,
    /// The version of the adapter that read the report.
    pub adapter_version: Option<String>,
    /// The report as received, a JSON document.
    pub payload: String,
    /// When it happened (unix seconds).
    pub at: i64,
}

/// What the environment of a Claude Code hook says besides the payload (`CLAUDE_SESSION_ID`,
/// `CLAUDE_PROJECT_DIR`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaudeCodeEnv {
    /// `CLAUDE_SESSION_ID`, which wins over the payload's `session_id`.
    pub session_id: Option<String>,
    /// `CLAUDE_PROJECT_DIR`, which wins over the payload's `cwd`.
    pub project_dir: Option<String>,
}

/// A hook payload that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("failed to parse hook payload JSON: {0}")]
pub struct PayloadError(#[from] serde_json::Error);

impl SkillUse {
    /// Reads the use a Claude Code hook payload reports, for the hook `event`, at `at`.
    ///
    /// The skill is the `Skill` tool's `tool_input.skill`; for any other tool, the tool's name;
    /// with no tool, the event's name. The outcome is `error` when `tool_response.is_error` is
    /// true, else `ok`. The session is `env.session_id`, else the payload's `session_id`, else
    /// [`NIL_SESSION`]; the project directory is `env.project_dir`, else the payload's `cwd`;
    /// the event id is the payload's `tool_use_id`.
    pub fn from_claude_code_hook(
        payload: &str,
        event: &str,
        env: &ClaudeCodeEnv,
        at: i64,
    ) -> Result<Self, PayloadError> {
        let json: Value = serde_json::from_str(payload)?;
        let tool_name = text_at(&json, &["tool_name"]).or_else(|| text_at(&json, &["tool", "name"]));
        let skill_name = match tool_name {
            Some("Skill") => text_at(&json, &["tool_input", "skill"]).unwrap_or("Skill"),
            Some(tool) => tool,
            None => event,
        };
        let failed = json.pointer("/tool_response/is_error").and_then(Value::as_bool).unwrap_or(false);
        let given =
            |value: &Option<String>| value.as_deref().filter(|v| !v.trim().is_empty()).map(str::to_owned);
        Ok(Self {
            harness: CLAUDE_CODE.to_owned(),
            source_event_id: text_at(&json, &["tool_use_id"]).map(str::to_owned),
            session_id: given(&env.session_id)
                .or_else(|| text_at(&json, &["session_id"]).map(str::to_owned))
                .unwrap_or_else(|| NIL_SESSION.to_owned()),
            skill_name: skill_name.to_owned(),
            tool_name: tool_name.map(str::to_owned),
            project_dir: given(&env.project_dir).or_else(|| text_at(&json, &["cwd"]).map(str::to_owned)),
            outcome: Some(if failed { "error" } else { "ok" }.to_owned()),
            event: event.to_owned(),
            adapter_version: Some(CLAUDE_CODE_ADAPTER.to_owned()),
            payload: payload.to_owned(),
            at,
        })
    }

    /// The name reports group this use under: [`canonical_skill_name`] of its skill.
    pub fn canonical_skill_name(&self) -> String {
        canonical_skill_name(&self.skill_name)
    }
}

/// The name a skill is counted under: without surrounding spaces, without a `namespace:` prefix
/// (a plugin's skills are named `plugin:skill`), in ASCII lower case. The migrations compute the
/// same in SQL for uses stored before skillnet kept it.
pub fn canonical_skill_name(name: &str) -> String {
    let name = name.trim_matches(' ');
    let name = name.split_once(':').map_or(name, |(_, skill)| skill);
    name.trim_matches(' ').to_ascii_lowercase()
}

/// The non-blank string at `path` in `json`.
fn text_at<'a>(json: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(json, |value, key| value.get(key))?.as_str().filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKILL: &str = r#"{"session_id": "s-payload", "cwd": "/work/repo", "tool_name": "Skill",
        "tool_use_id": "toolu_01", "tool_input": {"skill": "simplify"},
        "tool_response": {"is_error": false}}"#;

    #[test]
    fn a_skill_tool_payload_is_read() {
        let env = ClaudeCodeEnv { session_id: Some("s-env".into()), project_dir: None };
        let u = SkillUse::from_claude_code_hook(SKILL, "PostToolUse", &env, 7).unwrap();
        assert_eq!(u.skill_name, "simplify");
        assert_eq!(u.tool_name.as_deref(), Some("Skill"));
        assert_eq!(u.session_id, "s-env", "the environment wins over the payload");
        assert_eq!(u.project_dir.as_deref(), Some("/work/repo"));
        assert_eq!(u.source_event_id.as_deref(), Some("toolu_01"));
        assert_eq!(u.outcome.as_deref(), Some("ok"));
        assert_eq!((u.harness.as_str(), u.event.as_str(), u.at), (CLAUDE_CODE, "PostToolUse", 7));
        assert_eq!(u.payload, SKILL);
    }

    #[test]
    fn other_payloads_fall_back_to_the_tool_or_the_event() {
        let env = ClaudeCodeEnv::default();
        let tool = r#"{"tool": {"name": "Bash"}, "tool_response": {"is_error": true}}"#;
        let u = SkillUse::from_claude_code_hook(tool, "PostToolUse", &env, 0).unwrap();
        assert_eq!((u.skill_name.as_str(), u.outcome.as_deref()), ("Bash", Some("error")));
        assert_eq!(u.session_id, NIL_SESSION);
        assert_eq!(u.source_event_id, None);
        let u = SkillUse::from_claude_code_hook("{}", "SessionEnd", &env, 0).unwrap();
        assert_eq!((u.skill_name.as_str(), u.tool_name), ("SessionEnd", None));
        let err = SkillUse::from_claude_code_hook("{", "PostToolUse", &env, 0).unwrap_err();
        assert!(err.to_string().starts_with("failed to parse hook payload JSON"), "{err}");
    }

    #[test]
    fn canonical_names_drop_the_namespace_and_case() {
        assert_eq!(canonical_skill_name(" Superpowers:Brainstorming "), "brainstorming");
        assert_eq!(canonical_skill_name("simplify"), "simplify");
        assert_eq!(canonical_skill_name("a:b:c"), "b:c");
        assert_eq!(canonical_skill_name("Édition"), "Édition");
    }
}
