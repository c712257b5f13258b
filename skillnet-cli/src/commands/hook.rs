//! `hook ingest|install|uninstall|status`: Claude Code hooks that record each skill use.
//!
//! `ingest` runs once per skill use, as the hook itself, so without `--strict` it must never
//! fail the harness: every error, from the configuration to the database, is one line on stderr
//! and exit 0. It opens the store only when it has a use to write, and waits at most
//! [`HOOK_TIMEOUT`] for the database.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use skillnet_core::usage::{ClaudeCodeEnv, SkillUse};
use skillnet_store::OpenOptions;

use super::hook_settings::Settings;
use super::Context;
use crate::cli::{HookCommand, SettingsArg};
use crate::exit_codes::{ExitCode, QuietExit};
use crate::input::InputError;
use crate::output;

/// The longest `ingest` waits for the database: for a PostgreSQL server to answer, or for
/// another writer's lock on SQLite. A harness waits for its hook, so it is short.
const HOOK_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs a `hook` subcommand.
pub fn run(ctx: &Context, command: &HookCommand) -> anyhow::Result<()> {
    match command {
        HookCommand::Ingest { event, payload_file, strict } => {
            let result = ingest(ctx, event, payload_file.as_deref());
            match result {
                Err(err) if !strict => {
                    // One line, in 0.6's words, whatever --quiet says: the harness shows it.
                    let causes: Vec<String> = err.chain().map(ToString::to_string).collect();
                    let _ = writeln!(std::io::stderr(), "skillnet hook ingest failed: {}", causes.join(": "));
                    Ok(())
                }
                result => result,
            }
        }
        HookCommand::Install { settings, events, matchers, dry_run } => {
            let path = settings_path(settings)?;
            let mut file = Settings::load(&path)?;
            file.install(&non_empty(events, "event")?, &non_empty(matchers, "matcher")?)?;
            if *dry_run {
                output::text(format!("would install skillnet hooks in {}", path.display()))?;
                return output::text(file.text().trim_end());
            }
            file.save()?;
            output::text("installed")
        }
        HookCommand::Uninstall { settings } => {
            let mut file = Settings::load(&settings_path(settings)?)?;
            file.uninstall()?;
            file.save()?;
            output::text("uninstalled")
        }
        HookCommand::Status { settings } => {
            if Settings::load(&settings_path(settings)?)?.installed() {
                output::text("installed")
            } else {
                output::text("not installed")?;
                Err(QuietExit(ExitCode::Failure).into())
            }
        }
    }
}

/// Reads the payload, then stores the use it reports.
fn ingest(ctx: &Context, event: &str, payload_file: Option<&Path>) -> anyhow::Result<()> {
    let payload = read_payload(payload_file)?;
    let env = ClaudeCodeEnv {
        session_id: std::env::var("CLAUDE_SESSION_ID").ok(),
        project_dir: std::env::var("CLAUDE_PROJECT_DIR").ok(),
    };
    let skill_use = SkillUse::from_claude_code_hook(&payload, event, &env, output::now())
        .map_err(|e| InputError(e.to_string()))?;
    let options = OpenOptions {
        pool_size: 1,
        busy_timeout: HOOK_TIMEOUT,
        connect_timeout: Some(HOOK_TIMEOUT),
        ..OpenOptions::default()
    };
    ctx.store_with(&options)?.record_skill_use(&skill_use)?;
    Ok(())
}

/// The payload from `file`, else from stdin, which must not be a terminal (a hook is never run
/// by hand; waiting for typed input would hang).
fn read_payload(file: Option<&Path>) -> anyhow::Result<String> {
    match file {
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| InputError(format!("cannot read the hook payload {}: {e}", file.display())).into()),
        None => {
            let mut stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(InputError(
                    "refusing to read a hook payload from an interactive terminal; pipe it on stdin or \
                     give --payload-file"
                        .into(),
                )
                .into());
            }
            let mut payload = String::new();
            stdin
                .read_to_string(&mut payload)
                .map_err(|e| InputError(format!("cannot read the hook payload from stdin: {e}")))?;
            Ok(payload)
        }
    }
}

/// `--settings` with `~` and `$VAR` expanded.
fn settings_path(arg: &SettingsArg) -> anyhow::Result<PathBuf> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let expanded = shellexpand::full_with_context(
        &arg.settings,
        || var("HOME"),
        |name| var(name).map(Some).ok_or(std::env::VarError::NotPresent),
    )
    .map_err(|e| InputError(format!("--settings {}: {e}", arg.settings)))?;
    Ok(PathBuf::from(expanded.as_ref()))
}

/// The values of a list flag without blanks; at least one.
fn non_empty(values: &[String], what: &str) -> anyhow::Result<Vec<String>> {
    let values: Vec<String> =
        values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    if values.is_empty() {
        return Err(InputError(format!("at least one hook {what} is needed")).into());
    }
    Ok(values)
}
