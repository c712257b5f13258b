//! Which columns of a README table say what: the phase, its file, what it depends on and
//! what it touches, under the names real plans give them.

use std::collections::{BTreeMap, BTreeSet};

use super::markdown::{plain_text, Outline, Piece, Table};
use super::paths::{link_target, strip_dot_slash};

/// A header's normal form: its letters and ASCII digits, lower case (`Depends on` is
/// `dependson`, `依赖` stays `依赖`, `Phase¹` is `phase`).
fn normalise(header: &str) -> String {
    let kept = |c: &char| c.is_ascii_alphanumeric() || !c.is_ascii() && c.is_alphabetic();
    header.chars().filter(kept).flat_map(char::to_lowercase).collect()
}

/// Where the phase table's columns are.
pub struct Columns {
    /// The Phase column, or the `#` column of a table without one; failing both, in a table
    /// with File and Depends on columns, its first other column (`Name`).
    pub phase: usize,
    /// Whether the Phase column is only the first other column: a table whose header names
    /// its Phase column wins over one whose is guessed.
    pub phase_guessed: bool,
    /// A `#` column beside the Phase column: the ordinal when the Phase cell holds no number.
    pub number: Option<usize>,
    pub file: FileColumn,
    /// Without a Depends on column, a row's dependencies are what its cells say after
    /// "depends on".
    pub depends: Option<usize>,
    pub touches: Option<usize>,
    /// The Model (or tier, effort, worker, agent) column: a phase's tier when its file has no
    /// callout.
    pub model: Option<usize>,
}

/// The column that names each row's phase file.
#[derive(Clone, Copy)]
pub enum FileColumn {
    /// File cells (or a column of links): the link target, else the code span, else the text.
    Targets(usize),
    /// Slug cells without links: the phase file is the README's link whose name is the slug.
    Slugs(usize),
}

impl FileColumn {
    /// Where the column is.
    pub fn index(self) -> usize {
        match self {
            Self::Targets(i) | Self::Slugs(i) => i,
        }
    }
}

/// The columns every phase table has, as messages name them.
const REQUIRED: [&str; 3] = ["Phase", "File", "Depends on"];

/// Where a table of the phases that names no phase files keeps what it says of them: a README
/// whose own sections are the phases (`## Phase 1A: Helper`) may list them in a table with
/// their dependencies, what they touch and their model.
pub struct PhaseFacts {
    pub phase: usize,
    /// A `#` column beside a Phase column that names the phases (`| # | Phase |` over `| 1 |
    /// Foundation |`): it numbers them.
    pub number: Option<usize>,
    pub depends: usize,
    pub touches: Option<usize>,
    pub model: Option<usize>,
}

/// The columns of a table of the phases without a File column (or a column that links the
/// phase files): a Phase column by name and a Depends on column; `None` for a phase table and
/// for any other table.
pub fn phase_facts(table: &Table) -> Option<PhaseFacts> {
    match columns(table) {
        Ok(_) => None,
        Err(Missing { facts, .. }) => facts,
    }
}

/// What a table lacks to be a phase table: the required columns, as messages name them, and
/// what it says of the phases all the same ([`phase_facts`]).
pub struct Missing {
    pub columns: Vec<&'static str>,
    facts: Option<PhaseFacts>,
}

/// The columns of this table as a phase table (the Depends on column may be missing), or what
/// it lacks.
pub fn columns(table: &Table) -> Result<Columns, Missing> {
    let written: Vec<String> = table.header.iter().map(|cell| plain_text(cell).trim().to_owned()).collect();
    let names: Vec<String> = written.iter().map(|h| normalise(h)).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let number = written.iter().position(|h| h == "#");
    let named = |wanted: &&str| names.iter().position(|n| n == wanted);
    let named_phase = PHASE_NAMES.iter().find_map(named).or(number);
    // A Phase column whose cells repeat groups the rows (`1`, `1`, `2` over steps `1.1`, `1.2`,
    // `2.1`): the next named column that tells every row apart numbers them.
    let named_phase = match named_phase {
        Some(group) if groups_rows(table, group) => {
            let mut others = PHASE_NAMES.iter().filter_map(named).chain(number).filter(|&i| i != group);
            others.find(|&i| tells_rows_apart(table, i)).or(named_phase)
        }
        found => found,
    };
    let depends = names.iter().position(|n| is_depends_header(n));
    // A File column of code files (`src/a.rs`; most rows not a Markdown file or a folder, and
    // none a numbered one) beside a column that links the phase files (`| Spec | File |`) says
    // what the phases touch.
    let file_named = find(&[
        "file",
        "phasefile",
        "archivo",
        "arquivo",
        "fichier",
        "datei",
        "bestand",
        "файл",
        "plik",
        "文件",
        "阶段文件",
        "ファイル",
        "파일",
    ]);
    let names_no_phase_file = |column: usize| {
        let target =
            |cells: &[Vec<Piece>]| cells.get(column).map(|cell| file_target(cell)).unwrap_or_default();
        !table.rows.iter().any(|(_, cells)| is_numbered_phase_file(&target(cells)))
            && most_rows(table, |cells| !is_phase_file_target(&target(cells)))
    };
    let code_files = file_named.filter(|&i| names_no_phase_file(i));
    let linked = code_files.and_then(|_| link_column(table, depends));
    // Without a File column, the column that links the phase files (a Slug, Plan or Name
    // column) stands in for it, and failing that a Slug column.
    let file = linked
        .or(file_named)
        .or_else(|| link_column(table, depends))
        .map(FileColumn::Targets)
        .or_else(|| find(&["slug"]).map(FileColumn::Slugs));
    let file_index = file.map(FileColumn::index);
    let touches = names.iter().enumerate().position(|(i, n)| Some(i) != file_index && is_touches_header(n));
    let touches = touches.or(linked.and(code_files));
    let model = find(&[
        "model",
        "recommendedmodel",
        "tier",
        "codextier",
        "modeltier",
        "routingtier",
        "routing",
        "modeleffort",
        "effort",
        "worker",
        "agent",
        "模型",
        "モデル",
        "모델",
    ]);
    let guessed_phase = || {
        depends.and(file_index)?;
        (0..names.len()).find(|&i| ![file_index, depends, touches, model].contains(&Some(i)))
    };
    let phase = named_phase.or_else(guessed_phase);
    let (Some(phase), Some(file)) = (phase, file) else {
        let facts = named_phase.zip(depends).map(|(phase, depends)| PhaseFacts {
            phase,
            number: number.filter(|&n| n != phase),
            depends,
            touches,
            model,
        });
        let columns = missing_columns(phase.is_some(), file.is_some(), depends.is_some());
        return Err(Missing { columns, facts });
    };
    Ok(Columns {
        phase,
        phase_guessed: named_phase.is_none(),
        number: number.filter(|&n| n != phase),
        file,
        depends,
        touches,
        model,
    })
}

/// The normalised headers that name the Phase column, the likelier first: `Phase`, `Phases`,
/// `Phase name`, `Phase / Title`, `Phase ID`, `Step`, `Stage`, `ID`, `No.`, `Task`,
/// `Milestone` (a task's milestone groups tasks, so a Task column wins), in other languages
/// (`Fase`, `Étape`, `Etapa`, `Schritt`, `Этап`, `Etap`) and in Chinese, Japanese and Korean
/// (`阶段`, `フェーズ`, `단계`); not `Phase file`, which is the File column.
const PHASE_NAMES: [&str; 36] = [
    "phase",
    "phases",
    "phasename",
    "phasetitle",
    "phaseid",
    "phaseno",
    "phasenum",
    "phasenumber",
    "phasenr",
    "step",
    "stepno",
    "stage",
    "id",
    "no",
    "nr",
    "num",
    "number",
    "order",
    "task",
    "pr",
    "milestone",
    "fase",
    "étape",
    "etape",
    "etapa",
    "schritt",
    "этап",
    "фаза",
    "etap",
    "阶段",
    "步骤",
    "フェーズ",
    "段階",
    "ステップ",
    "단계",
    "里程碑",
];

/// Whether a normalised header names what a phase waits for: `Depends on` and what real plans
/// write for it (`Dependencies`, `Prerequisites`, `Blocked by`, `Requires`, `Runs after`,
/// `Predecessors`, `Depends on (phases)`, and in other languages: `Depende de`, `Dépend de`,
/// `Abhängig von`, `Dipende da`, `Afhankelijk van`, `Зависит от`, `Zależy od`, `依赖`, `前置`,
/// `依存関係`, `의존성`, ...).
/// `Dependents`, what waits for the phase, is not, nor is `After` alone, which as often says
/// what a phase leaves behind (`Before`, `After`).
fn is_depends_header(name: &str) -> bool {
    const NAMES: [&str; 16] = [
        "depends",
        "deps",
        "requires",
        "needs",
        "runsafter",
        "startsafter",
        "waitson",
        "waitsfor",
        "upstream",
        "dependede",
        "dépendde",
        "abhängigvon",
        "dipendeda",
        "afhankelijkvan",
        "зависитот",
        "zależyod",
    ];
    const STARTS: [&str; 21] = [
        "dependson",
        "dependsupon",
        "dependenc",
        "prereq",
        "blockedby",
        "requiredphase",
        "predecessor",
        "dependênc",
        "dépendanc",
        "prérequis",
        "prerrequisit",
        "abhängigkeit",
        "voraussetzung",
        "dipendenz",
        "зависимост",
        "zależnoś",
        "依赖",
        "前置",
        "依存",
        "의존",
        "선행",
    ];
    NAMES.contains(&name) || STARTS.iter().any(|start| name.starts_with(start))
}

/// Whether a normalised header names the files a phase touches: `Touches`, `Files`, `Files
/// likely touched` (0.6's misspelt `File likely touched` too), `Key files`, `Paths`, `Archivos`,
/// `涉及文件`, ...
fn is_touches_header(name: &str) -> bool {
    const NAMES: [&str; 21] = [
        "файлы",
        "pliki",
        "archivos",
        "arquivos",
        "fichiers",
        "dateien",
        "bestanden",
        "涉及文件",
        "修改文件",
        "相关文件",
        "変更ファイル",
        "대상파일",
        "filelikelytouched",
        "keyfiles",
        "mainfiles",
        "touchedfiles",
        "changedfiles",
        "modifiedfiles",
        "paths",
        "keypaths",
        "touchedpaths",
    ];
    name.starts_with("touches") || name.starts_with("files") || NAMES.contains(&name)
}

/// The names of the required columns not found.
pub fn missing_columns(phase: bool, file: bool, depends: bool) -> Vec<&'static str> {
    REQUIRED.iter().zip([phase, file, depends]).filter(|(_, found)| !found).map(|(name, _)| *name).collect()
}

/// The first column but `skip` in which most rows name a phase file: a link to a Markdown
/// file or a folder inside the repository, a code span naming a Markdown file, or a cell that
/// is nothing but a Markdown file's name (`phase-00-cleanup.md`).
fn link_column(table: &Table, skip: Option<usize>) -> Option<usize> {
    let names_markdown = |text: &str| {
        let text = text.trim();
        !text.contains(char::is_whitespace) && text.to_ascii_lowercase().ends_with(".md")
    };
    let links_a_phase_file = |cell: &[Piece]| {
        let named = cell.iter().any(|p| match p {
            Piece::Link(target) => is_phase_file_target(&link_target(target)),
            Piece::Code(code) => code.trim().to_ascii_lowercase().ends_with(".md"),
            _ => false,
        });
        named || names_markdown(&plain_text(cell))
    };
    (0..table.header.len())
        .filter(|&i| Some(i) != skip)
        .find(|&i| most_rows(table, |cells| cells.get(i).is_some_and(|c| links_a_phase_file(c))))
}

/// Whether a target can be a phase file: a Markdown file or a folder, inside the repository.
pub fn is_phase_file_target(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !lower.contains("://") && (lower.ends_with(".md") || lower.ends_with('/'))
}

/// The text of column `column` in each row (empty where the row has no such cell).
fn column_cells(table: &Table, column: usize) -> impl Iterator<Item = String> + '_ {
    let cell = move |cells: &Vec<Vec<Piece>>| cells.get(column).map(|c| plain_text(c).trim().to_owned());
    table.rows.iter().map(move |(_, cells)| cell(cells).unwrap_or_default())
}

/// Whether two rows of column `column` say the same (not nothing).
fn groups_rows(table: &Table, column: usize) -> bool {
    let mut seen = BTreeSet::new();
    column_cells(table, column).filter(|cell| !cell.is_empty()).any(|cell| !seen.insert(cell))
}

/// Whether every row of column `column` says something of its own.
fn tells_rows_apart(table: &Table, column: usize) -> bool {
    let mut seen = BTreeSet::new();
    column_cells(table, column).all(|cell| !cell.is_empty() && seen.insert(cell))
}

/// Whether a target names a numbered phase file or folder (`01-core.md`, `phase-2-cli/`, the
/// folder's `phase-3/README.md`), not another document (`docs/guide.md`).
pub fn is_numbered_phase_file(target: &str) -> bool {
    let mut names = target.trim_end_matches('/').rsplit('/');
    let mut name = names.next().unwrap_or_default();
    if ["readme.md", "index.md"].iter().any(|readme| name.eq_ignore_ascii_case(readme)) {
        name = names.next().unwrap_or_default();
    }
    is_phase_file_target(target) && name.contains(|c: char| c.is_ascii_digit())
}

/// Whether more than half of a table's rows (and at least one) pass `test`.
fn most_rows(table: &Table, test: impl Fn(&[Vec<Piece>]) -> bool) -> bool {
    let passed = table.rows.iter().filter(|(_, cells)| test(cells)).count();
    passed > 0 && 2 * passed > table.rows.len()
}

/// The Markdown files and folders the README links to, by slug (the name without its leading
/// number; a folder's name for its `README.md` or `index.md`), lower case.
pub fn linked_phase_files(outline: &Outline) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for piece in outline.blocks.iter().flat_map(|b| &b.pieces) {
        let Piece::Link(target) = piece else { continue };
        let target = link_target(target);
        if !is_phase_file_target(&target) {
            continue;
        }
        let lower = target.trim_end_matches('/').to_ascii_lowercase();
        let mut parts = lower.rsplit('/');
        let last = parts.next().unwrap_or_default();
        let name = match last {
            "readme.md" | "index.md" => parts.next().unwrap_or_default(),
            _ => last.strip_suffix(".md").unwrap_or(last),
        };
        let slug = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        links.entry(slug.to_owned()).or_insert(target);
    }
    links
}

/// A Slug cell's slug, lower case.
fn cell_slug(cell: &[Piece]) -> String {
    plain_text(cell).trim().trim_matches('`').to_lowercase()
}

/// The phase file a Slug cell names: the README's link with that slug, else the cell's text.
pub fn slug_target(cell: &[Piece], links: &BTreeMap<String, String>) -> String {
    links
        .get(&cell_slug(cell))
        .cloned()
        .unwrap_or_else(|| plain_text(cell).trim().trim_matches('`').to_owned())
}

/// Whether most rows of a table (one without a Depends on column) name a phase file: a
/// numbered Markdown file or folder (`01-core.md`, `phase-2-cli/`, not `docs/guide.md`), or a
/// slug the README links.
pub fn names_phase_files(table: &Table, cols: &Columns, links: &BTreeMap<String, String>) -> bool {
    most_rows(table, |cells| match cols.file {
        FileColumn::Targets(i) => cells.get(i).is_some_and(|c| is_numbered_phase_file(&file_target(c))),
        FileColumn::Slugs(i) => cells.get(i).is_some_and(|c| links.contains_key(&cell_slug(c))),
    })
}

/// The target a File cell names: its link target, else its code span, else its text.
pub fn file_target(cell: &[Piece]) -> String {
    let link = first_link(cell).map(link_target);
    let code = cell.iter().find_map(|p| match p {
        Piece::Code(code) => Some(strip_dot_slash(code.trim()).to_owned()),
        _ => None,
    });
    link.or(code).unwrap_or_else(|| strip_dot_slash(named_in_text(&plain_text(cell))).to_owned())
}

/// The phase file a File cell of plain text names: the text without the marks around it
/// (`✅ 02-b.md`, `~~02-b.md~~`), up to the end of the file or folder name when a remark
/// follows it (`02-b.md (done)`, `03-docs/ (WIP)`); a name may hold spaces (`05 set up.md`).
fn named_in_text(text: &str) -> &str {
    let is_mark = |c: char| !(c.is_alphanumeric() || matches!(c, '.' | '/' | '_' | '-'));
    let text = text.trim_matches(is_mark);
    let lower = text.to_ascii_lowercase();
    let ends =
        [".md ", ".md\t", "/ ", "/\t"].iter().filter_map(|end| lower.find(end).map(|at| at + end.len() - 1));
    ends.min().map_or(text, |end| &text[..end])
}

/// The target of a cell's first link, a link within the repository before one to the web (the
/// phase file's `[plan](01-a.md)` after a pull request's `[PR #12](https://github.com/...)`).
fn first_link(cell: &[Piece]) -> Option<&str> {
    let links = || {
        cell.iter().filter_map(|piece| match piece {
            Piece::Link(target) => Some(target.as_str()),
            _ => None,
        })
    };
    let on_the_web = |target: &&str| {
        let lower = target.trim_start().to_ascii_lowercase();
        ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
    };
    links().find(|target| !on_the_web(target)).or_else(|| links().next())
}

/// The `#anchor` of a File cell's link (`plan.md#phase-2` gives `phase-2`), lower case; empty
/// when the cell has no link or its link no anchor.
pub fn link_anchor(cell: &[Piece]) -> String {
    first_link(cell)
        .and_then(|target| target.trim().split_once('#'))
        .map_or_else(String::new, |(_, anchor)| anchor.to_lowercase())
}
