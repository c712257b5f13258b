//! skillnet's entries in a Claude Code `settings.json`: adding, removing and finding them,
//! touching nothing else in the file.
//!
//! An entry of skillnet's is a hook matcher object under `hooks.<Event>` marked with
//! `"_skillnet_managed": true` (skillnet 0.6's mark, so entries 0.6 installed are recognised);
//! its one command is `skillnet hook ingest --event <Event>`. Writes are atomic (a temporary file
//! renamed over the original, keeping its permissions), skipped when nothing changed (so installing
//! twice is idempotent byte for byte), and preceded once by a backup of the original,
//! `<settings>.bak`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::{json, Map, Value};

use crate::input::InputError;

/// The mark of skillnet's entries.
const MANAGED: &str = "_skillnet_managed";

/// A settings file and its JSON document (an empty object when the file is missing or empty).
pub struct Settings {
    path: PathBuf,
    document: Value,
    /// The document as read, to leave the file alone when nothing changed.
    original: Value,
}

impl Settings {
    /// Reads `path`; a file that is not a JSON object is refused, untouched.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(InputError(format!(
                    "cannot read the Claude settings file {}: {e}",
                    path.display()
                ))
                .into())
            }
        };
        let document = if text.trim().is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_str(&text).map_err(|e| {
                InputError(format!(
                    "failed to parse Claude settings JSON at {}: {e}; fix the JSON (comments are not \
                     JSON) and run the command again",
                    path.display()
                ))
            })?
        };
        if !document.is_object() {
            return Err(InputError(format!("{}: the settings must be a JSON object", path.display())).into());
        }
        Ok(Self { path: path.to_owned(), original: document.clone(), document })
    }

    /// Replaces skillnet's entries for `events` with one entry per matcher.
    pub fn install(&mut self, events: &[String], matchers: &[String]) -> anyhow::Result<()> {
        for event in events {
            let entries = self.entries_mut(event)?;
            entries.retain(|entry| !is_managed(entry));
            entries.extend(matchers.iter().map(|matcher| managed_entry(event, matcher)));
        }
        Ok(())
    }

    /// Removes every entry of skillnet's, then the events and the `hooks` object left empty.
    pub fn uninstall(&mut self) -> anyhow::Result<()> {
        let path = self.path.display().to_string();
        let root = self.document.as_object_mut().expect("checked on load");
        let Some(hooks) = root.get_mut("hooks") else { return Ok(()) };
        let hooks = hooks
            .as_object_mut()
            .ok_or_else(|| InputError(format!("{path}: `hooks` must be a JSON object")))?;
        for (event, entries) in hooks.iter_mut() {
            let entries = entries
                .as_array_mut()
                .ok_or_else(|| InputError(format!("{path}: `hooks.{event}` must be a JSON array")))?;
            entries.retain(|entry| !is_managed(entry));
        }
        hooks.retain(|_, entries| entries.as_array().is_none_or(|entries| !entries.is_empty()));
        if hooks.is_empty() {
            root.remove("hooks");
        }
        Ok(())
    }

    /// Whether any entry of skillnet's is there.
    pub fn installed(&self) -> bool {
        self.document
            .get("hooks")
            .and_then(Value::as_object)
            .is_some_and(|hooks| hooks.values().filter_map(Value::as_array).flatten().any(is_managed))
    }

    /// The file as it would be written.
    pub fn text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.document).expect("a JSON value serialises");
        text.push('\n');
        text
    }

    /// Writes the document unless nothing changed since it was read; returns whether it wrote.
    pub fn save(&self) -> anyhow::Result<bool> {
        if self.document == self.original {
            return Ok(false);
        }
        let text = self.text();
        let current = std::fs::read_to_string(&self.path).ok();
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let backup = PathBuf::from(format!("{}.bak", self.path.display()));
        if current.is_some() && !backup.exists() {
            std::fs::copy(&self.path, &backup)
                .with_context(|| format!("cannot back up {} to {}", self.path.display(), backup.display()))?;
        }
        let temporary = PathBuf::from(format!("{}.skillnet-tmp", self.path.display()));
        std::fs::write(&temporary, &text).with_context(|| format!("cannot write {}", temporary.display()))?;
        if let Ok(meta) = std::fs::metadata(&self.path) {
            std::fs::set_permissions(&temporary, meta.permissions())
                .with_context(|| format!("cannot set the permissions of {}", temporary.display()))?;
        }
        std::fs::rename(&temporary, &self.path)
            .with_context(|| format!("cannot replace {}", self.path.display()))?;
        Ok(true)
    }

    fn entries_mut(&mut self, event: &str) -> anyhow::Result<&mut Vec<Value>> {
        let path = self.path.display().to_string();
        let root = self.document.as_object_mut().expect("checked on load");
        let hooks = root
            .entry("hooks")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| InputError(format!("{path}: `hooks` must be a JSON object")))?;
        Ok(hooks
            .entry(event)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(|| InputError(format!("{path}: `hooks.{event}` must be a JSON array")))?)
    }
}

fn managed_entry(event: &str, matcher: &str) -> Value {
    json!({
        "matcher": matcher,
        MANAGED: true,
        "hooks": [{"type": "command", "command": format!("skillnet hook ingest --event {event}")}],
    })
}

fn is_managed(entry: &Value) -> bool {
    entry.get(MANAGED).and_then(Value::as_bool).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn install_twice_then_uninstall_leaves_the_user_s_entries() {
        let user = r#"{"hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": []}]}, "env": {"A": "1"}}"#;
        let (_dir, path) = settings(user);
        let events = ["PostToolUse".to_owned(), "SessionEnd".to_owned()];
        let mut s = Settings::load(&path).unwrap();
        s.install(&events, &["Skill".to_owned()]).unwrap();
        assert!(s.save().unwrap());
        let first = std::fs::read_to_string(&path).unwrap();
        let mut again = Settings::load(&path).unwrap();
        again.install(&events, &["Skill".to_owned()]).unwrap();
        assert!(!again.save().unwrap(), "the same bytes are not written again");
        assert!(again.installed());
        assert_eq!(std::fs::read_to_string(format!("{}.bak", path.display())).unwrap(), user);
        assert!(first.contains("skillnet hook ingest --event SessionEnd"), "{first}");

        let mut s = Settings::load(&path).unwrap();
        s.uninstall().unwrap();
        assert!(!s.installed());
        s.save().unwrap();
        let left: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(left, serde_json::from_str::<Value>(user).unwrap());
    }

    #[test]
    fn a_file_that_is_not_a_json_object_is_refused() {
        for text in ["{ // comment\n", "[1, 2]"] {
            let (_dir, path) = settings(text);
            let err = Settings::load(&path).err().unwrap().to_string();
            assert!(err.contains(&path.display().to_string()), "{err}");
        }
    }
}
