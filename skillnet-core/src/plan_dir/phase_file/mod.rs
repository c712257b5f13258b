//! One phase file: its model callout (routing tier and family), its working tree, the files it
//! expects to touch and, for a phase table without a Depends on column, what it depends on.

mod callout;
mod dependencies;
mod files;
mod working_tree;

pub use callout::model_cell;
pub use files::{files, files_changed_in_steps, DOING};

use super::markdown::{plain_text, Outline, Table};
use callout::callout;
use dependencies::stated_dependencies;
use working_tree::working_trees;

/// Which agent family a callout recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// `Recommended Codex model: ...`
    Codex,
    /// `Recommended Claude model: ...`
    Claude,
}

/// What a phase file says about its phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseFile {
    /// `low`, `medium`, `high` or `max`.
    pub routing_tier: String,
    /// The family of its model callout, when it has one.
    pub family: Option<Family>,
    /// The working tree section's paths: none when the phase works in the primary tree, one as
    /// a rule, several for a phase that lists the repositories it works in (these still have to
    /// be compared with the repository root).
    pub working_trees: Vec<String>,
    /// The `## Files likely touched` list (or its stand-in), as paths (not yet sorted).
    pub files: Vec<String>,
    /// What a `Depends on:` (or `Blocked by:`) line says (`Phase 5` of `**Depends on:** Phase
    /// 5`), when read with [`parse_with_dependencies`].
    pub depends: Option<String>,
}

/// The tier a phase gets when its file recommends none.
pub const DEFAULT_TIER: &str = "medium";

/// Reads a phase file's text (LF line endings).
pub fn parse(text: &str) -> PhaseFile {
    read(text, Reading::Alone)
}

/// Reads a phase file's text, and its `Depends on:` line too: for a phase table without a
/// Depends on column.
pub fn parse_with_dependencies(text: &str) -> PhaseFile {
    read(text, Reading::WithDependencies { unit: None })
}

/// Reads a phase's text and its dependencies, as [`parse_with_dependencies`] does, for a plan
/// whose phases are numbered by the words of `unit` rather than a phase's: then `Dependencies:
/// Task Group 1` names phase 1 (for `task group`).
pub fn parse_with_dependencies_numbered_by(text: &str, unit: &str) -> PhaseFile {
    read(text, Reading::WithDependencies { unit: Some(unit) })
}

/// What a phase's text is read for.
enum Reading<'u> {
    /// Its tier, working trees and files.
    Alone,
    /// Those and what it depends on, in a plan whose phases are numbered by the words of
    /// `unit` when it has one.
    WithDependencies { unit: Option<&'u str> },
}

fn read(text: &str, reading: Reading<'_>) -> PhaseFile {
    let outline = Outline::parse(text);
    let (routing_tier, family) = callout(&outline).unwrap_or((DEFAULT_TIER, None));
    PhaseFile {
        routing_tier: routing_tier.to_owned(),
        family,
        working_trees: working_trees(&outline),
        files: files(&outline),
        depends: match reading {
            Reading::Alone => None,
            Reading::WithDependencies { unit } => stated_dependencies(&outline, unit),
        },
    }
}

/// The value of the first of `keys` the file's front matter has.
fn front_matter_value(outline: &Outline, keys: &[&str]) -> Option<String> {
    outline.front_matter.iter().find(|(key, _)| keys.contains(&key.as_str())).map(|(_, value)| value.clone())
}

/// A table's rows, header row included, each with where it starts as a `key: value` line: its
/// first cell, a colon, its other cells (`| Depends on | 01, 02 |` is `Depends on: 01, 02`).
fn row_lines(table: &Table) -> impl Iterator<Item = (usize, String)> + '_ {
    let header = std::iter::once((table.start, &table.header));
    header.chain(table.rows.iter().map(|(start, cells)| (*start, cells))).map(|(start, cells)| {
        let mut cells = cells.iter().map(|cell| plain_text(cell).replace('\n', " ").trim().to_owned());
        let key = cells.next().unwrap_or_default();
        let values: Vec<String> = cells.filter(|cell| !cell.is_empty()).collect();
        (start, format!("{key}: {}", values.join(" ")))
    })
}
