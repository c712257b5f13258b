//! The plan's README: its name and its phase table, row by row.

use std::collections::{BTreeMap, BTreeSet};

use super::columns::{
    columns, file_target, is_numbered_phase_file, is_phase_file_target, link_anchor, linked_phase_files,
    missing_columns, names_phase_files, phase_facts, slug_target, Columns, FileColumn, PhaseFacts,
};
use super::depends::{dependency_text, SAYINGS};
use super::heading_name::name_anchor;
use super::markdown::{links_as_their_text, plain_text, BlockKind, Outline, Piece, Table};
use super::mermaid::{self, Flowchart};
use super::paths::{link_target, touches_paths};
use super::structure::README;
use super::PlanDirError;

/// The name a plan gets when its README has no H1.
pub const DEFAULT_NAME: &str = "multi-phase plan";

/// One row of the phase table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line of the row in the README; `None` for a numbered phase file beside it, which a table
    /// of the phases names without linking it (see [`parse`]).
    pub line: Option<usize>,
    pub ordinal: i64,
    /// The Phase cell as written (for lettered references such as `A`).
    pub label: String,
    /// The text that numbers the row, normalised ([`reference_key`]): what other rows name it
    /// by (`d1` for `D1: Storage Engine`; only that, when the table is renumbered).
    pub key: String,
    /// The phase file or folder, relative to the plan directory.
    pub target: String,
    /// The `#anchor` of the link to it, lower case and without the `#`; empty without one.
    pub anchor: String,
    /// The Depends on cell's text, link targets left out.
    pub depends: String,
    /// Paths from the Touches cell.
    pub touches: Vec<String>,
    /// The Model cell's text (empty without a Model column).
    pub model: String,
}

/// The README as the parser needs it.
#[derive(Debug, Clone)]
pub struct Readme {
    pub name: String,
    pub rows: Vec<Row>,
    /// Whether the rows are numbered in table order because sub-phases (`04`, `04b`) share a
    /// number: then a reference names a row by its numbering text, not by number.
    pub renumbered: bool,
    /// Whether the phase table has a Depends on column; without one, a row that says nothing
    /// of what it depends on leaves it to its phase file.
    pub depends_column: bool,
    /// The flowcharts the README draws in Mermaid fences, which may draw the phases' order.
    pub flowcharts: Vec<Flowchart>,
}

/// Why no table of the README is its phase table: the first table that lacks only one of the
/// required columns is named, with its columns, as the likely one.
fn no_phase_table(outline: &Outline, origin: &str) -> PlanDirError {
    let expected = "a phase table needs Phase (or #), File and Depends on columns";
    let nearest = outline.tables.iter().find_map(|t| {
        let missing = match columns(t) {
            Ok(cols) => missing_columns(true, true, cols.depends.is_some()),
            Err(missing) => missing.columns,
        };
        (missing.len() == 1).then(|| (t, missing[0]))
    });
    let Some((table, missing)) = nearest else {
        return PlanDirError::malformed(
            origin,
            None,
            format!(
                "unrecognized README format: no phase table; {expected} (or list the phase files, \
                 `1. [Core](01-core.md)`, or head each phase's section `## Phase 1: Core`)"
            ),
        );
    };
    let header: Vec<String> = table.header.iter().map(|cell| plain_text(cell).trim().to_owned()).collect();
    PlanDirError::malformed(
        origin,
        Some(outline.line_of(table.start)),
        format!(
            "unrecognized README format: the table here has no {missing} column (its columns: {}); {expected}",
            header.join(", ")
        ),
    )
}

/// What a row of a table without a Depends on column says it depends on: the text after each
/// "depends on" ("depends only on", "blocked by") in its cells, up to the end of the clause
/// (`foundational; depends on 01` gives `01`, `blocked by 02; needs 2 reviewers` gives `02`),
/// or of the parentheses it is said in (`(depends on 1): see 02-cli.md` gives `1`).
fn stated_dependencies(cells: &[Vec<Piece>]) -> String {
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

/// The first integer in `text`, when it has one that fits.
pub fn first_integer(text: &str) -> Option<i64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    (digits.len() <= 9).then(|| digits.parse().ok()).flatten()
}

/// Reads the README's name and its phases: the rows of its phase table, else the items of its
/// list of phase files, else its sections that name phases, else the numbered phase files and
/// folders among the plan directory's `entries` that its table of the phases without a File
/// column names (folders with their `/`; asked for only then), each with what its row says.
pub fn parse(
    text: &str,
    origin: &str,
    entries: impl FnOnce() -> Vec<String>,
) -> Result<Readme, PlanDirError> {
    let outline = Outline::parse(text);
    // The first H1, else the front matter's title (a README that gives its title there).
    let h1 = outline.headings.iter().find(|h| h.level == 1 && !h.title.is_empty()).map(|h| h.title.clone());
    let title = || {
        let titles = outline.front_matter.iter().filter(|(key, _)| matches!(key.as_str(), "title" | "name"));
        titles.map(|(_, value)| value.trim().to_owned()).find(|value| !value.is_empty())
    };
    let name = h1.or_else(title).unwrap_or_else(|| DEFAULT_NAME.to_owned());
    let links = linked_phase_files(&outline);
    // The first table with every required column; failing that, the first with a File and a
    // Depends on column; failing that, the first whose rows name phase files without a
    // Depends on column.
    let with_depends = |guessed: bool| {
        outline.tables.iter().find_map(|t| {
            Some((t, columns(t).ok().filter(|c| c.depends.is_some() && c.phase_guessed == guessed)?))
        })
    };
    let strict = with_depends(false).or_else(|| with_depends(true));
    let relaxed = || {
        outline.tables.iter().find_map(|t| {
            let cols = columns(t).ok()?;
            names_phase_files(t, &cols, &links).then_some((t, cols))
        })
    };
    // Without a phase table, a list of links to the phase files; without either, the README's
    // own sections that name phases.
    let (rows, depends_column) = match strict.or_else(relaxed) {
        Some((table, cols)) => (phase_table_rows(&outline, table, &cols, &links), cols.depends.is_some()),
        None => {
            let found = |rows: Vec<(Option<i64>, Row)>| Some(rows).filter(|rows| !rows.is_empty());
            let headings = || found(heading_rows(&outline)).map(|rows| with_table_of_phases(&outline, rows));
            let beside = || {
                found(described_entry_rows(&outline, entries())).map(|r| with_table_of_phases(&outline, r))
            };
            // A list that names the files in code spans comes last: it may be a phase's list
            // of files (`` `docs/01-intro.md` ``).
            let spans = || found(list_rows(&outline, Named::InCode));
            let rows =
                found(list_rows(&outline, Named::ByLink)).or_else(headings).or_else(beside).or_else(spans);
            (rows.ok_or_else(|| no_phase_table(&outline, origin))?, false)
        }
    };
    let (rows, renumbered) = number_rows(rows, origin)?;
    if rows.is_empty() {
        return Err(PlanDirError::malformed(
            origin,
            None,
            "unrecognized README format: the phase table has no phase rows",
        ));
    }
    let mermaid = outline.code_blocks.iter().filter(|code| code.language == "mermaid");
    let flowcharts = mermaid.filter_map(|code| mermaid::flowchart(&code.text)).collect();
    Ok(Readme { name, rows, renumbered, depends_column, flowcharts })
}

/// The rows of the phase table `table`, and of the later tables that go on with it.
fn phase_table_rows(
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

/// The rows of the README's phase sections (or of the phase files beside it), each with what
/// the README's table of the phases ([`phase_facts`]) says of it, when its Phase cell, or its
/// `#` cell, names the row's phase (`1A` for `## Phase 1A: Helper`): its dependencies, what it
/// touches, its model.
fn with_table_of_phases(outline: &Outline, mut rows: Vec<(Option<i64>, Row)>) -> Vec<(Option<i64>, Row)> {
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
fn described_entry_rows(outline: &Outline, entries: Vec<String>) -> Vec<(Option<i64>, Row)> {
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
/// 8`, `4-6`, `Phases 2–4`).
fn listed_phase_keys(cell: &str) -> Vec<String> {
    let lower = cell.trim().to_lowercase();
    let listed = lower.strip_prefix("phases").or_else(|| lower.strip_prefix("phase")).unwrap_or(&lower);
    let parts: Vec<&str> = listed
        .split([',', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
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

/// The README's headings that name a phase (`## Phase 1: Core`, `### Phase 2 — CLI`), at the
/// level of the first one, one row each: the phase is its section of the README, named by the
/// anchor of what the heading names ([`name_anchor`]: `Phase 2: CLI [COMPLETED]` is
/// `phase-2-cli`), and numbered by the heading's number. Numbered headings alone (`## 1.
/// Overview`) are a document's outline, not phases.
fn heading_rows(outline: &Outline) -> Vec<(Option<i64>, Row)> {
    let mut phases =
        outline.headings.iter().filter(|h| h.level >= 2 && phase_heading_key(&h.title).is_some()).peekable();
    let Some(level) = phases.peek().map(|h| h.level) else {
        return Vec::new();
    };
    let rows = phases.filter(|h| h.level == level).map(|heading| {
        // A heading that links the phase's file (`### [Phase 1: Schema](phase-01-schema.md)`)
        // names it; any other phase is the README's section under the heading.
        let file = heading.link.as_deref().map(link_target).filter(|target| is_phase_file_target(target));
        let title = links_as_their_text(&heading.title).into_owned();
        let (key, number) = (phase_heading_key(&title).unwrap_or_default(), first_integer(&title));
        let (target, anchor) = match file {
            Some(file) => (file, String::new()),
            None => (README.to_owned(), name_anchor(&title)),
        };
        let row = Row {
            line: Some(outline.line_of(heading.start)),
            ordinal: 0,
            label: title,
            key,
            target,
            anchor,
            depends: String::new(),
            touches: Vec::new(),
            model: String::new(),
        };
        (number, row)
    });
    rows.collect()
}

/// The key ([`reference_key`]) of the phase a heading names: `Phase` and a number (`## Phase
/// 1: Core`, `Phase 2a`), or a capital letter or Roman numeral standing alone (`## Phase A —
/// Helper`, `Phase II: CLI`, named `a` and `ii`); `None` for any other heading (`Phase
/// overview`).
fn phase_heading_key(title: &str) -> Option<String> {
    let title = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    let rest =
        title.get(..5).filter(|word| word.eq_ignore_ascii_case("phase")).map(|_| title[5..].trim_start())?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(reference_key(title));
    }
    let word = rest.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
    let lettered = word.len() == 1 && word.starts_with(|c: char| c.is_ascii_uppercase());
    let roman = word.len() > 1 && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    (lettered || roman).then(|| word.to_ascii_lowercase())
}

/// How the items of a list of phases name their files.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    /// By a link: `2. [Storage](02-storage.md)`.
    ByLink,
    /// In a code span: `` 2. `02-storage.md` — Storage ``.
    InCode,
}

/// The list items that name a numbered phase file, each by its first link, or each in a code
/// span (`2. [Storage](02-storage.md) — depends on 1`, `` - `phase-3/README.md` ``), one row
/// each, in order; a file named again is the row already read. A row depends on what its text
/// says after "depends on" ("blocked by").
fn list_rows(outline: &Outline, named: Named) -> Vec<(Option<i64>, Row)> {
    let mut read = BTreeSet::new();
    let mut rows = Vec::new();
    for item in outline.blocks.iter().filter(|b| b.kind == BlockKind::Item) {
        let target = item.pieces.iter().find_map(|p| match (p, named) {
            (Piece::Link(target), Named::ByLink) => Some(link_target(target)),
            (Piece::Code(text), Named::InCode) => {
                Some(text.trim().to_owned()).filter(|t| is_numbered_phase_file(t))
            }
            _ => None,
        });
        let Some(target) = target.filter(|target| is_numbered_phase_file(target)) else { continue };
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

/// The numbered phase files and folders beside the README (folders given with their `/`, see
/// [`entry_number`]), one row each, in the order of their numbers, then of their names.
fn entry_rows(entries: &[String]) -> Vec<(Option<i64>, Row)> {
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
    let row = Row {
        line,
        ordinal: 0,
        label: label.to_owned(),
        key,
        depends,
        anchor: String::new(),
        target,
        touches: Vec::new(),
        model: String::new(),
    };
    (ordinal, row)
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
        rows.push((ordinal, Row { line, ordinal: 0, label, key, target, anchor, depends, touches, model }));
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

/// Gives each row its ordinal: the number it holds; in table order when no row holds one
/// (lettered phases in lettered files), or when each row has a numbering text of its own but
/// rows share a number (sub-phases `04`, `04b`, `04.1`, steps `1-test`, `1-impl`) or only some
/// rows hold one (`PR-A`, `PR-N1`): then `renumbered`, and other rows name them by that text.
/// Otherwise rows that share a number are an error, as is a row without a number among rows
/// with one.
fn number_rows(mut rows: Vec<(Option<i64>, Row)>, origin: &str) -> Result<(Vec<Row>, bool), PlanDirError> {
    name_steps_by_their_cells(&mut rows);
    let unnumbered = rows.iter().all(|(ordinal, _)| ordinal.is_none());
    let numbers: Vec<i64> = rows.iter().filter_map(|(ordinal, _)| *ordinal).collect();
    let shared_number = numbers.iter().collect::<BTreeSet<_>>().len() < numbers.len();
    let partly_numbered = numbers.len() < rows.len();
    let keys: BTreeSet<&str> = rows.iter().map(|(_, row)| row.key.as_str()).collect();
    let own_keys = keys.len() == rows.len() && !keys.contains("");
    let renumbered = !unnumbered && (shared_number || partly_numbered) && own_keys;
    let mut seen: BTreeMap<i64, (Option<usize>, String)> = BTreeMap::new();
    let mut numbered = Vec::with_capacity(rows.len());
    for (position, (ordinal, mut row)) in (1..).zip(rows) {
        let ordinal = if unnumbered || renumbered { Some(position) } else { ordinal };
        let Some(ordinal) = ordinal else {
            return Err(PlanDirError::malformed(
                origin,
                row.line,
                match row.target.is_empty() {
                    true => format!(
                        "cannot tell the phase number of the row `{}`: its Phase cell holds none, and it names no phase file",
                        row.label
                    ),
                    false => format!(
                        "cannot tell the phase number of the row for `{}`: neither the Phase cell nor the file name holds one",
                        row.target
                    ),
                },
            ));
        };
        if let Some((first_line, first_target)) = seen.insert(ordinal, (row.line, row.target.clone())) {
            let both = match (first_line, row.line) {
                (Some(first), Some(line)) => format!("rows at lines {first} and {line}"),
                _ => format!("`{first_target}` and `{}`", row.target),
            };
            return Err(PlanDirError::malformed(
                origin,
                row.line,
                format!("duplicate phase ordinal {ordinal} ({both})"),
            ));
        }
        row.ordinal = ordinal;
        numbered.push(row);
    }
    Ok((numbered, renumbered))
}

/// Rows whose numbering texts give one key but whose Phase cells are each one word of their own
/// (the steps `1-test`, `1-review`, `1-impl` of phase 1) are named by those cells instead.
fn name_steps_by_their_cells(rows: &mut [(Option<i64>, Row)]) {
    let mut keys: Vec<&str> = rows.iter().map(|(_, row)| row.key.as_str()).collect();
    keys.sort_unstable();
    let shared: Vec<String> = keys.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0].to_owned()).collect();
    if shared.is_empty() {
        return;
    }
    // One word, its number followed by a hyphen or underscore and a word (`1-test`, `2_impl`).
    let is_step = |label: &str| {
        let after_number = label
            .find(|c: char| c.is_ascii_digit())
            .map(|at| label[at..].trim_start_matches(|c: char| c.is_ascii_digit()));
        let word = after_number.and_then(|rest| rest.strip_prefix(['-', '_']));
        !label.contains(char::is_whitespace)
            && word.is_some_and(|word| word.starts_with(|c: char| c.is_alphabetic()))
    };
    for (_, row) in rows.iter_mut() {
        if shared.contains(&row.key) && is_step(&row.label) {
            row.key = row.label.to_lowercase();
        }
    }
}

/// The normal form of the word that numbers a phase in a text, as references to it are
/// compared: the word holding the text's first digit (`05a` of `05a Zip channels`), lower
/// case, without a `phase`, `p` or `#` prefix or the leading zeros of its number (`Phase 04B`,
/// `4b` and `04b-ingestion.md` all give `4b`). A text without a digit is only lower-cased and
/// loses its spaces.
pub fn reference_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let Some(digit) = lower.find(|c: char| c.is_ascii_digit()) else {
        return lower.chars().filter(|c| !c.is_whitespace()).collect();
    };
    let start = lower[..digit]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphabetic() || c == '#'))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let end = lower[digit..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .map_or(lower.len(), |n| digit + n);
    let word = lower[start..end].trim_end_matches('.');
    let mut number = ["phase", "p", "#"]
        .iter()
        .find_map(|p| word.strip_prefix(p).filter(|r| r.starts_with(|c: char| c.is_ascii_digit())))
        .unwrap_or(word);
    while number.starts_with('0') && number[1..].starts_with(|c: char| c.is_ascii_digit()) {
        number = &number[1..];
    }
    number.to_owned()
}

/// Whether a word is one phase number: digits, then maybe a letter and a dotted part (`04`,
/// `1A`, `2.1`).
pub fn is_phase_number(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(|c: char| c.is_ascii_alphabetic()).unwrap_or(rest);
    let rest =
        rest.strip_prefix('.').map_or(rest, |dotted| dotted.trim_start_matches(|c: char| c.is_ascii_digit()));
    word.starts_with(|c: char| c.is_ascii_digit()) && rest.is_empty()
}

/// Whether a word is a phase number ([`is_phase_number`]) or a range of them (`3-4`, `04–05b`).
pub fn is_phase_reference(word: &str) -> bool {
    match word.split_once(['-', '–']) {
        Some((low, high)) => is_phase_number(low) && is_phase_number(high),
        None => is_phase_number(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README alone, with nothing beside it.
    fn parse(text: &str, origin: &str) -> Result<Readme, PlanDirError> {
        super::parse(text, origin, Vec::new)
    }

    #[test]
    fn the_first_integer_fits_or_is_none() {
        assert_eq!(first_integer("Phase 2a"), Some(2));
        assert_eq!(first_integer("1.5"), Some(1));
        assert_eq!(first_integer("x"), None);
        assert_eq!(first_integer("99999999999999999999"), None);
    }

    #[test]
    fn a_phase_cell_of_nothing_but_references_lists_each_phase() {
        for (cell, keys) in [
            ("2, 3", &["2", "3"][..]),
            ("Phases 2–4", &["2", "3", "4"]),
            ("7 and 08", &["7", "8"]),
            ("3a, 3b", &["3a", "3b"]),
            ("29.1", &["29.1"]),
            ("1A", &["1a"]),
            ("Phase 04B", &["4b"]),
            // A cell with prose in it is one phase's.
            ("1A: Helper, the base", &["1a"]),
            ("3, then docs", &["3"]),
            ("P1, P2", &["1"]),
        ] {
            assert_eq!(listed_phase_keys(cell), keys, "{cell}");
        }
    }

    #[test]
    fn a_reference_key_is_the_word_that_holds_the_number() {
        for (text, key) in [
            ("Phase 04B", "4b"),
            ("phase04b", "4b"),
            ("04b-ingestion.md", "4b"),
            ("05a Zip channels", "5a"),
            ("00 Build infrastructure", "0"),
            ("1. Public portal", "1"),
            ("P1", "1"),
            ("#2", "2"),
            ("8.0", "8.0"),
            ("Phase 3: teardown", "3"),
            ("D1", "d1"),
            ("Track A", "tracka"),
        ] {
            assert_eq!(reference_key(text), key, "{text}");
        }
    }

    fn ordinals_and_targets(readme: &str) -> Vec<(i64, String)> {
        let parsed = parse(readme, "README.md").unwrap();
        parsed.rows.into_iter().map(|r| (r.ordinal, r.target)).collect()
    }

    /// Each row's ordinal, target and what it says it depends on.
    fn ordinals_targets_and_depends(parsed: &Readme) -> Vec<(i64, &str, &str)> {
        parsed.rows.iter().map(|r| (r.ordinal, r.target.as_str(), r.depends.as_str())).collect()
    }

    #[test]
    fn a_file_cell_names_its_phase_file_beside_links_to_the_web_and_remarks() {
        let readme = "| Phase | File | Depends on |\n|---|---|---|\n\
                      | 1 | [PR #12](https://github.com/o/r/pull/12), [plan](01-a.md#scope) | — |\n\
                      | 2 | 02-b.md (done) | 1 |\n| 3 | ✅ 03-c.md | 2 |\n| 4 | ~~04-d.md~~ | 3 |\n\
                      | 5 | 05 set up.md | 4 |\n| 6 | 06-docs/ (WIP) | 5 |\n\
                      | 7 | [07-e.md](https://github.com/o/r/blob/main/plan/07-e.md) | 6 |\n";
        let parsed = parse(readme, "README.md").unwrap();
        let targets: Vec<(&str, &str)> =
            parsed.rows.iter().map(|r| (r.target.as_str(), r.anchor.as_str())).collect();
        assert_eq!(
            targets,
            [
                ("01-a.md", "scope"),
                ("02-b.md", ""),
                ("03-c.md", ""),
                ("04-d.md", ""),
                ("05 set up.md", ""),
                ("06-docs/", ""),
                ("https://github.com/o/r/blob/main/plan/07-e.md", ""),
            ]
        );
    }

    #[test]
    fn a_file_cell_that_names_no_phase_file_is_a_phase_without_a_file() {
        let readme =
            "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n| 2 | — | 1 |\n\
                      | 3 | _TBD_ | 1 |\n| 4 | — (setup, no file) | 3 |\n\
                      | 5 | (optional) Add a summary (`support/collect.go`, `diag.go`) | 1 |\n| 6 | | 5 |\n\
                      | 7 | 07-g.md | 6 |\n| 8 | phase-8.1 | 7 |\n";
        let parsed = parse(readme, "README.md").unwrap();
        let rows: Vec<(i64, &str, &str, &[String])> = parsed
            .rows
            .iter()
            .map(|r| (r.ordinal, r.target.as_str(), r.depends.as_str(), r.touches.as_slice()))
            .collect();
        let paths = ["support/collect.go".to_owned(), "diag.go".to_owned()];
        assert_eq!(
            rows,
            [
                (1, "01-a.md", "—", &[][..]),
                (2, "", "1", &[]),
                (3, "", "1", &[]),
                (4, "", "3", &[]),
                (5, "", "1", &paths[..]),
                // A File cell of nothing is no row, as in 0.6.
                (7, "07-g.md", "6", &[]),
                (8, "phase-8.1", "7", &[])
            ]
        );
    }

    #[test]
    fn tables_with_the_phase_tables_columns_go_on_with_it() {
        let readme = "# Tracks\n\n## Track A\n\n| Phase | File | Depends on |\n|---|---|---|\n\
                      | 1 | [a](01-a.md) | — |\n| 2 | [b](02-b.md) | 1 |\n\n## Track B\n\n\
                      | Phase | File | Depends on |\n|---|---|---|\n| 3 | [c](03-c.md) | — |\n\n\
                      ## Status\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | done |\n\n\
                      | Phase | File | Depends on | Notes |\n|---|---|---|---|\n| 4 | [d](04-d.md) | — | x |\n";
        assert_eq!(
            ordinals_and_targets(readme),
            [(1, "01-a.md".into()), (2, "02-b.md".into()), (3, "03-c.md".into())]
        );
        let again = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](a/01-a.md) | — |\n\n\
                     | Phase | File | Depends on |\n|---|---|---|\n| 1 | [b](b/01-b.md) | — |\n";
        assert_eq!(ordinals_and_targets(again), [(1, "a/01-a.md".into())]);
    }

    #[test]
    fn a_number_column_stands_in_for_the_phase_column() {
        let readme = "# P\n\n| # | File | Slug | Depends on |\n|---|---|---|---|\n\
                      | 01 | [01-a.md](./01-a.md) | a | — |\n| 02 | [02-b.md](./02-b.md) | b | 01 |\n";
        assert_eq!(ordinals_and_targets(readme), [(1, "01-a.md".into()), (2, "02-b.md".into())]);
    }

    #[test]
    fn without_a_file_column_the_slug_column_links_the_phase_files() {
        let readme = "| # | Slug | Model | Depends on |\n|---|---|---|---|\n\
                      | 01 | [harness](01-harness.md) | GPT 5.5 medium | — |\n| 02 | [parity](02-parity.md) | GPT 5.5 low | 01 |\n";
        assert_eq!(ordinals_and_targets(readme), [(1, "01-harness.md".into()), (2, "02-parity.md".into())]);
    }

    #[test]
    fn without_a_file_column_the_column_that_links_markdown_files_names_them() {
        let readme = "| Phase | Plan | Depends On | Status |\n|---|---|---|---|\n\
                      | 1 | [Canvas](phase-3-canvas.md) | — | done |\n\
                      | 2 | [Visuals](phase-7-visuals.md) | [Phase 1](phase-3-canvas.md) | not started |\n\
                      | 3 | [Chat input](./phase-3-chat/) | Phases 1-2 | not started |\n";
        assert_eq!(
            ordinals_and_targets(readme),
            [(1, "phase-3-canvas.md".into()), (2, "phase-7-visuals.md".into()), (3, "phase-3-chat/".into())]
        );
        let code = "| Phase | Doc | Depends on |\n|---|---|---|\n| 1 | `01-a.md` | — |\n";
        assert_eq!(ordinals_and_targets(code), [(1, "01-a.md".into())]);
        let plain = "| Wave | Phase | Spec | Depends on |\n|---|---|---|---|\n| 1 | 0. Cleanup | phase-00-cleanup.md | Nothing. |\n\
                     | 2 | 1. Links | phase-01-links.md | Phase 0: the layout |\n";
        assert_eq!(
            ordinals_and_targets(plain),
            [(0, "phase-00-cleanup.md".into()), (1, "phase-01-links.md".into())]
        );
        let prose = "| Phase | Notes | Depends on |\n|---|---|---|\n| 1 | see the README.md | — |\n";
        assert!(parse(prose, "README.md").is_err());
        let outside =
            "| Phase | Plan | Depends on |\n|---|---|---|\n| 1 | [spec](https://example.com/spec.md) | — |\n";
        let error = parse(outside, "README.md").unwrap_err().to_string();
        assert!(error.contains("the table here has no File column"), "{error}");
    }

    #[test]
    fn a_dependencies_column_is_the_depends_on_column() {
        for header in [
            "Dependencies",
            "Deps",
            "Prerequisites",
            "Blocked by",
            "Depends upon",
            "Depends on (phases)",
            "Dependency",
            "Requires",
            "Needs",
            "Runs after",
            "Waits on",
            "Predecessors",
        ] {
            let readme = format!(
                "| Phase | File | {header} |\n|---|---|---|\n| 01 | [a](phases/phase-01-a.md) | none |\n\
                 | 02 | [b](phases/phase-02-b.md) | Phase 01 |\n"
            );
            let parsed = parse(&readme, "README.md").unwrap();
            assert_eq!(parsed.rows[1].depends, "Phase 01", "{header}");
        }
    }

    #[test]
    fn without_a_phase_table_a_list_of_links_to_numbered_phase_files_is_read() {
        let readme = "# Widgets\n\nSee [the design](docs/design.md).\n\n## Phases\n\n\
                      1. [Phase 1: Core](01-core.md)\n2. [Phase 2: Storage](02-storage.md) — depends on 1\n\
                      3. [CLI](03-cli.md), blocked by 1 and 2\n4. Docs: [04-docs.md](./04-docs.md)\n\n\
                      Back to [01-core.md](01-core.md).\n\n- [Core again](01-core.md)\n";
        let parsed = parse(readme, "README.md").unwrap();
        assert_eq!(
            ordinals_targets_and_depends(&parsed),
            [
                (1, "01-core.md", ""),
                (2, "02-storage.md", "1"),
                (3, "03-cli.md", "1 and 2"),
                (4, "04-docs.md", "")
            ]
        );
        assert!(!parsed.depends_column);
        // Links to other files, or to the README's own sections, are no phases.
        for other in [
            "# Docs\n\n- [Guide](guide.md)\n- [FAQ](https://example.com/01-faq.md)\n",
            "# Docs\n\n- [Setup](#setup-1)\n\n## Setup 1\n\nText.\n",
        ] {
            let error = parse(other, "README.md").unwrap_err().to_string();
            assert!(error.contains("no phase table"), "{error}");
        }
        // A phase table wins over a list.
        let both =
            "- [Old](01-old.md)\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
        assert_eq!(ordinals_and_targets(both), [(1, "01-a.md".into())]);
    }

    #[test]
    fn a_dependency_said_in_parentheses_ends_with_them() {
        let readme = "# Plan\n\n1. **Phase 1 — Core**: [01-core.md](01-core.md)\n\
                      2. **Phase 2 — CLI** (depends on Phase 1): see [02-cli.md](02-cli.md)\n\
                      3. [03-docs.md](03-docs.md) (blocked by 1 (the schema) and 2) for 3.1\n";
        let parsed = parse(readme, "README.md").unwrap();
        assert_eq!(
            ordinals_targets_and_depends(&parsed),
            [(1, "01-core.md", ""), (2, "02-cli.md", "phase 1"), (3, "03-docs.md", "1 (the schema) and 2")]
        );
        assert_eq!(parsed.rows[1].label, "Phase 2 — CLI");
    }

    #[test]
    fn a_list_that_names_numbered_phase_files_in_code_spans_is_read_after_the_headings() {
        let readme = "# Plan\n\n## Phases\n\n1. `01-core.md` — Core\n2. `02-cli.md` — CLI (depends on 1)\n\
                      3. **Phase 3 — Docs**\n   - `plan/phase-3/README.md`\n   - `plan/phase-3/flow.md`\n";
        let parsed = parse(readme, "README.md").unwrap();
        assert_eq!(
            ordinals_targets_and_depends(&parsed),
            [(1, "01-core.md", ""), (2, "02-cli.md", "1"), (3, "plan/phase-3/README.md", "")]
        );
        // Sections that name phases win over such a list: it may be a phase's list of files.
        let headings = "# Plan\n\n## Phase 1: Docs\n\n- `docs/01-intro.md`\n\n## Phase 2: More\n";
        assert_eq!(ordinals_and_targets(headings), [(1, "README.md".into()), (2, "README.md".into())]);
    }

    #[test]
    fn without_a_table_or_a_list_the_headings_that_name_phases_are_the_phases() {
        let readme = "# Plan\n\n## Overview\n\nThree phases.\n\n## Phase 1: Core\n\n### Steps\n\n\
                      ## Phase 2 — `cli`\n\nDepends on: 1\n\n## Phase 3a. Docs\n\n## Risks\n\n\
                      ### Phase 9 of another plan\n";
        let parsed = parse(readme, "README.md").unwrap();
        let rows: Vec<(i64, &str, &str, &str)> = parsed
            .rows
            .iter()
            .map(|r| (r.ordinal, r.target.as_str(), r.anchor.as_str(), r.key.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (1, "README.md", "phase-1-core", "1"),
                (2, "README.md", "phase-2-cli", "2"),
                (3, "README.md", "phase-3a-docs", "3a")
            ]
        );
        assert!(!parsed.depends_column);
        // Numbered headings alone are a document's outline, not phases.
        let outline = "# Guide\n\n## 1. Overview\n\n## 2. Setup\n";
        assert!(parse(outline, "README.md").is_err());
    }

    #[test]
    fn a_file_column_of_code_files_beside_a_column_of_phase_files_is_what_the_phases_touch() {
        let readme = "| Phase | Spec | File | Depends on |\n|---|---|---|---|\n\
                      | 1 | [a](01-a.md) | `src/a.rs` | — |\n| 2 | [b](02-b.md) | `src/b.rs`, `src/c.rs` | 1 |\n";
        let parsed = parse(readme, "README.md").unwrap();
        let rows: Vec<(&str, &[String])> =
            parsed.rows.iter().map(|r| (r.target.as_str(), r.touches.as_slice())).collect();
        assert_eq!(
            rows,
            [
                ("01-a.md", &["src/a.rs".to_owned()][..]),
                ("02-b.md", &["src/b.rs".to_owned(), "src/c.rs".to_owned()][..])
            ]
        );
    }

    #[test]
    fn a_phase_heading_that_links_a_phase_file_names_that_file() {
        let readme =
            "# Loyalty\n\n## Phases\n\n### [Phase 1: Schema](./phase-01-schema.md)\n**Status:** done\n\n\
                      ### [Phase 2: UI](phase-02-ui/) ✅\n\n### [Phase 3: Docs](https://example.com/docs)\n\n\
                      ### Phase 4 — [the release](#release-notes)\n";
        let parsed = parse(readme, "README.md").unwrap();
        let rows: Vec<(i64, &str, &str)> =
            parsed.rows.iter().map(|r| (r.ordinal, r.target.as_str(), r.anchor.as_str())).collect();
        // A link to the web or to an anchor leaves the phase in the README's section, whose
        // anchor is the heading's text as GitHub renders it.
        assert_eq!(
            rows,
            [
                (1, "phase-01-schema.md", ""),
                (2, "phase-02-ui/", ""),
                (3, "README.md", "phase-3-docs"),
                (4, "README.md", "phase-4-the-release"),
            ]
        );
    }

    #[test]
    fn the_name_is_the_first_h1_else_the_front_matters_title() {
        let table = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
        let name = |readme: String| parse(&readme, "README.md").unwrap().name;
        assert_eq!(name(format!("# Widgets\n\n{table}")), "Widgets");
        assert_eq!(
            name(format!("---\ntitle: \"Widget overhaul\"\nstatus: draft\n---\n\n{table}")),
            "Widget overhaul"
        );
        assert_eq!(name(format!("---\ntitle: Front\n---\n\n# Heading\n\n{table}")), "Heading");
        assert_eq!(name(format!("---\nstatus: draft\n---\n\n{table}")), DEFAULT_NAME);
        assert_eq!(name(table.to_owned()), DEFAULT_NAME);
    }

    #[test]
    fn a_phase_column_under_another_name_numbers_the_rows() {
        for header in ["Phase Name", "Phase / Title", "Phases", "Phase ID", "ID", "No.", "Milestone", "Task"]
        {
            let readme = format!(
                "| {header} | File | Depends on |\n|---|---|---|\n| P1 core | [a](01-core.md) | — |\n\
                 | P2 cli | [b](02-cli.md) | P1 |\n"
            );
            assert_eq!(
                ordinals_and_targets(&readme),
                [(1, "01-core.md".into()), (2, "02-cli.md".into())],
                "{header}"
            );
        }
        // Without one, the first other column of a table with File and Depends on columns is.
        let named = "| Name | File | Depends on |\n|---|---|---|\n| Core | [a](01-core.md) | — |\n\
                     | CLI | [b](02-cli.md) | Core |\n";
        let parsed = parse(named, "README.md").unwrap();
        let rows: Vec<(i64, &str, &str)> =
            parsed.rows.iter().map(|r| (r.ordinal, r.label.as_str(), r.depends.as_str())).collect();
        assert_eq!(rows, [(1, "Core", "—"), (2, "CLI", "Core")]);
        // A table with a Phase column wins over an earlier one without.
        let both =
            "| Crate | File | Depends on |\n|---|---|---|\n| core | `crates/core/Cargo.toml` | — |\n\n\
                    | Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
        assert_eq!(ordinals_and_targets(both), [(1, "01-a.md".into())]);
        // A Task column wins over the Milestone column that groups the tasks.
        let tasks = "| Milestone | Task | File | Depends on |\n|---|---|---|---|\n\
                     | M1 | T1 | [a](t1-a.md) | — |\n| M1 | T2 | [b](t2-b.md) | T1 |\n";
        assert_eq!(ordinals_and_targets(tasks), [(1, "t1-a.md".into()), (2, "t2-b.md".into())]);
        // A Phase column whose cells repeat groups the rows; a column that tells them apart
        // numbers them.
        let grouped = "| Phase | Step | File | Depends on |\n|---|---|---|---|\n\
                       | 1 | 1.1 | [a](a.md) | — |\n| 1 | 1.2 | [b](b.md) | 1.1 |\n| 2 | 2.1 | [c](c.md) | 1.2 |\n";
        let parsed = parse(grouped, "README.md").unwrap();
        let keys: Vec<(i64, &str)> = parsed.rows.iter().map(|r| (r.ordinal, r.key.as_str())).collect();
        assert_eq!(keys, [(1, "1.1"), (2, "1.2"), (3, "2.1")]);
        // A Phase file column is the File column, not the Phase column.
        let file = "| Order | Phase file | Depends on |\n|---|---|---|\n| 2 | [a](01-a.md) | — |\n";
        assert_eq!(ordinals_and_targets(file), [(2, "01-a.md".into())]);
    }

    #[test]
    fn an_after_column_beside_a_before_column_says_what_a_phase_leaves() {
        let readme = "| Phase | File | Before | After |\n|---|---|---|---|\n\
                      | 1 | [a](01-a.md) | 3 crates | 2 crates, depends on nothing |\n";
        let parsed = parse(readme, "README.md").unwrap();
        assert!(!parsed.depends_column);
    }

    #[test]
    fn a_dependents_column_says_what_waits_for_a_phase_not_what_it_waits_for() {
        let readme = "| Phase | File | Dependents | Depends on |\n|---|---|---|---|\n\
                      | 01 | [a](01-a.md) | 02 | — |\n| 02 | [b](02-b.md) | — | 01 |\n";
        let parsed = parse(readme, "README.md").unwrap();
        let depends: Vec<&str> = parsed.rows.iter().map(|r| r.depends.as_str()).collect();
        assert_eq!(depends, ["—", "01"]);
    }

    #[test]
    fn a_files_column_under_another_name_is_the_touches_column() {
        for header in
            ["Touches", "Files", "Key files", "Files to change", "Touched files", "Paths", "Touches (files)"]
        {
            let readme = format!(
                "| Phase | File | Depends on | {header} |\n|---|---|---|---|\n\
                 | 01 | [a](01-a.md) | — | `src/a.rs`, `src/b.rs` |\n"
            );
            let parsed = parse(&readme, "README.md").unwrap();
            assert_eq!(parsed.rows[0].touches, ["src/a.rs", "src/b.rs"], "{header}");
        }
        let linked = "| Phase | Files | Depends on |\n|---|---|---|\n| 01 | [a](01-a.md) | — |\n";
        let parsed = parse(linked, "README.md").unwrap();
        assert_eq!((parsed.rows[0].target.as_str(), parsed.rows[0].touches.len()), ("01-a.md", 0));
    }

    #[test]
    fn without_a_depends_on_column_the_rows_say_what_they_depend_on() {
        let readme = "# Fleet\n\n| # | Slug | Layout | Model | Blocking? |\n|---|---|---|---|---|\n\
                      | 01 | persist-ci-options | flat | 5.4 / medium | foundational; blocks 02, 04 sub-01 |\n\
                      | 02 | unify-drift | flat | 5.5 / high | depends on 01 |\n\
                      | 03 | ux-polish | dir | mixed | sub-01 depends on 01; sub-02 is free. |\n\
                      | 04 | release | flat | low | blocked by 02; needs 2 reviewers. |\n\n\
                      [Phase 01](./01-persist-ci-options.md)\n[Phase 02](./02-unify-drift.md)\n\
                      [Phase 03](./03-ux-polish/README.md)\n[Phase 04](./04-release.md)\n";
        let parsed = parse(readme, "README.md").unwrap();
        assert_eq!(
            ordinals_targets_and_depends(&parsed),
            [
                (1, "01-persist-ci-options.md", ""),
                (2, "02-unify-drift.md", "01"),
                (3, "03-ux-polish/README.md", "01"),
                (4, "04-release.md", "02")
            ]
        );
    }

    #[test]
    fn a_table_with_every_column_wins_over_one_without_depends_on() {
        let readme = "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n\n\
                      | # | Notes |\n|---|---|\n| 1 | [a](01-a.md) |\n\n\
                      | Phase | File | Depends on |\n|---|---|---|\n| 1 | [b](01-b.md) | — |\n";
        assert_eq!(ordinals_and_targets(readme), [(1, "01-b.md".into())]);
        for without in [
            "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n",
            "| # | File | Purpose |\n|---|---|---|\n| 1 | [guide](docs/guide.md) | manual |\n| 2 | [faq](faq.md) | FAQ |\n",
        ] {
            let error = parse(without, "README.md").unwrap_err().to_string();
            assert!(error.contains("the table here has no Depends on column"), "{error}");
        }
        let numbered = "| # | File | Purpose |\n|---|---|---|\n| 1 | [core](01-core.md) | types |\n";
        assert_eq!(ordinals_and_targets(numbered), [(1, "01-core.md".into())]);
    }

    #[test]
    fn rows_without_any_number_are_numbered_in_order() {
        let readme = "| Phase | File | Depends on |\n|---|---|---|\n| A | [a](a-core.md) | — |\n\
                      | B | [b](b-cli.md) | A |\n";
        assert_eq!(ordinals_and_targets(readme), [(1, "a-core.md".into()), (2, "b-cli.md".into())]);
        // Rows of which only some hold a number are numbered in order too, each named by its
        // own text; a row with no text to name it by is refused.
        let mixed = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](a-core.md) | — |\n\
                     | B | [b](b-cli.md) | 1 |\n";
        assert_eq!(ordinals_and_targets(mixed), [(1, "a-core.md".into()), (2, "b-cli.md".into())]);
        let unnamed = mixed.replace("| B |", "| |");
        let error = parse(&unnamed, "README.md").unwrap_err().to_string();
        assert!(
            error.starts_with("README.md:4: cannot tell the phase number of the row for `b-cli.md`"),
            "{error}"
        );
    }

    #[test]
    fn a_step_or_stage_column_is_the_phase_column() {
        for header in ["Step", "Stage"] {
            let readme = format!("| {header} | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n| 2 | [b](02-b.md) | 1 |\n");
            assert_eq!(
                ordinals_and_targets(&readme),
                [(1, "01-a.md".into()), (2, "02-b.md".into())],
                "{header}"
            );
        }
    }

    #[test]
    fn a_prose_phase_cell_takes_the_number_anywhere_in_the_file_name() {
        let readme =
            "| Phase | File | Depends on |\n|---|---|---|\n| Canvas | [c](phase-3-canvas.md) | — |\n\
                      | Visuals | [v](phase-7-visuals.md) | 3 |\n";
        assert_eq!(
            ordinals_and_targets(readme),
            [(3, "phase-3-canvas.md".into()), (7, "phase-7-visuals.md".into())]
        );
    }

    #[test]
    fn the_number_column_numbers_rows_whose_phase_cell_holds_no_number() {
        let readme = "| # | Phase | File | Depends on |\n|---|---|---|---|\n\
                      | 1 | Shared infra | `2026-07-13-uplift-01-infra.md` | — |\n\
                      | 2 | Messages | `2026-07-13-uplift-02-msg.md` | Phase 1 |\n";
        let rows = ordinals_and_targets(readme);
        assert_eq!(rows.iter().map(|(o, _)| *o).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn a_table_short_of_one_column_is_named_in_the_error() {
        let readme = "# P\n\n| Task | Area |\n|---|---|\n| x | y |\n\n| Phase | Slug name | Depends on |\n|---|---|---|\n| 1 | a | — |\n";
        let error = parse(readme, "README.md").unwrap_err().to_string();
        assert_eq!(
            error,
            "README.md:7: unrecognized README format: the table here has no File column (its columns: \
             Phase, Slug name, Depends on); a phase table needs Phase (or #), File and Depends on columns"
        );
        let error = parse("# P\n\nprose\n", "README.md").unwrap_err().to_string();
        assert!(
            error.ends_with(
                "no phase table; a phase table needs Phase (or #), File and Depends on columns \
                 (or list the phase files, `1. [Core](01-core.md)`, or head each phase's section \
                 `## Phase 1: Core`)"
            ),
            "{error}"
        );
    }
}
