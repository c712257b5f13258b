//! The README's tables: the phase table's rows and the tables that go on with it, and what a
//! table of the phases without a File column says of the phases found elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use super::lists::entry_rows;
use super::numbering::{
    after_phase_word, first_integer, is_and_word, is_phase_number, is_phase_word, reference_key,
};
use super::Row;
use crate::plan_dir::columns::{
    columns, file_target, link_anchor, phase_facts, slug_target, Columns, FileColumn, PhaseFacts,
};
use crate::plan_dir::depends::{dependency_text, SAYINGS};
use crate::plan_dir::markdown::{plain_text, Outline, Piece, Table, COMMAS};
use crate::plan_dir::paths::touches_paths;
use crate::plan_dir::structure::README;

/// The rows of the phase table `table`, and of the later tables that go on with it.
pub(super) fn phase_table_rows(
    outline: &Outline,
    table: &Table,
    cols: &Columns,
    links: &BTreeMap<String, String>,
) -> Vec<(Option<i64>, Row)> {
    let mut rows = table_rows(outline, table, cols, links);
    // A later table with the same header goes on with the phase table (`## Track A`, `## Track
    // B`), unless it names phase files or numbers already read (a status table repeating the
    // phases, a second plan numbered from 1 again).
    let header =
        |t: &Table| t.header.iter().map(|cell| plain_text(cell).trim().to_lowercase()).collect::<Vec<_>>();
    let phase_header = header(table);
    for later in outline.tables.iter().filter(|t| t.start > table.start && header(t) == phase_header) {
        let Ok(later_cols) = columns(later) else { continue };
        let more = table_rows(outline, later, &later_cols, links);
        let read: BTreeSet<&str> =
            rows.iter().flat_map(|(_, row)| [row.target.as_str(), row.key.as_str()]).collect();
        if !more.iter().any(|(_, row)| read.contains(row.target.as_str()) || read.contains(row.key.as_str()))
        {
            rows.extend(more);
        }
    }
    rows
}

/// The rows of a phase table that name a phase file, each with the number it holds.
fn table_rows(
    outline: &Outline,
    table: &Table,
    cols: &Columns,
    links: &BTreeMap<String, String>,
) -> Vec<(Option<i64>, Row)> {
    let empty = Vec::new();
    let mut rows = Vec::new();
    for (offset, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).unwrap_or(&empty);
        let (target, anchor) = match cols.file {
            FileColumn::Targets(i) => (file_target(cell(i)), link_anchor(cell(i))),
            FileColumn::Slugs(i) => (slug_target(cell(i), links), String::new()),
        };
        // A link to an anchor of the README itself (`[Core](#phase-1-core)`) names its section.
        let target = if target.is_empty() && !anchor.is_empty() { README.to_owned() } else { target };
        let file_cell = match cols.file {
            FileColumn::Targets(i) | FileColumn::Slugs(i) => cell(i),
        };
        // A File cell of nothing is no row (as in 0.6); one that names no phase file is a phase
        // without a file of its own, which its row alone describes.
        if is_blank(file_cell) {
            continue;
        }
        let fileless = says_no_phase_file(&target);
        let target = if fileless { String::new() } else { target };
        let label = plain_text(cell(cols.phase)).trim().to_owned();
        let file_name = target.rsplit('/').next().unwrap_or_default();
        let number = cols.number.map(|i| plain_text(cell(i)));
        // The text that numbers the row, which other rows name it by: its Phase cell, else
        // its `#` cell, else the start of its file name (`04b` of `04b-ingestion.md`), else
        // the file name (`phase-3-canvas.md`); when none holds a number, its Phase cell.
        let name_start = file_name.split(['-', '_']).next();
        let numbering = [Some(label.as_str()), number.as_deref(), name_start, Some(file_name)]
            .into_iter()
            .flatten()
            .find(|text| first_integer(text).is_some());
        let ordinal = numbering.and_then(first_integer);
        let key = reference_key(numbering.unwrap_or(&label));
        let mut touches = cols.touches.map(|i| touches_paths(cell(i))).unwrap_or_default();
        // The code files a phase without a file names are what it touches (`` `collect.go` ``).
        if fileless && touches.is_empty() {
            touches = touches_paths(file_cell);
        }
        let depends = match cols.depends {
            Some(i) => dependency_text(cell(i)),
            None => stated_dependencies(cells),
        };
        let model = cols.model.map(|i| plain_text(cell(i))).unwrap_or_default();
        let line = Some(outline.line_of(*offset));
        rows.push((
            ordinal,
            Row { line, label, key, target, anchor, depends, touches, model, ..Row::default() },
        ));
    }
    rows
}

/// Whether what a File cell names is no phase file: nothing but marks (`—`), a word that says
/// so (`TBD`, `none`, `n/a`), prose (`setup, no file`) or a file that is not Markdown
/// (`collect.go`). A name without an extension may be a folder (`03-docs`, `phase-8.1`).
fn says_no_phase_file(target: &str) -> bool {
    let ends_md =
        target.len() >= 3 && target.get(target.len() - 3..).is_some_and(|e| e.eq_ignore_ascii_case(".md"));
    if ends_md || target.ends_with('/') {
        return false;
    }
    let lower = target.trim().to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or_default();
    let code_file = name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !ext.chars().all(|c| c.is_ascii_digit())
    });
    let prose = lower.contains(char::is_whitespace) && lower.contains([',', '(', ';']);
    let says_none = matches!(lower.as_str(), "" | "tbd" | "tba" | "todo" | "none" | "n/a" | "na" | "no file");
    says_none || prose || code_file
}

/// Whether a cell holds nothing but white space and line breaks.
fn is_blank(cell: &[Piece]) -> bool {
    cell.iter().all(|piece| match piece {
        Piece::Text(text) => text.trim().is_empty(),
        Piece::Break => true,
        Piece::Code(_) | Piece::Link(_) => false,
    })
}

/// The rows of the README's phase sections (or of the phase files beside it), each with what
/// the README's table of the phases ([`phase_facts`]) says of it, when its Phase cell, or its
/// `#` cell, names the row's phase (`1A` for `## Phase 1A: Helper`): its dependencies, what it
/// touches, its model.
pub(super) fn with_table_of_phases(
    outline: &Outline,
    mut rows: Vec<(Option<i64>, Row)>,
) -> Vec<(Option<i64>, Row)> {
    let Some((table, facts)) = outline.tables.iter().find_map(|t| Some((t, phase_facts(t)?))) else {
        return rows;
    };
    let empty = Vec::new();
    let described: BTreeMap<String, &Vec<Vec<Piece>>> = table
        .rows
        .iter()
        .flat_map(|(_, cells)| phase_row_keys(&facts, cells).into_iter().map(move |key| (key, cells)))
        .collect();
    for (_, row) in &mut rows {
        let Some(cells) = described.get(&row.key) else { continue };
        let cell = |i: usize| cells.get(i).unwrap_or(&empty);
        row.depends = dependency_text(cell(facts.depends));
        row.touches = facts.touches.map(|i| touches_paths(cell(i))).unwrap_or_default();
        row.model = facts.model.map(|i| plain_text(cell(i))).unwrap_or_default();
    }
    rows
}

/// The keys of the phases a row of a table of the phases names: those its Phase cell lists
/// ([`listed_phase_keys`]), and its `#` cell's number.
fn phase_row_keys(facts: &PhaseFacts, cells: &[Vec<Piece>]) -> Vec<String> {
    let keys = listed_phase_keys(&cells.get(facts.phase).map(|cell| plain_text(cell)).unwrap_or_default());
    let number = facts.number.and_then(|i| cells.get(i)).map(|cell| plain_text(cell));
    let number = number.filter(|text| is_phase_number(text.trim())).map(|text| reference_key(&text));
    keys.into_iter().chain(number).collect()
}

/// The rows of the numbered phase files and folders beside the README ([`entry_rows`]) that
/// its table of the phases without a File column names (`| Phase | Name | Depends on |`), when
/// each row of that table names one of them; none otherwise.
pub(super) fn described_entry_rows(outline: &Outline, entries: Vec<String>) -> Vec<(Option<i64>, Row)> {
    let Some((table, facts)) = outline.tables.iter().find_map(|t| Some((t, phase_facts(t)?))) else {
        return Vec::new();
    };
    let named: Vec<Vec<String>> = table.rows.iter().map(|(_, cells)| phase_row_keys(&facts, cells)).collect();
    let rows: Vec<(Option<i64>, Row)> = entry_rows(&entries)
        .into_iter()
        .filter(|(_, row)| named.iter().any(|keys| keys.contains(&row.key)))
        .collect();
    let each_found = named.iter().all(|keys| rows.iter().any(|(_, row)| keys.contains(&row.key)));
    if each_found {
        rows
    } else {
        Vec::new()
    }
}

/// The keys ([`reference_key`]) of the phases a Phase cell names: one, or each of those a
/// cell of nothing but references lists, as a row of a table of waves does (`2, 3`, `7 and
/// 8`, `4-6`, `Phases 2–4`, `Fases 2 y 3`, `阶段 2、3`).
pub(super) fn listed_phase_keys(cell: &str) -> Vec<String> {
    let lower = cell.trim().to_lowercase();
    // After the word for phases (`Phases`, `Fases`, `阶段`), the list.
    let listed = match lower.split_once(char::is_whitespace) {
        Some((first, rest)) if is_phase_word(first) => rest,
        _ => after_phase_word(&lower).unwrap_or(&lower),
    };
    // Its parts, at commas and at the words for "and" (`2 y 3`); a spaced range (`2 – 4`) is one.
    let parts: Vec<String> = listed
        .split(|c: char| COMMAS.contains(&c) || c == '&')
        .flat_map(|part| {
            let mut groups = vec![String::new()];
            for word in part.split_whitespace() {
                match is_and_word(word) {
                    true => groups.push(String::new()),
                    false => {
                        let group = groups.last_mut().expect("never empty");
                        if !group.is_empty() {
                            group.push(' ');
                        }
                        group.push_str(word);
                    }
                }
            }
            groups
        })
        .filter(|part| !part.is_empty())
        .collect();
    let mut keys = Vec::new();
    for part in &parts {
        let range = ["–", "—", "-", ".."].iter().find_map(|dash| {
            let (low, high) = part.split_once(dash)?;
            let [low, high] = [low, high].map(|end| end.trim().parse::<i64>().ok());
            Some((low?, high?))
        });
        match range {
            Some((low, high)) if low < high && high - low < 1000 => {
                keys.extend((low..=high).map(|n| n.to_string()));
            }
            _ if is_phase_number(part) => keys.push(reference_key(part)),
            _ => return vec![reference_key(cell)],
        }
    }
    if keys.is_empty() {
        keys.push(reference_key(cell));
    }
    keys
}

/// What a row of a table without a Depends on column says it depends on: the text after each
/// "depends on" ("depends only on", "blocked by", "blocked on") in its cells, up to the end of the clause
/// (`foundational; depends on 01` gives `01`, `blocked by 02; needs 2 reviewers` gives `02`),
/// or of the parentheses it is said in (`(depends on 1): see 02-cli.md` gives `1`).
pub(super) fn stated_dependencies(cells: &[Vec<Piece>]) -> String {
    let mut stated = Vec::new();
    for cell in cells {
        let text = dependency_text(cell).to_lowercase();
        for saying in SAYINGS {
            for (at, phrase) in text.match_indices(saying) {
                let rest = &text[at + phrase.len()..];
                let end = clause_end(rest, open_parentheses(&text[..at]));
                stated.push(rest[..end].trim().to_owned());
            }
        }
    }
    stated.join(", ")
}

/// How many parentheses are open at the end of `text`.
fn open_parentheses(text: &str) -> usize {
    text.chars().fold(0, |open, c| match c {
        '(' => open + 1,
        ')' => open.saturating_sub(1),
        _ => open,
    })
}

/// Where the clause that `rest` starts ends: at a `;` or `.`, or at the `)` that closes one of
/// the `open` parentheses it was said in.
fn clause_end(rest: &str, open: usize) -> usize {
    let mut depth = 0_usize;
    for (at, c) in rest.char_indices() {
        match c {
            ';' | '.' => return at,
            '(' => depth += 1,
            ')' if depth == 0 && open > 0 => return at,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    rest.len()
}
