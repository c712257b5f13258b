//! Phases a README lists instead of tabling them, and the numbered phase files beside it.

use std::collections::BTreeSet;

use super::headings::HeadedRows;
use super::numbering::{first_integer, reference_key, unit_key, OTHER_UNITS};
use super::table::stated_dependencies;
use super::task_order::{after_checkbox, checked};
use super::Row;
use crate::plan_dir::columns::is_numbered_phase_file;
use crate::plan_dir::depends::SAYINGS;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::{plain_text, Block, BlockKind, Outline, Piece, COLONS};
use crate::plan_dir::paths::link_target;

/// How the items of a list of phases name their files.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Named {
    /// By a link: `2. [Storage](02-storage.md)`.
    ByLink,
    /// In a code span: `` 2. `02-storage.md` — Storage ``.
    InCode,
}

/// The list items that name a numbered phase file, each by its first link, or each in a code
/// span (`2. [Storage](02-storage.md) — depends on 1`, `` - `phase-3/README.md` ``), one row
/// each, in order; a file named again is the row already read, and a dated document
/// (`2026-02-15-chart.md`, [`is_dated`]) or a path from the root (`/app/docs/01-a.md`) is none,
/// nor is a code span that does not open the file's name with its number
/// ([`numbered_by_name`]: `report-v2.md`). A row depends on what its text says after "depends
/// on" ("blocked by", "blocked on").
pub(super) fn list_rows(outline: &Outline, named: Named) -> Vec<(Option<i64>, Row)> {
    let mut read = BTreeSet::new();
    let mut rows = Vec::new();
    for item in outline.blocks.iter().filter(|b| b.kind == BlockKind::Item) {
        let target = item.pieces.iter().find_map(|p| match (p, named) {
            (Piece::Link(target), Named::ByLink) => Some(link_target(target)),
            (Piece::Code(text), Named::InCode) => {
                Some(text.trim().to_owned()).filter(|t| is_numbered_phase_file(t) && numbered_by_name(t))
            }
            _ => None,
        });
        let beside = |target: &String| !target.starts_with('/') && !is_dated(target);
        let Some(target) = target.filter(|target| is_numbered_phase_file(target) && beside(target)) else {
            continue;
        };
        if !read.insert(target.clone()) {
            continue;
        }
        let text = plain_text(&item.pieces);
        // ASCII lower case keeps every byte where it is, so `said` is an offset into `text`.
        let lower = text.to_ascii_lowercase();
        let said = SAYINGS.iter().filter_map(|saying| lower.find(saying)).min().unwrap_or(lower.len());
        let label = text[..said].trim().trim_end_matches([',', '—', '–', '-', '(']).trim();
        let depends = stated_dependencies(std::slice::from_ref(&item.pieces));
        rows.push(file_row(target, label, Some(outline.line_of(item.start)), depends));
    }
    rows
}

/// Whether a path names its phase file, or its folder for a `README.md` or `index.md`, by the
/// number the name opens with ([`entry_number`]: `01-core.md`, `plan/phase-3/README.md`; not
/// `report-2026-02-26.md`).
fn numbered_by_name(target: &str) -> bool {
    let mut names = target.trim_end_matches('/').rsplit('/');
    let name = names.next().unwrap_or_default();
    let entry = match ["readme.md", "index.md"].iter().any(|index| name.eq_ignore_ascii_case(index)) {
        true => format!("{}/", names.next().unwrap_or_default()),
        false if target.ends_with('/') => format!("{name}/"),
        false => name.to_owned(),
    };
    entry_number(&entry).is_some()
}

/// Whether a file's name opens with a date (`2026-02-15-chart.md`, `20260215-notes.md`), as a
/// dated note or plan is named, not a phase (`0010-scaffold.md` is one).
fn is_dated(target: &str) -> bool {
    let name = target.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &name.as_bytes()[digits..];
    let month =
        rest.first() == Some(&b'-') && rest.get(1..3).is_some_and(|m| m.iter().all(u8::is_ascii_digit));
    let century = name.starts_with("19") || name.starts_with("20");
    century && (digits == 8 || (digits == 4 && month))
}

/// The numbered phase files and folders beside the README (folders given with their `/`, see
/// [`entry_number`]), one row each, in the order of their numbers, then of their names.
pub(super) fn entry_rows(entries: &[String]) -> Vec<(Option<i64>, Row)> {
    let mut numbered: Vec<(i64, &String)> =
        entries.iter().filter_map(|name| Some((entry_number(name)?, name))).collect();
    numbered.sort();
    let row = |name: &String| {
        let label = name.trim_end_matches('/');
        file_row(name.clone(), label.strip_suffix(".md").unwrap_or(label), None, String::new())
    };
    numbered.into_iter().map(|(_, name)| row(name)).collect()
}

/// The number of a plan directory entry that is a numbered phase file or folder: its name
/// opens with a number of at most three digits, maybe after `phase` (`01-core.md`, `4b_cli/`,
/// `phase-2-docs.md`), and, a file, is Markdown. A dated note (`2026-02-15-review.md`), a
/// version (`v2/`) and the README are not phases.
pub fn entry_number(name: &str) -> Option<i64> {
    let lower = name.to_ascii_lowercase();
    let folder = lower.ends_with('/');
    if !folder && (!lower.ends_with(".md") || lower == "readme.md") {
        return None;
    }
    let rest = lower.strip_prefix("phase").map_or(lower.as_str(), |r| r.trim_start_matches(['-', '_', ' ']));
    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = &rest[..rest.len() - after.len()];
    let after = after.strip_prefix(|c: char| c.is_ascii_alphabetic()).unwrap_or(after);
    let ends = after.is_empty() || after.starts_with(['-', '_', '.', ' ', '/']);
    (!digits.is_empty() && digits.len() <= 3 && ends).then(|| digits.parse().ok()).flatten()
}

/// The row of phase file (or folder) `target`, named by `label` (its list item's text, or its
/// name), at README line `line`: numbered by the file name's leading number, else by its
/// label, else by its file name.
fn file_row(target: String, label: &str, line: Option<usize>, depends: String) -> (Option<i64>, Row) {
    let file_name = target.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let name_start = file_name.split(['-', '_']).next();
    let numbering =
        [name_start, Some(label), Some(file_name)].into_iter().flatten().find(|t| first_integer(t).is_some());
    let (ordinal, key) = (numbering.and_then(first_integer), reference_key(numbering.unwrap_or(label)));
    let row = Row { line, label: label.to_owned(), key, depends, target, ..Row::default() };
    (ordinal, row)
}

/// The list items that open with a numbered one of [`OTHER_UNITS`] and a colon, after their
/// checkbox (`- [x] Task 1: Set up the project`, as Trae writes a spec's tasks; not `SubTask
/// 1.1: ...`, nor `Task 2 depends on Task 1`), one row each, with the first unit any item opens
/// with: a phase named by the anchor of its text ([`name_anchor`]), with no file of its own.
pub(super) fn unit_item_rows(outline: &Outline) -> Option<(&'static str, HeadedRows)> {
    let items: Vec<(usize, String)> = outline
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Item)
        .map(|item| (item.start, plain_text(&item.pieces)))
        .collect();
    // The item's text after its checkbox, and the key of the unit it numbers before a colon.
    let numbered = |unit: &str, text: &str| {
        let text = after_checkbox(text.lines().next().unwrap_or_default());
        let key = unit_key(unit, text)?;
        let after_number = text.split_once(|c: char| c.is_ascii_digit())?.1;
        let after_number = after_number.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '.');
        after_number.trim_start().starts_with(COLONS).then(|| (key, text.to_owned()))
    };
    OTHER_UNITS.into_iter().find_map(|unit| {
        let rows: HeadedRows = items
            .iter()
            .filter_map(|(start, text)| {
                let (key, label) = numbered(unit, text)?;
                let (line, anchor) = (Some(outline.line_of(*start)), name_anchor(&label));
                let row = Row { line, label, key: key.clone(), anchor, ..Row::default() };
                Some((first_integer(&key), row))
            })
            .collect();
        (!rows.is_empty()).then_some((unit, rows))
    })
}

/// The tasks of a numbered checklist, as Kiro writes a spec's implementation plan (`- [ ] 1.
/// Set up the project`, `- [x] 2.5. Add the importer`, an optional one `- [ ]* 3. Write the
/// docs`; not their sub-tasks, `- [ ] 2.1 Create the lexer`, whose number no dot follows), one
/// row each, named by the anchor of its title ([`name_anchor`]), its own text running to the
/// next task or heading ([`Row::own_text`]); a task written again right after itself is one.
/// `None` when there is none, or when a task's number does not come after the one before it
/// (a list numbered again in each section).
pub(super) fn checklist_rows(outline: &Outline, text_len: usize) -> Option<HeadedRows> {
    let items = outline.blocks.iter().filter(|b| b.kind == BlockKind::Item);
    let mut tasks: Vec<(&Block, Vec<u32>, String)> = items
        .filter_map(|item| {
            let text = plain_text(&item.pieces);
            let task = checked(text.lines().next()?)?;
            let task = task.strip_prefix('*').unwrap_or(task).trim_start();
            let (number, title) = task.split_once(char::is_whitespace)?;
            let parts = number.strip_suffix('.')?.split('.');
            let is_number = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let number: Vec<u32> =
                parts.map(|part| part.parse().ok().filter(|_| is_number(part))).collect::<Option<_>>()?;
            let title = title.trim();
            (!title.is_empty()).then(|| (item, number, title.to_owned()))
        })
        .collect();
    // A task written twice over, as Kiro leaves one whose status it updated, is one task.
    tasks.dedup_by(|later, earlier| later.1 == earlier.1 && later.2 == earlier.2);
    if tasks.is_empty() || tasks.windows(2).any(|pair| pair[0].1 >= pair[1].1) {
        return None;
    }
    let next_starts = tasks.iter().skip(1).map(|(item, ..)| item.start).chain([text_len]);
    let rows = tasks.iter().zip(next_starts).map(|((item, number, title), next)| {
        let after = outline.headings.partition_point(|h| h.start <= item.start);
        let heading = outline.headings.get(after).map(|h| h.start);
        let key = number.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let row = Row {
            line: Some(outline.line_of(item.start)),
            label: format!("{key}. {title}"),
            key,
            anchor: name_anchor(title),
            own_text: item.start..heading.map_or(next, |start| start.min(next)),
            ..Row::default()
        };
        (Some(i64::from(number[0])), row)
    });
    Some(rows.collect())
}
