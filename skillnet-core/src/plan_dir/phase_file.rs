//! One phase file: its model callout (routing tier and flavor), its working tree and the files
//! it expects to touch.

use std::borrow::Cow;

use super::depends::SAYINGS;
use super::markdown::{plain_text, Block, BlockKind, Heading, Outline, Table};
use super::paths::{looks_like_path, paths_of, paths_of_text, starts_with_path, touches_paths};
use super::readme::is_phase_reference;

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

/// Working-tree texts that mean the plan's own repository.
const PRIMARY: [&str; 8] = [
    "primary",
    "same as primary",
    "same as working tree",
    "this repo",
    "primary repo",
    "none",
    "n/a",
    "same repo",
];

/// Reads a phase file's text (LF line endings).
pub fn parse(text: &str) -> PhaseFile {
    read(text, false)
}

/// Reads a phase file's text, and its `Depends on:` line too: for a phase table without a
/// Depends on column.
pub fn parse_with_dependencies(text: &str) -> PhaseFile {
    read(text, true)
}

fn read(text: &str, dependencies: bool) -> PhaseFile {
    let outline = Outline::parse(text);
    let (routing_tier, family) = callout(&outline).unwrap_or((DEFAULT_TIER, None));
    PhaseFile {
        routing_tier: routing_tier.to_owned(),
        family,
        working_trees: working_trees(&outline),
        files: files(&outline),
        depends: if dependencies { stated_dependencies(&outline) } else { None },
    }
}

/// What the first line with a Depends on label ([`says_depends_on`]) says (`**Depends on:**
/// Phase 5`, `> **Depends On:** Phase 1, Phase 2`, `- Blocked by: 03`, `Depends on (hard):
/// 01`, `Waits for: 02`), on any line of a text block, or the list under such a label alone;
/// else the items of a section titled with a [`SAYINGS`] phrase (`## Depends on`); else the
/// first table row whose first cell is such a label (`| Depends on | 01, 02 |`), else the
/// front matter's `depends_on:` (or `depends`, `dependencies`, `blocked_by`), else the phases
/// the items of a `## Dependencies` section open with, else those a `Dependencies:` line opens
/// with or is made of; prose that only mentions them is not read.
fn stated_dependencies(outline: &Outline) -> Option<String> {
    // The text blocks in `range` (a list's items), as one list.
    let listed = |range| {
        let items = outline.blocks_in(range).map(|b| plain_text(&b.pieces).trim().to_owned());
        items.collect::<Vec<_>>().join(", ")
    };
    let labelled =
        outline.fields(says_depends_on).into_iter().next().map(|field| match field.value.is_empty() {
            true => listed(field.body),
            false => plain_text(&field.value).trim().to_owned(),
        });
    let section = || SAYINGS.iter().find_map(|saying| outline.section(saying)).map(listed);
    let row = |(_, row): (usize, String)| {
        let (label, value) = row.split_once(':')?;
        says_depends_on(&label.trim().to_lowercase()).then(|| value.trim().to_owned())
    };
    labelled
        .or_else(section)
        .or_else(|| outline.tables.iter().flat_map(row_lines).find_map(row))
        .or_else(|| front_matter_value(outline, &["depends_on", "depends", "dependencies", "blocked_by"]))
        .or_else(|| phases_a_dependencies_section_names(outline))
        .or_else(|| phases_a_dependencies_label_names(outline))
}

/// Whether a lower-case label says what the phase waits for, as `Depends on` does: a
/// [`SAYINGS`] phrase, `Depends`, `Waits for`, `Runs after`, ...
fn says_depends_on(label: &str) -> bool {
    const WAITS: [&str; 6] = ["depends", "waits for", "waits on", "runs after", "starts after", "blocked on"];
    SAYINGS.contains(&label) || WAITS.contains(&label)
}

/// The phases the items of a `## Dependencies` (or `Prerequisites`) section open with (`Phase 1
/// (Biped) must complete first`, `Phases 3-4 and 6: the stores`), as one list; `None` when no
/// item opens with a phase, as when the section lists crates or tools.
fn phases_a_dependencies_section_names(outline: &Outline) -> Option<String> {
    let range = ["dependencies", "prerequisites"].iter().find_map(|title| outline.section(title))?;
    let items = outline.blocks_in(range).filter(|b| b.kind == BlockKind::Item);
    let named: Vec<String> = items.filter_map(|item| phases_named_first(&plain_text(&item.pieces))).collect();
    (!named.is_empty()).then(|| named.join(", "))
}

/// The phases the first `Dependencies:` (or `Prerequisites:`, `Prereqs:`, `Requires:`,
/// `Needs:`) line that names any opens with (`**Dependencies**: Phase 1 complete`) or is made
/// of (`Needs: 01, 02`), or the items of the list under such a label alone; `None` when none
/// names a phase, as when they list crates or tools.
fn phases_a_dependencies_label_names(outline: &Outline) -> Option<String> {
    let labels =
        ["dependencies", "dependency", "prerequisites", "prerequisite", "prereqs", "requires", "needs"];
    outline.fields(|label| labels.contains(&label)).into_iter().find_map(|field| {
        let named: Vec<String> = match field.value.is_empty() {
            true => outline
                .blocks_in(field.body)
                .filter_map(|item| phases_named_first(&plain_text(&item.pieces)))
                .collect(),
            false => {
                let value = plain_text(&field.value);
                phases_named_first(&value).or_else(|| only_phase_numbers(&value)).into_iter().collect()
            }
        };
        (!named.is_empty()).then(|| named.join(", "))
    })
}

/// The phase numbers a text opens with after `Phase` or `Phases` (`3-4, 6` of `Phases 3-4, 6
/// and 7: the stores`), up to the first other word.
fn phases_named_first(text: &str) -> Option<String> {
    let (first, rest) = text.trim_start().split_once(char::is_whitespace)?;
    if !matches!(first.to_ascii_lowercase().as_str(), "phase" | "phases") {
        return None;
    }
    let words = rest.split_whitespace().map(|word| word.trim_end_matches([',', ':', ';', '.']));
    let numbers: Vec<&str> = words
        .take_while(|word| is_phase_reference(word) || matches!(*word, "and" | "&"))
        .filter(|word| is_phase_reference(word))
        .collect();
    (!numbers.is_empty()).then(|| numbers.join(", "))
}

/// The phase numbers of a text made of nothing else (`01, 02`, `3-4 and 6`).
fn only_phase_numbers(text: &str) -> Option<String> {
    let words = text.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty());
    let words: Vec<&str> = words.map(|word| word.trim_end_matches(['.', ';'])).collect();
    let numbers: Vec<&str> = words.iter().copied().filter(|word| is_phase_reference(word)).collect();
    let only = words.iter().all(|word| is_phase_reference(word) || matches!(*word, "and" | "&"));
    (only && !numbers.is_empty()).then(|| numbers.join(", "))
}

/// The value of the first of `keys` the file's front matter has.
fn front_matter_value(outline: &Outline, keys: &[&str]) -> Option<String> {
    outline.front_matter.iter().find(|(key, _)| keys.contains(&key.as_str())).map(|(_, value)| value.clone())
}

/// The paths a file's files sections list: SPEC's `## Files likely touched`, else every section
/// whose title says it lists the files the phase touches ([`names_touched_files`]); in each,
/// its list items and tables of files, else its paragraphs that begin with a path (`` `a/**`,
/// `b.rs`, and the docs ``), else the lines of its code fences that do. Without one, the lines
/// labelled so (`**Files touched:**`), then the front matter's list ([`FILES_KEYS`]:
/// `files_modified: [a.rs]`); failing those, the sections titled only `Files` (`Key files`,
/// `File list`), and then the lines so labelled (a plan's tasks, each with its `**Files:**`).
/// Used for sub-phase files too.
pub fn files(outline: &Outline) -> Vec<String> {
    let in_sections = match outline.section("files likely touched") {
        Some(spec) => files_in(outline, spec),
        None => outline
            .sections(names_touched_files)
            .into_iter()
            .flat_map(|range| files_in(outline, range))
            .collect(),
    };
    if !in_sections.is_empty() {
        return in_sections;
    }
    // No section: a label names them (`**Files likely touched:**` over a list, or
    // `- **Files touched:** `a.rs`, `b.rs``).
    let labelled = labelled_files(outline, names_touched_files);
    if !labelled.is_empty() {
        return labelled;
    }
    // Nor a label: the front matter's list (`files_modified:`, as GSD-style plans keep it).
    let stated = front_matter_value(outline, &FILES_KEYS).unwrap_or_default();
    let stated: Vec<String> = stated.split(", ").flat_map(paths_of_text).collect();
    if !stated.is_empty() {
        return stated;
    }
    // Nor the front matter: what only says Files, a section, else a label.
    let only_files =
        |title: &str| matches!(title.to_lowercase().as_str(), "files" | "key files" | "file list");
    let sections: Vec<String> =
        outline.sections(only_files).into_iter().flat_map(|range| files_in(outline, range)).collect();
    if !sections.is_empty() {
        return sections;
    }
    labelled_files(outline, only_files)
}

/// The paths the lines with a label that passes `wanted` give: a label over a list or a table
/// (`**Files likely touched:**`), or followed by the paths (`- **Files touched:** `a.rs``);
/// else the rows of tables of fields so labelled (`| Files touched | `a.rs`, `b.rs` |`).
fn labelled_files(outline: &Outline, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let fields = outline.fields(&wanted).into_iter();
    let lines: Vec<String> = fields
        .flat_map(|field| match field.value.is_empty() {
            true => files_in(outline, field.body),
            false if starts_with_path(&field.value) => paths_of(&field.value),
            false => Vec::new(),
        })
        .collect();
    if !lines.is_empty() {
        return lines;
    }
    let values = outline.table_fields(wanted).into_iter().flatten();
    values.filter(|cell| starts_with_path(cell)).flat_map(|cell| touches_paths(cell)).collect()
}

/// The front matter keys that list the files a phase touches, in the order they are looked for.
const FILES_KEYS: [&str; 6] =
    ["files_likely_touched", "files_touched", "files_modified", "files_changed", "touches", "files"];

/// The paths one files section lists.
fn files_in(outline: &Outline, range: std::ops::Range<usize>) -> Vec<String> {
    let blocks = || outline.blocks_in(range.clone());
    let items = blocks().filter(|b| b.kind == BlockKind::Item).flat_map(|b| paths_of(&b.pieces));
    // A table of files (`| File | Change |`): its File (or Path) column, else its first.
    let rows = outline.tables.iter().filter(|t| range.contains(&t.start)).flat_map(|table| {
        let named = table.header.iter().position(|cell| {
            matches!(
                plain_text(cell).trim().to_ascii_lowercase().as_str(),
                "file" | "files" | "path" | "paths"
            )
        });
        let column = named.unwrap_or(0);
        table.rows.iter().filter_map(move |(_, cells)| cells.get(column)).flat_map(|cell| paths_of(cell))
    });
    let listed: Vec<String> = items.chain(rows).collect();
    if !listed.is_empty() {
        return listed;
    }
    // No list and no table: the paths are written inline, as a paragraph that starts with them,
    // else one to a line in a code fence (`src/a.rs   # the parser`).
    let inline: Vec<String> = blocks()
        .filter(|b| b.kind == BlockKind::Paragraph && starts_with_path(&b.pieces))
        .flat_map(|b| paths_of(&b.pieces))
        .collect();
    if !inline.is_empty() {
        return inline;
    }
    let fenced = outline.code_blocks.iter().filter(|code| range.contains(&code.start));
    // An indented line is a tree's branch (`src/` over `  lib.rs`), not a path of its own.
    let lines = fenced.flat_map(|code| code.text.lines()).filter(|line| !line.starts_with([' ', '\t']));
    lines.flat_map(paths_of_text).collect()
}

/// Whether a section title says the section lists the files a phase touches: `Files touched`,
/// `Files to create or modify`, `Files to Create/Change`, `Affected files`, `New and modified
/// files`, `File changes`, `Files in scope`, `Key files to modify`; not `Files` or `Key files`
/// (see [`files`]), `Files to read`, `Reference files` or `Files out of scope`.
fn names_touched_files(title: &str) -> bool {
    const DOING: [&str; 12] = [
        "touch", "create", "modify", "change", "edit", "add", "update", "delete", "remove", "rename", "move",
        "write",
    ];
    const DONE: [&str; 14] = [
        "touched", "created", "modified", "changed", "edited", "added", "updated", "deleted", "removed",
        "renamed", "moved", "written", "affected", "new",
    ];
    let lower = title.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '&'))
        .filter(|w| !w.is_empty() && !matches!(*w, "or" | "and" | "likely"))
        .collect();
    // `Key files to modify` says what `Files to modify` says.
    if matches!(words.as_slice(), ["key" | "main" | "core", "files" | "file", "to", ..]) {
        words.remove(0);
    }
    let all_in = |words: &[&str], list: &[&str]| !words.is_empty() && words.iter().all(|w| list.contains(w));
    match words.as_slice() {
        ["files" | "file", "to", doing @ ..] => all_in(doing, &DOING),
        ["file", "changes"] | ["files" | "file", "in", "scope"] | ["in-scope", "files" | "file"] => true,
        ["files" | "file", done @ ..] => all_in(done, &DONE),
        [done @ .., "files" | "file"] => all_in(done, &DONE),
        _ => false,
    }
}

/// The titles of the section that names a phase's working tree, in the order they are looked
/// for: SPEC's `Working tree`, then the names plans also give it.
const WORKING_TREE_SECTIONS: [&str; 4] = ["working tree", "worktree", "working directory", "cwd"];

/// The family a lower-case line names first: `codex` or a GPT model (`gpt-5.5`, GPT-5.6's
/// `astra`, `sol`, `terra`, `luna`) is Codex; `claude` or a Claude model (`fable`, `mythos`,
/// `opus`, `sonnet`, `haiku`) is Claude.
fn family_named(line: &str) -> Option<Family> {
    line.split(|c: char| !c.is_ascii_alphanumeric()).find_map(|word| {
        if word.contains("codex")
            || word.starts_with("gpt")
            || matches!(word, "astra" | "sol" | "terra" | "luna")
        {
            Some(Family::Codex)
        } else if word.contains("claude") || matches!(word, "sonnet" | "opus" | "haiku" | "fable" | "mythos")
        {
            Some(Family::Claude)
        } else {
            None
        }
    })
}

/// The first model callout ([`callout_lines`]): a line or heading with `recommended` and
/// `model`, or labelled with the model (`Model:`), that names Codex or Claude, or one of their
/// models; its tier is the one the words after "model" name, else the one a reasoning-effort
/// line right under it names (`Reasoning effort: high`), else a Claude model's, else medium.
/// Without one, the front matter's model and reasoning effort ([`front_matter_tier`]); failing
/// that, the first line with `recommended` that names a tier but another family
/// (`Recommended model: DeepSeek V4 high`) gives that tier, and no family.
fn callout(outline: &Outline) -> Option<(&'static str, Option<Family>)> {
    let named = callout_lines(outline).find_map(|(line, next)| {
        let family = family_named(&line)?;
        Some((callout_tier(&line, next.as_deref()).unwrap_or(DEFAULT_TIER), Some(family)))
    });
    // A line only labelled `Model:` counts when it names a family.
    let recommended = |(line, next): (String, Option<String>)| {
        line.contains("recommended").then(|| Some((callout_tier(&line, next.as_deref())?, None))).flatten()
    };
    named.or_else(|| front_matter_tier(outline)).or_else(|| callout_lines(outline).find_map(recommended))
}

/// The tier and family a file's front matter states, read as a callout's: the family its
/// model names (`model:`, `recommended_model:`, `model_family:`), the tier its reasoning effort
/// names (`reasoning_effort:`, `effort:`, `reasoning:`, `thinking:`), else its model's;
/// `None` when it states neither.
fn front_matter_tier(outline: &Outline) -> Option<(&'static str, Option<Family>)> {
    let lower = |keys: &[&str]| front_matter_value(outline, keys).map(|value| value.to_lowercase());
    let model = lower(&["recommended_model", "model", "suggested_model", "model_family"]).unwrap_or_default();
    let effort = lower(&["reasoning_effort", "model_reasoning_effort", "effort", "reasoning", "thinking"]);
    let family = family_named(&model);
    let tier =
        effort.as_deref().and_then(tier_word).or_else(|| tier_word(&model)).or_else(|| model_tier(&model));
    (tier.is_some() || family.is_some()).then(|| (tier.unwrap_or(DEFAULT_TIER), family))
}

/// Whether a lower-case line (or one of a block's lines) is a model callout: it has
/// `recommended` and `model` in it, or opens with a model label (`Model:`, `Suggested model:`).
fn is_callout(line: &str) -> bool {
    line.contains("recommended") && line.contains("model")
        || line.lines().any(|line| line.split_once(':').is_some_and(|(label, _)| is_model_label(label)))
}

/// Whether a lower-case label names the model a phase runs on: `Model`, `Recommended Codex
/// model`, `2. Suggested model`, `Model / effort`, `Provider / model`; not `Data model` or `The
/// model`.
fn is_model_label(label: &str) -> bool {
    const WORDS: [&str; 16] = [
        "recommended",
        "suggested",
        "preferred",
        "target",
        "default",
        "agent",
        "provider",
        "llm",
        "ai",
        "codex",
        "claude",
        "model",
        "tier",
        "effort",
        "reasoning",
        "and",
    ];
    if !label.contains("model") {
        return false;
    }
    let mut label_words = words(label).filter(|word| !word.chars().all(|c| c.is_ascii_digit()));
    words(label).any(|word| word == "model") && label_words.all(|word| WORDS.contains(&word))
}

/// Every callout line (lower case) in document order, each with the line right under it. The
/// callout lines are the lines of the text blocks, the headings and the table rows that are
/// callouts (skillnet 0.6 reads a callout wherever it stands); see [`block_callouts`],
/// [`heading_callout`] and [`row_callouts`].
fn callout_lines(outline: &Outline) -> impl Iterator<Item = (String, Option<String>)> + '_ {
    let mut others: Vec<(usize, String, Option<String>)> = outline
        .headings
        .iter()
        .filter(|heading| {
            let title = heading.title.to_lowercase();
            is_callout(&title) || is_model_label(title.trim_end().trim_end_matches(':'))
        })
        .filter_map(|heading| {
            heading_callout(outline, heading).map(|(line, under)| (heading.start, line, under))
        })
        .chain(outline.tables.iter().flat_map(row_callouts))
        .collect();
    others.sort_by_key(|(start, ..)| *start);
    let mut others = others.into_iter().peekable();
    let mut blocks = outline.blocks.iter().enumerate().peekable();
    // The text blocks are read lazily: the first callout is usually near the top.
    std::iter::from_fn(move || match (others.peek(), blocks.peek()) {
        (Some((start, ..)), next) if next.is_none_or(|(_, block)| *start < block.start) => {
            others.next().map(|(_, line, under)| vec![(line, under)])
        }
        _ => blocks.next().map(|(index, block)| block_callouts(outline, index, block)),
    })
    .flatten()
}

/// The rows of a table that are callouts, header row included, each as a line (lower case, see
/// [`row_lines`]) with where it starts and the next row under it.
fn row_callouts(table: &Table) -> Vec<(usize, String, Option<String>)> {
    let rows: Vec<(usize, String)> =
        row_lines(table).map(|(start, line)| (start, line.to_lowercase())).collect();
    let callouts = rows.iter().enumerate().filter(|(_, (_, line))| is_callout(line));
    callouts
        .map(|(at, (start, line))| (*start, line.clone(), rows.get(at + 1).map(|(_, next)| next.clone())))
        .collect()
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

/// The callout lines of text block `index`, each with the line right under it: the next line
/// of the block, else the first line of the next block when no heading stands between them.
fn block_callouts(outline: &Outline, index: usize, block: &Block) -> Vec<(String, Option<String>)> {
    let text = plain_text(&block.pieces).to_lowercase();
    if !is_callout(&text) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let found = lines.iter().enumerate().filter(|(_, line)| is_callout(line));
    found
        .map(|(at, line)| {
            let next =
                lines.get(at + 1).map(|next| (*next).to_owned()).or_else(|| first_line_under(outline, index));
            ((*line).to_owned(), next)
        })
        .collect()
}

/// A callout heading as a callout line, with the line right under it, or when that line says
/// nothing of reasoning effort, the first line of its section that does (a fence holding
/// `GPT-5.6 Sol` over `Reasoning: High`). A heading that only names the callout (`## Recommended
/// model`, `## 3. Recommended Codex model:`) has its model on the first line under it: that line
/// is read as the rest of the callout.
fn heading_callout(outline: &Outline, heading: &Heading) -> Option<(String, Option<String>)> {
    let title = heading.title.to_lowercase();
    // The first text block under the heading.
    let under = outline.blocks.partition_point(|block| block.start < heading.end);
    let is_label = is_model_label(title.trim_end().trim_end_matches(':'));
    let (line, next) = if is_label {
        let block =
            outline.blocks.get(under).filter(|block| !outline.heading_between(heading.start, block.start))?;
        let text = plain_text(&block.pieces).to_lowercase();
        let mut lines = text.lines();
        let line = format!("{title} {}", lines.next().unwrap_or_default());
        (line, lines.next().map(str::to_owned).or_else(|| first_line_under(outline, under)))
    } else {
        (title, first_line_after(outline, heading.start, under))
    };
    // The reasoning effort may come further down its section, in a fence too.
    let next = match next.as_deref().and_then(effort_tier) {
        Some(_) => next,
        None => effort_line_under(outline, heading).or(next),
    };
    Some((line, next))
}

/// The first line about reasoning effort ([`effort_tier`]) between a heading and the next
/// heading, in its text blocks or its code blocks, lower case.
fn effort_line_under(outline: &Outline, heading: &Heading) -> Option<String> {
    let end = outline.headings.iter().find(|h| h.start > heading.start).map_or(usize::MAX, |h| h.start);
    let body = heading.end..end;
    let blocks =
        outline.blocks_in(body.clone()).map(|block| (block.start, Cow::Owned(plain_text(&block.pieces))));
    let code = outline.code_blocks.iter().filter(|code| body.contains(&code.start));
    let mut texts: Vec<(usize, Cow<'_, str>)> =
        blocks.chain(code.map(|code| (code.start, Cow::Borrowed(code.text.as_str())))).collect();
    texts.sort_by_key(|(start, _)| *start);
    let lines = texts.iter().flat_map(|(_, text)| text.lines()).map(str::to_lowercase);
    lines.into_iter().find(|line| effort_tier(line).is_some())
}

/// The first line (lower case) of the text block after block `index`, when no heading stands
/// between them.
fn first_line_under(outline: &Outline, index: usize) -> Option<String> {
    first_line_after(outline, outline.blocks.get(index)?.start, index + 1)
}

/// The first line (lower case) of text block `index`, when no heading stands between offset
/// `from` and it.
fn first_line_after(outline: &Outline, from: usize, index: usize) -> Option<String> {
    let block = outline.blocks.get(index)?;
    if outline.heading_between(from, block.start) {
        return None;
    }
    plain_text(&block.pieces).lines().next().map(str::to_lowercase)
}

/// The tier of a callout line (lower case): the tier word after "model", else the one the line
/// under it names when that line is about reasoning effort (`reasoning effort: high`,
/// `reasoning: xhigh`, `effort: low`, `thinking: high`), else a Claude model's.
fn callout_tier(line: &str, next: Option<&str>) -> Option<&'static str> {
    let after_model = line.find("model").map_or("", |at| &line[at + "model".len()..]);
    tier_word(after_model).or_else(|| effort_tier(next?)).or_else(|| model_tier(after_model))
}

/// The tier a lower-case line about reasoning effort names (`reasoning effort: high`,
/// `reasoning: xhigh`, `effort: low`, `thinking: high`).
fn effort_tier(line: &str) -> Option<&'static str> {
    let first = line.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty())?;
    matches!(first, "reasoning" | "effort" | "thinking").then(|| tier_word(line)).flatten()
}

/// The first of `low`, `medium`, `high`, `max`, `xhigh` (= `max`, also spelled `x-high` or
/// `extra high`) among a lower-case text's words; the efforts above `xhigh`, GPT's `ultra` and
/// Claude Code's `ultracode`, are `max` too.
fn tier_word(text: &str) -> Option<&'static str> {
    let mut before = "";
    words(text).find_map(|word| {
        let tier = match word {
            "low" => Some("low"),
            "medium" => Some("medium"),
            "high" if matches!(before, "x" | "extra") => Some("max"),
            "high" => Some("high"),
            "max" | "xhigh" | "ultra" | "ultracode" => Some("max"),
            _ => None,
        };
        before = word;
        tier
    })
}

/// The tier of the first Claude model a lower-case text names: `haiku` low, `sonnet` medium,
/// `opus` high, `fable` and `mythos` (above Opus) max.
fn model_tier(text: &str) -> Option<&'static str> {
    words(text).find_map(|word| match word {
        "haiku" => Some("low"),
        "sonnet" => Some("medium"),
        "opus" => Some("high"),
        "fable" | "mythos" => Some("max"),
        _ => None,
    })
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// The tier and family a README's Model cell gives (`GPT 5.5 high`, `5.4 / medium`), for a
/// phase whose file has no callout; `None` when it names no tier (`mixed (see phase README)`).
pub fn model_cell(cell: &str) -> Option<(&'static str, Option<Family>)> {
    let lower = cell.to_lowercase();
    Some((tier_word(&lower).or_else(|| model_tier(&lower))?, family_named(&lower)))
}

/// The working tree section's paths, none for the primary tree: the path of its first line,
/// and when the section lists repositories (`- /data/x/simit — release tagging`), the absolute
/// or home paths that lead its list items (then the first line's path only when it reads as
/// a path, since such a section often opens with prose: "Multi-repo. The agent will `cd` ...").
fn working_trees(outline: &Outline) -> Vec<String> {
    let blocks: Vec<Cow<'_, Block>> =
        match WORKING_TREE_SECTIONS.iter().find_map(|title| outline.section(title)) {
            Some(range) => outline.blocks_in(range).map(Cow::Borrowed).collect(),
            // No section: a label names it (`**Working tree:** /srv/app`, or the label alone over it).
            None => match outline.fields(|label| WORKING_TREE_SECTIONS.contains(&label)).into_iter().next() {
                Some(field) if field.value.is_empty() => {
                    outline.blocks_in(field.body).map(Cow::Borrowed).collect()
                }
                Some(field) => {
                    vec![Cow::Owned(Block {
                        kind: BlockKind::Paragraph,
                        start: field.body.start,
                        pieces: field.value,
                    })]
                }
                None => return Vec::new(),
            },
        };
    let mut blocks = blocks.iter().filter(|b| !plain_text(&b.pieces).trim().is_empty());
    let Some(first) = blocks.next() else {
        return Vec::new();
    };
    let text = plain_text(&first.pieces);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().to_lowercase();
    let words = first_line.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    if words.is_empty() || PRIMARY.iter().any(|p| words == *p || words.starts_with(&format!("{p} "))) {
        return Vec::new();
    }
    let listed: Vec<String> = std::iter::once(first)
        .chain(blocks)
        .filter(|b| b.kind == BlockKind::Item)
        .filter_map(|b| paths_of(&b.pieces).into_iter().next())
        .filter(|path| path.starts_with('/') || path.starts_with("~/"))
        .collect();
    // A lead that says it is the plan's own repository names no other tree, whatever path it
    // gives; the repositories a section lists still count.
    let own = says_same_repository(&text.to_lowercase());
    let lead = paths_of(&first.pieces).into_iter().next();
    let lead = lead.filter(|path| !own && (listed.is_empty() || looks_like_path(path)));
    let mut trees: Vec<String> =
        lead.into_iter().chain(listed).map(|p| p.trim_end_matches('/').to_owned()).collect();
    trees.retain(|t| !t.is_empty());
    trees.sort();
    trees.dedup();
    trees
}

/// Whether a working tree's text (lower case) says it is the plan's own repository, whatever
/// path it also gives: `` `/src/app`. Same repo as the parent project. ``
fn says_same_repository(text: &str) -> bool {
    const AFFIRM: [&str; 5] = ["same repo", "same repository", "parent project", "parent repo", "this repo"];
    const DENY: [&str; 7] = ["not ", "n't", "different", "another", "other repo", "external", "separate"];
    text.split(['.', ';', '\n', '!', '?']).any(|sentence| {
        AFFIRM.iter().any(|p| sentence.contains(p)) && !DENY.iter().any(|w| sentence.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tier and family of a phase file.
    fn read(text: &str) -> (String, Option<Family>) {
        let file = parse(text);
        (file.routing_tier, file.family)
    }

    /// The tier and family of a phase file whose callout is `callout`.
    fn tier(callout: &str) -> (String, Option<Family>) {
        read(&format!("# P\n\n> **{callout}**\n"))
    }

    #[test]
    fn callouts_give_the_tier_and_family() {
        assert_eq!(tier("Recommended Codex model: GPT 5.5 high"), ("high".into(), Some(Family::Codex)));
        assert_eq!(tier("recommended codex model: gpt-5.5 xhigh"), ("max".into(), Some(Family::Codex)));
        for spelled in ["x-high", "X-High", "extra high", "extra-high"] {
            let callout = format!("Recommended Codex model: GPT 5.5 {spelled}");
            assert_eq!(tier(&callout), ("max".into(), Some(Family::Codex)), "{spelled}");
        }
        assert_eq!(
            tier("Recommended Codex model: GPT 5.5, very high care"),
            ("high".into(), Some(Family::Codex))
        );
        assert_eq!(
            tier("Recommended Codex model: GPT 5.5 medium (maximum care)"),
            ("medium".into(), Some(Family::Codex))
        );
        assert_eq!(
            tier("Recommended Claude model: Opus — thinking high"),
            ("high".into(), Some(Family::Claude))
        );
        assert_eq!(tier("Recommended Claude model: Sonnet"), ("medium".into(), Some(Family::Claude)));
        assert_eq!(tier("Recommended Claude model: Haiku"), ("low".into(), Some(Family::Claude)));
        assert_eq!(tier("Some model note"), ("medium".into(), None));
    }

    #[test]
    fn a_callout_may_name_the_model_instead_of_its_family() {
        assert_eq!(
            tier("Recommended model for merge/orchestration: GPT 5.5 high"),
            ("high".into(), Some(Family::Codex))
        );
        assert_eq!(tier("Recommended model: gpt-5.5 (reasoning: low)"), ("low".into(), Some(Family::Codex)));
        assert_eq!(tier("Recommended model: Opus 4.1"), ("high".into(), Some(Family::Claude)));
        assert_eq!(tier("Recommended model: any"), ("medium".into(), None));
    }

    #[test]
    fn newer_models_and_efforts_are_known() {
        let codex = |tier: &str| (tier.to_owned(), Some(Family::Codex));
        let claude = |tier: &str| (tier.to_owned(), Some(Family::Claude));
        // Claude's Fable and Mythos stand above Opus; GPT-5.6 is Astra, Sol, Terra or Luna.
        assert_eq!(tier("Recommended model: Fable 5"), claude("max"));
        assert_eq!(tier("Recommended model: claude-mythos-5"), claude("max"));
        assert_eq!(tier("Recommended model: Sol High"), codex("high"));
        assert_eq!(tier("Recommended model: `Luna Max`"), codex("max"));
        assert_eq!(tier("Recommended model: GPT-5.6 Terra"), codex("medium"));
        // `ultra` (GPT) and `ultracode` (Claude Code) are efforts above `xhigh`.
        assert_eq!(tier("Recommended Codex model: GPT-5.6 Sol, ultra"), codex("max"));
        assert_eq!(read("# P\n\n**Model:** Opus 5\n**Effort:** ultracode\n"), claude("max"));
        // Other words stay words: a moon, a sun, a fable in prose.
        assert_eq!(read("# P\n\nThe Luna release had a fable about the sol.\n"), ("medium".into(), None));
    }

    #[test]
    fn a_callout_naming_another_family_gives_its_tier_without_a_family() {
        assert_eq!(tier("Recommended model: DeepSeek V4 high"), ("high".into(), None));
        assert_eq!(
            tier("Recommended Model & Thinking Budget: Tier 2 — Gemini 3.1 Pro (Low) or Gemini 3.8 Flash (High)"),
            ("low".into(), None)
        );
        // A callout that names a family still wins, wherever it stands.
        let file =
            parse("# P\n\nRecommended model: Gemini 3.1 Pro, low\n\n> **Recommended Claude model: Opus**\n");
        assert_eq!((file.routing_tier.as_str(), file.family), ("high", Some(Family::Claude)));
    }

    #[test]
    fn a_line_labelled_model_that_names_a_family_is_a_callout() {
        let high = ("high".to_owned(), Some(Family::Codex));
        assert_eq!(read("# P\n\n**Model:** Codex GPT 5.5 high\n"), high);
        assert_eq!(read("# P\n\n- **Suggested model**: `gpt-5.5`, high\n"), high);
        assert_eq!(read("# P\n\n| Model | Codex (high) |\n|---|---|\n"), high);
        assert_eq!(read("# P\n\n## Model\n\nCodex, high reasoning.\n"), high);
        assert_eq!(read("# P\n\n## Agent model\n\nClaude Opus\n"), ("high".into(), Some(Family::Claude)));
        assert_eq!(read("# P\n\nPreferred model: Sonnet\n"), ("medium".into(), Some(Family::Claude)));
        let provider = "# P\n\n**Provider / Model:** claude-cli / opus  \n**Tools:** Read\n";
        assert_eq!(read(provider), ("high".into(), Some(Family::Claude)));
        // Without a family, or under another label, it is not one.
        for other in [
            "**Model:** high-level sketch of the data",
            "Data model: GPT conversation record, high volume",
            "The model: Claude writes the tests",
            "## Model\n\nThe `User` model, high priority.",
            "| Phase | Model |\n|---|---|\n| 02 | Codex high |",
        ] {
            assert_eq!(read(&format!("# P\n\n{other}\n")), ("medium".into(), None), "{other}");
        }
    }

    #[test]
    fn a_heading_may_be_the_callout() {
        let high = ("high".to_owned(), Some(Family::Codex));
        // skillnet 0.6 reads the first callout line wherever it stands, headings included.
        assert_eq!(read("# P\n\n## Recommended Codex model: GPT 5.5 high\n\nText.\n"), high);
        assert_eq!(
            read("# P\n\n### Recommended Claude model — Opus\n"),
            ("high".into(), Some(Family::Claude))
        );
        // A callout paragraph right over a `---` rule is, to Markdown, a heading.
        assert_eq!(read("# P\n\n**Recommended Codex model: GPT 5.5 low**\n---\n\nText.\n").0, "low");
        // A heading that only says "recommended model" has its model in the lines under it.
        assert_eq!(read("# P\n\n## Recommended model\n\nCodex GPT-5.5, high reasoning\n"), high);
        assert_eq!(
            read("# P\n\n## 3. Recommended Codex model:\n\n- GPT-5.5\n- Reasoning effort: high\n"),
            high
        );
        assert_eq!(
            read("# P\n\n## Recommended Codex model\n\nGPT-5.5 (`gpt-5.5`)\nReasoning effort: xhigh\n"),
            ("max".into(), Some(Family::Codex))
        );
        // Its section may give the reasoning effort further down, in a fence too.
        let fenced = "# P\n\n# 7. Recommended Codex model for Phase 16\n\nPhase 16 is harder than 15.\n\n\
                      Recommended:\n\n```text\nGPT-5.6 Sol\nReasoning: High\n```\n\nFallback:\n\n\
                      ```text\nGPT-5.6 Terra\nReasoning: Medium\n```\n";
        assert_eq!(read(fenced), high);
        // The body of another section is not the model, nor its effort.
        assert_eq!(
            read("# P\n\n## Recommended model\n\n## Steps\n\nUse Codex, high care.\n"),
            ("medium".into(), None)
        );
        let later = "# P\n\n## Recommended Codex model\n\nGPT-5.5\n\n## Steps\n\nReasoning effort: low\n";
        assert_eq!(read(later), ("medium".into(), Some(Family::Codex)));
        // A heading that only mentions a model does not take its section's words.
        assert_eq!(
            read("# P\n\n## Why not the recommended model\n\nThe stakes are high.\n"),
            ("medium".into(), None)
        );
        // The first callout wins, heading or not.
        let first =
            "# P\n\n> **Recommended Codex model: GPT 5.5 low**\n\n## Recommended Codex model: GPT 5.5 max\n";
        assert_eq!(read(first).0, "low");
    }

    #[test]
    fn a_key_and_value_table_row_may_be_the_callout_or_the_dependencies() {
        // skillnet 0.6 reads a callout on any line, a table row's included.
        let fields = "# P\n\n| Field | Value |\n|---|---|\n| Status | ready |\n\
                      | **Recommended Codex model** | GPT 5.5 |\n| Reasoning effort | high |\n\
                      | Depends on | 01, 02 |\n";
        assert_eq!(read(fields), ("high".into(), Some(Family::Codex)));
        assert_eq!(parse_with_dependencies(fields).depends.as_deref(), Some("01, 02"));
        // The header row may be the first pair.
        let header = "# P\n\n| Recommended model | Opus |\n|---|---|\n| Blocked by | — |\n";
        assert_eq!(read(header), ("high".into(), Some(Family::Claude)));
        assert_eq!(parse_with_dependencies(header).depends.as_deref(), Some("—"));
        // A table of models is not a callout, nor are its rows dependencies.
        let models =
            "# P\n\n| Phase | Recommended model | Depends on |\n|---|---|---|\n| 02 | Codex high | 01 |\n";
        assert_eq!(read(models), ("medium".into(), None));
        assert_eq!(parse_with_dependencies(models).depends, None);
        // A line before the table wins.
        let both = "# P\n\n> **Recommended Codex model: GPT 5.5 low**\n\n| Recommended model | GPT 5.5 max |\n|---|---|\n";
        assert_eq!(read(both).0, "low");
    }

    #[test]
    fn a_reasoning_effort_line_right_under_a_callout_gives_its_tier() {
        let high = ("high".to_owned(), Some(Family::Codex));
        // A ticket's header lines: the model, then its reasoning effort.
        let ticket = "# 01: Align\n\nStatus: ready\nRecommended model: GPT-5.6 Luna (`gpt-5.6-luna`)\n\
                      Reasoning effort: high\n\n## Parent\n";
        assert_eq!(read(ticket), high);
        // In a quote, as the paragraph after the callout.
        assert_eq!(
            read("# P\n\n> **Recommended Codex model:** GPT-5.5\n>\n> **Reasoning:** xhigh\n"),
            ("max".into(), Some(Family::Codex))
        );
        assert_eq!(
            read("# P\n\n- Recommended model: gpt-5.5\n- Effort: low\n"),
            ("low".into(), Some(Family::Codex))
        );
        // It names the tier before a Claude model's name does.
        assert_eq!(
            read("# P\n\nRecommended Claude model: Sonnet\nThinking: high\n"),
            ("high".into(), Some(Family::Claude))
        );
        assert_eq!(
            read("# P\n\nRecommended model: DeepSeek V4\nReasoning effort: max\n"),
            ("max".into(), None)
        );
        // The callout's own tier wins.
        assert_eq!(
            read("# P\n\nRecommended Codex model: GPT 5.5 low\nReasoning effort: high\n"),
            ("low".into(), Some(Family::Codex))
        );
        // Only the very next line, and only one about effort.
        let medium = ("medium".to_owned(), Some(Family::Codex));
        assert_eq!(read("# P\n\nRecommended Codex model: GPT-5.5\nPriority: high\n"), medium);
        assert_eq!(
            read("# P\n\nRecommended Codex model: GPT-5.5\nRationale: bounded.\nReasoning effort: high\n"),
            medium
        );
        // Not across a heading.
        assert_eq!(read("# P\n\nRecommended Codex model: GPT-5.5\n\n## Steps\n\nEffort: high\n"), medium);
    }

    #[test]
    fn front_matter_gives_the_tier_and_family_when_no_callout_names_a_family() {
        let front = |lines: &str| read(&format!("---\n{lines}\n---\n\n# Phase 03\n\nText.\n"));
        assert_eq!(front("model: claude-opus-4-7"), ("high".into(), Some(Family::Claude)));
        assert_eq!(
            front("model: claude-opus-4-7\nreasoning_effort: medium"),
            ("medium".into(), Some(Family::Claude))
        );
        assert_eq!(
            front("llm:\n  model: gpt-5.5\n  reasoning_effort: xhigh"),
            ("max".into(), Some(Family::Codex))
        );
        assert_eq!(front("recommended_model: sonnet"), ("medium".into(), Some(Family::Claude)));
        assert_eq!(front("effort: low"), ("low".into(), None));
        assert_eq!(front("recommended_model: deep-reasoning\nstatus: draft"), ("medium".into(), None));
        // What the model was, not what it should be, says nothing.
        assert_eq!(front("actual_model: Codex GPT-5 high"), ("medium".into(), None));
        // A callout that names a family wins; front matter wins over one that does not.
        let both = "---\nmodel: haiku\n---\n\n> **Recommended Codex model: GPT 5.5 high**\n";
        assert_eq!(read(both), ("high".into(), Some(Family::Codex)));
        let other = "---\nmodel: haiku\n---\n\nRecommended model: DeepSeek V4 max\n";
        assert_eq!(read(other), ("low".into(), Some(Family::Claude)));
    }

    #[test]
    fn front_matter_states_dependencies_when_no_line_does() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        assert_eq!(depends("---\ndepends_on: [01, \"02\"]\n---\n\n# P\n").as_deref(), Some("01, 02"));
        assert_eq!(
            depends("---\nblocked_by:\n  - AX.1\n  - AX.2\n---\n# P\n").as_deref(),
            Some("AX.1, AX.2")
        );
        assert_eq!(depends("---\ndepends_on: []\n---\n# P\n").as_deref(), Some(""));
        let line_first = "---\ndepends_on: [01]\n---\n\n# P\n\nDepends on: 02\n";
        assert_eq!(depends(line_first).as_deref(), Some("02"));
    }

    #[test]
    fn a_depends_on_label_or_section_may_list_the_dependencies() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        let label = "# P\n\n**Depends on:**\n\n- Phase 01 (the schema)\n- 02-client\n\nThen write it.\n";
        assert_eq!(depends(label).as_deref(), Some("Phase 01 (the schema), 02-client"));
        let section = "# P\n\n## Depends on\n\n- 01\n- 03\n\n## Steps\n\n- 04\n";
        assert_eq!(depends(section).as_deref(), Some("01, 03"));
        let blocked = "# P\n\n### Blocked by\n\nPhase 2.\n";
        assert_eq!(depends(blocked).as_deref(), Some("Phase 2."));
        // A line that states them wins; a Dependencies section of crates names none.
        let both = "# P\n\nDepends on: 05\n\n## Depends on\n\n- 01\n";
        assert_eq!(depends(both).as_deref(), Some("05"));
        assert_eq!(depends("# P\n\n## Dependencies\n\n- serde 1.0\n"), None);
    }

    #[test]
    fn a_dependencies_section_names_the_phases_its_items_open_with() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        let section = "# P\n\n## Dependencies\n\n- Phase 1 (Biped) must complete first\n\
                       - `node-router` skill must expose scoring\n- Phases 3-4, 6 and 7: the stores\n\
                       - Phase 2 completion: T-001 through T-004\n- Phase II backend\n";
        assert_eq!(depends(section).as_deref(), Some("1, 3-4, 6, 7, 2"));
        let prerequisites = "# P\n\n### Prerequisites\n\n- Phase 0 UI and minimum-version decisions.\n";
        assert_eq!(depends(prerequisites).as_deref(), Some("0"));
        // Crates and tools name no phase; a Depends on line wins.
        assert_eq!(depends("# P\n\n## Dependencies\n\n- serde 1.0\n- Node 20\n"), None);
        let both = "# P\n\n**Depends on:** 05\n\n## Dependencies\n\n- Phase 1\n";
        assert_eq!(depends(both).as_deref(), Some("05"));
    }

    #[test]
    fn a_dependencies_label_names_the_phases_it_opens_with() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for (label, named) in [
            ("**Dependencies**: Phase 1 complete\n", "1"),
            ("- **Dependencies**: Phase 0 completion.\n", "0"),
            ("**Dependencies**: Phase 1. **Can parallel with**: Phase 4.\n", "1"),
            ("**Prerequisites:** Phases 2 and 3 (the stores)\n", "2, 3"),
            ("Dependencies: Phase 1A (Authentication) — Complete\n", "1A"),
            ("**Dependencies:**\n\n- Phase 4 merged\n- `serde` 1.0\n", "4"),
            // A value of nothing but phase numbers names them too.
            ("**Dependencies:** 01, 02\n", "01, 02"),
            ("Needs: 3-4 and 6\n", "3-4, 6"),
            ("**Prereqs:** 2.1\n", "2.1"),
        ] {
            assert_eq!(depends(&format!("# P\n\n{label}")).as_deref(), Some(named), "{label}");
        }
        // Crates, tools and none name no phase; a Depends on line or section wins.
        for none in [
            "**Dependencies**: None\n",
            "**Dependencies:** serde 1.0, Node 20\n",
            "**Requires:** 3rd-party keys\n",
            "Needs: 2 reviewers\n",
            "**Dependencies:** Phase 1st\n",
        ] {
            assert_eq!(depends(&format!("# P\n\n{none}")), None, "{none}");
        }
        let both = "# P\n\n**Dependencies:** Phase 1\n\n## Dependencies\n\n- Phase 2 landed\n";
        assert_eq!(depends(both).as_deref(), Some("2"));
        let line_first = "# P\n\n**Dependencies:** Phase 1\n\n**Depends on:** 05\n";
        assert_eq!(depends(line_first).as_deref(), Some("05"));
    }

    #[test]
    fn labels_that_say_what_a_phase_waits_for_are_depends_on_labels() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for label in ["**Depends**: 01", "**Waits for:** 01", "Runs after: 01", "- **Blocked on:** 01"] {
            assert_eq!(depends(&format!("# P\n\n{label}\n")).as_deref(), Some("01"), "{label}");
        }
        let row = "# P\n\n| Field | Value |\n|---|---|\n| Starts after | 01 |\n";
        assert_eq!(depends(row).as_deref(), Some("01"));
    }

    #[test]
    fn a_depends_on_label_may_carry_a_remark_in_parentheses() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        assert_eq!(depends("# P\n\n**Depends on (hard):** 01, 02\n").as_deref(), Some("01, 02"));
        let listed = "# P\n\n**Blocked by (must land first):**\n\n- 03\n- 04\n";
        assert_eq!(depends(listed).as_deref(), Some("03, 04"));
        // The first labelled line counts, on any line of a paragraph of labels.
        let labels = "# P\n\n**Status:** ready\n**Depends on:** 05\n**Blocked by:** 06\n";
        assert_eq!(depends(labels).as_deref(), Some("05"));
        // A saying inside a sentence is prose.
        assert_eq!(depends("# P\n\nThis phase depends on: nothing much.\n"), None);
    }

    #[test]
    fn a_callout_inside_a_fence_is_not_read() {
        let file = parse("# P\n\n```\nRecommended Codex model: GPT 5.5 max\n```\n");
        assert_eq!(file.routing_tier, "medium");
    }

    #[test]
    fn working_trees() {
        let tree = |body: &str| {
            let trees = parse(&format!("# P\n\n## Working tree\n\n{body}\n\n## Next\n")).working_trees;
            assert!(trees.len() <= 1, "{trees:?}");
            trees.into_iter().next()
        };
        assert_eq!(tree("same as primary"), None);
        assert_eq!(tree("Same as primary."), None);
        assert_eq!(tree("- `primary`"), None);
        assert_eq!(tree("This repo"), None);
        assert_eq!(tree("/tmp/external-repo"), Some("/tmp/external-repo".into()));
        assert_eq!(tree("[/data/x/canix](file:///data/x/canix)"), Some("/data/x/canix".into()));
        assert_eq!(
            tree("- `/data/x/skillnet/` (skillnet `main`, working tree must"),
            Some("/data/x/skillnet".into())
        );
        assert!(parse("# P\n").working_trees.is_empty());
        assert_eq!(tree("`/data/x/sorrel`. Same repo as the parent project."), None);
        assert_eq!(tree("[/data/x/simit](file:///data/x/simit)\n— same repo as the parent project."), None);
        assert_eq!(tree("`/data/x/plinth` (this repository). Do not push."), None);
        assert_eq!(
            tree("`/data/x/other` — not the same repo as the parent project."),
            Some("/data/x/other".into())
        );
    }

    #[test]
    fn a_working_directory_section_is_the_working_tree() {
        for title in ["Working directory", "Worktree", "CWD"] {
            let file = parse(&format!("# P\n\n## {title}\n\n`/data/x/canix`\n"));
            assert_eq!(file.working_trees, ["/data/x/canix"], "{title}");
        }
    }

    #[test]
    fn a_working_tree_may_list_several_repositories() {
        let trees =
            |body: &str| parse(&format!("# P\n\n## Working tree\n\n{body}\n\n## Next\n")).working_trees;
        assert_eq!(
            trees("Multi-repo:\n\n- `/data/x/simit` — release tagging.\n- `/data/x/canix` — flake.lock bump and\n  activation."),
            ["/data/x/canix", "/data/x/simit"]
        );
        assert_eq!(
            trees(
                "Multi-repo. The agent will `cd` between project\ndirectories. Main tree:\n`/data/x/a`.\n\n\
                 Per-project working trees:\n\n- `/data/x/a`\n- `/data/x/b/`\n- ~/src/c"
            ),
            ["/data/x/a", "/data/x/b", "~/src/c"]
        );
        assert_eq!(trees("- `/data/x/a` (the main checkout)\n- `/data/x/b`"), ["/data/x/a", "/data/x/b"]);
        assert!(trees("- `cwd = /data/x/plinth` (the plinth repo).\n- This is **Wave 0**.").is_empty());
        assert_eq!(
            trees("Multi-repo: this repo and canix.\n\n- `/data/x/canix` — lock bump."),
            ["/data/x/canix"]
        );
        assert_eq!(trees("`../sibling`\n\n- You touch only `crates/shared/`."), ["../sibling"]);
    }

    #[test]
    fn a_files_touched_section_or_a_table_of_files_lists_the_files() {
        let file = parse("# P\n\n## Files Touched\n\n- `a.rs` — why\n\n## Next\n\n- `b.rs`\n");
        assert_eq!(file.files, ["a.rs"]);
        let table = "# P\n\n## Files likely touched\n\n| Area | File | Change |\n|---|---|---|\n\
                     | core | `src/a.rs` | new |\n| cli | `src/b.rs`, `src/c.rs` | edit |\n";
        assert_eq!(parse(table).files, ["src/a.rs", "src/b.rs", "src/c.rs"]);
        let first = "# P\n\n## Files to modify\n\n| | |\n|---|---|\n| `x/y.c` | pool |\n";
        assert_eq!(parse(first).files, ["x/y.c"]);
        let both = "# P\n\n## Files touched\n\n- `t.rs`\n\n## Files likely touched\n\n- `l.rs`\n";
        assert_eq!(parse(both).files, ["l.rs"]);
    }

    #[test]
    fn every_section_of_files_to_create_or_modify_lists_the_files() {
        for title in [
            "Files to Create or Modify",
            "Files To Create Or Modify",
            "Files to create/modify",
            "Files changed",
            "Files in scope",
            "Files In Scope (per brief)",
            "In-scope files",
            "Key Files to Modify",
            "Key files to modify / create",
        ] {
            assert_eq!(parse(&format!("# P\n\n## {title}\n\n- `a.rs`\n")).files, ["a.rs"], "{title}");
        }
        let split = "# P\n\n## Files to Create\n\n- `new.rs`\n\n## Files to Read\n\n- `context.rs`\n\n\
                     ## Files to Modify\n\n| File | Change |\n|---|---|\n| `old.rs` | edit |\n";
        assert_eq!(parse(split).files, ["new.rs", "old.rs"]);
        let nested = "# P\n\n## Critical Files\n\n### Files to Create (2)\n\n1. `a.ts` - client\n\n\
                      ### New and modified files\n\n- `b.ts`\n\n### Key files\n\n- `c.ts`\n";
        assert_eq!(parse(nested).files, ["a.ts", "b.ts"]);
        for other in [
            "Files to read",
            "Reference files",
            "Related files",
            "Files out of scope",
            "Key Files to Modify When Adding Components",
        ] {
            assert!(parse(&format!("# P\n\n## {other}\n\n- `a.rs`\n")).files.is_empty(), "{other}");
        }
        // Without any, a section that only says Files (or Key files) lists them.
        for last in ["Files", "Key files", "File list"] {
            assert_eq!(parse(&format!("# P\n\n## {last}\n\n- `a.rs`\n")).files, ["a.rs"], "{last}");
            let touched = format!("# P\n\n## {last}\n\n- `a.rs`\n\n## Files to modify\n\n- `b.rs`\n");
            assert_eq!(parse(&touched).files, ["b.rs"], "{last}");
        }
    }

    #[test]
    fn a_bullet_that_wraps_after_a_comma_keeps_its_later_paths() {
        let file = parse("## Files likely touched\n\n- `src/a.rs`,\n  `src/b.rs` and\n  `src/c.rs` (new)\n");
        assert_eq!(file.files, ["src/a.rs", "src/b.rs", "src/c.rs"]);
    }

    #[test]
    fn a_section_without_a_list_reads_the_paragraphs_that_list_paths() {
        let text =
            "## Files likely touched\n\n`gateway/cmd/kaiak/**`, `gateway/internal/{control,limits}/**`,\n\
                    `scripts/smoke.sh`, and the sample's page comment if it names `x.go`.\n\n\
                    [docs/GATEWAY.md](../docs/GATEWAY.md)\n\n\
                    Mostly prose about `src/other.rs`, which is not a list of paths.\n";
        // A trailing `**` loses its stars, as in a list item: the path names the folder.
        assert_eq!(
            parse(text).files,
            [
                "gateway/cmd/kaiak/",
                "gateway/internal/control/",
                "gateway/internal/limits/",
                "scripts/smoke.sh",
                "docs/GATEWAY.md"
            ]
        );
        // Beside a list, a paragraph is the list's introduction.
        let intro = "## Files likely touched\n\n`src/` mostly:\n\n- `src/a.rs`\n";
        assert_eq!(parse(intro).files, ["src/a.rs"]);
    }

    #[test]
    fn a_labelled_line_stands_in_for_a_files_section() {
        let over_a_list = "# P\n\n**Files likely touched:**\n\n- `src/a.rs`\n- `src/b.rs` (new)\n\n\
                           Then run the tests in `tests/c.rs`.\n\n- `not/this.rs`\n";
        assert_eq!(parse(over_a_list).files, ["src/a.rs", "src/b.rs"]);
        let tight = "# P\n\nFiles to modify:\n- `x.rs`\n\n## Steps\n\n- `y.rs`\n";
        assert_eq!(parse(tight).files, ["x.rs"]);
        let inline = "# P\n\n- **Files touched:** `src/a.rs`, `src/b.rs`\n- **Risk:** low\n";
        assert_eq!(parse(inline).files, ["src/a.rs", "src/b.rs"]);
        let table = "# P\n\n**Files to change**:\n\n| File | Why |\n|---|---|\n| `t.rs` | x |\n";
        assert_eq!(parse(table).files, ["t.rs"]);
        // A section wins; a label that is not about touched files is not one.
        let both = "# P\n\n**Files touched:** `label.rs`\n\n## Files likely touched\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
        for other in ["**Files to read:**\n\n- `a.rs`", "Note: files touched: `a.rs`"] {
            assert!(parse(&format!("# P\n\n{other}\n")).files.is_empty(), "{other}");
        }
    }

    #[test]
    fn a_row_of_a_table_of_fields_may_name_the_files() {
        let fields = "# P\n\n| Field | Value |\n|---|---|\n| Model | GPT-5.5 high |\n\
                      | **Files touched** | `src/a.rs` <br> `src/b.rs` |\n| Depends on | 01 |\n";
        assert_eq!(parse(fields).files, ["src/a.rs", "src/b.rs"]);
        let attributes = "# P\n\n| Attribute | Value |\n|---|---|\n| **Phase** | 1 |\n\
                          | **Files** | `src/x/runtime.py`, `src/y/runtime.py` |\n";
        assert_eq!(parse(attributes).files, ["src/x/runtime.py", "src/y/runtime.py"]);
        // A row whose value is not paths names none; a section wins.
        let prose =
            "# P\n\n| Category | Format |\n|---|---|\n| **Files** | kebab-case with a role suffix |\n";
        assert!(parse(prose).files.is_empty());
        let both = "# P\n\n| | |\n|---|---|\n| Files | `row.rs` |\n\n## Files to modify\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
    }

    #[test]
    fn tasks_labelled_files_name_them_when_nothing_else_does() {
        // A plan of tasks, each with its files (`Create:`, `Modify:`, `Test:`).
        let tasks = "# P\n\n### Task 1: Config\n\n**Files:**\n- Create: `app/triggers.yaml`\n\
                     - Modify: `app/lib/config.ts:123-145`\n- Test: `tests/config_test.ts`\n\n\
                     - [ ] **Step 1:** Write the failing test\n\n### Task 2: Wire\n\n\
                     **Files:** `app/main.ts`, `app/cli.ts`\n";
        assert_eq!(
            parse(tasks).files,
            ["app/triggers.yaml", "app/lib/config.ts", "tests/config_test.ts", "app/main.ts", "app/cli.ts"]
        );
        // Anything that names the files the phase touches wins over them.
        let both = "# P\n\n**Files:** `task.rs`\n\n## Files likely touched\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
        let section = "# P\n\n**Files:** `task.rs`\n\n## Files\n\n- `section.rs`\n";
        assert_eq!(parse(section).files, ["section.rs"]);
    }

    #[test]
    fn a_files_section_may_list_its_paths_in_a_code_fence() {
        let fenced = "# P\n\n## Files likely touched\n\n```text\nsrc/a.rs\nserver/b.py      # unchanged if the API holds\n\
                      tests/component/... (export screen)\n├── not-a-path\ncargo test\n```\n\n## Steps\n\n```\nsrc/c.rs\n```\n";
        assert_eq!(parse(fenced).files, ["src/a.rs", "server/b.py", "tests/component/"]);
        // A list wins over a fence beside it (then the fence shows commands or code).
        let both = "# P\n\n## Files likely touched\n\n- `src/a.rs`\n\n```sh\nsrc/b.rs --check\n```\n";
        assert_eq!(parse(both).files, ["src/a.rs"]);
        let labelled = "# P\n\n**Files likely touched:**\n\n```\nsrc/a.rs\n```\n";
        assert_eq!(parse(labelled).files, ["src/a.rs"]);
        let tree = "# P\n\n## Files to create\n\n```\nsrc/cli/\n  mod.rs\n  args.rs\n```\n";
        assert_eq!(parse(tree).files, ["src/cli/"]);
    }

    #[test]
    fn front_matter_names_the_files_when_no_section_or_label_does() {
        let listed =
            "---\nphase: 03-design\nwave: 2\nfiles_modified:\n  - src/a.ts\n  - \"src/b.ts\"\n---\n\n# P\n";
        assert_eq!(parse(listed).files, ["src/a.ts", "src/b.ts"]);
        let flow = "---\nfiles_touched: [src/a.rs, `src/b.rs` (new)]\n---\n# P\n";
        assert_eq!(parse(flow).files, ["src/a.rs", "src/b.rs"]);
        // A section or a label wins; a count or an empty list names none.
        let section = "---\nfiles_modified: [fm.rs]\n---\n# P\n\n## Files likely touched\n\n- `s.rs`\n";
        assert_eq!(parse(section).files, ["s.rs"]);
        let label = "---\nfiles_modified: [fm.rs]\n---\n# P\n\n**Files touched:** `l.rs`\n";
        assert_eq!(parse(label).files, ["l.rs"]);
        for none in ["files_modified: 24", "files_modified: []  # decided in task 1"] {
            assert!(parse(&format!("---\n{none}\n---\n# P\n")).files.is_empty(), "{none}");
        }
    }

    #[test]
    fn a_labelled_line_stands_in_for_a_working_tree_section() {
        let trees =
            |text: &str| parse(&format!("# P\n\n{text}\n\n## Steps\n\n- `/not/this`\n")).working_trees;
        assert_eq!(trees("**Working tree:** `/srv/other`"), ["/srv/other"]);
        assert_eq!(trees("- **Worktree**: /srv/other — the service repo"), ["/srv/other"]);
        assert_eq!(trees("**Working tree:**\n\n`/srv/other`"), ["/srv/other"]);
        assert!(trees("**Working tree:** same as primary").is_empty());
        assert!(trees("**Working tree:**").is_empty());
        let section = "# P\n\n**Working tree:** `/srv/label`\n\n## Working tree\n\nsame as primary\n";
        assert!(parse(section).working_trees.is_empty());
        // A label may open any line of a paragraph of them.
        let fields = "# P\n\n**Model:** Claude Opus · **Effort:** high\n**Worktree:** `../wt-1`\n\
                      **Files touched:** `a.rs`, `b.rs`<br>**Risk:** low\n";
        let file = parse(fields);
        assert_eq!(
            (file.working_trees, file.files),
            (vec!["../wt-1".to_owned()], vec!["a.rs".into(), "b.rs".into()])
        );
    }

    #[test]
    fn file_lists_take_every_list_marker() {
        let file = parse(
            "# P\n\n## Files likely touched\n\n- `a.rs` — why\n* b.rs\n+ c.rs\n1. d.rs\n\n---\n\nprose e.rs\n",
        );
        assert_eq!(file.files, ["a.rs", "b.rs", "c.rs", "d.rs"]);
    }
}
