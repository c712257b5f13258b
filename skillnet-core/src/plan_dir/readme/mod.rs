//! The plan's README: its name and its phases, row by row: the rows of its phase table
//! ([`table`]), else the items of its list of phase files ([`lists`]), else its sections that
//! name phases, else the to-dos of its front matter ([`todos`]), else its sections that number
//! task groups, stages, milestones, epics, steps or tasks ([`headings`]), else the tasks of its
//! checklist ([`lists`]), else the milestones an ExecPlan's Plan of Work narrates
//! ([`plan_of_work`]), each numbered as [`numbering`] says.

mod arrows;
mod fenced_tasks;
mod headings;
mod lists;
mod numbering;
mod plan_of_work;
mod statements;
mod table;
mod task_order;
#[cfg(test)]
mod tests;
mod todos;

pub use lists::entry_number;
pub use numbering::{
    after_phase_word, after_unit, chinese_phase_number, first_integer, is_and_word, is_phase_reference,
    is_phase_word, numbers_named_first, reference_key,
};

use super::columns::{columns, linked_phase_files, missing_columns, names_phase_files};
use super::markdown::{plain_text, Outline};
use super::mermaid::{self, Flowchart};
use super::PlanDirError;
use fenced_tasks::fenced_task_rows;
use headings::{checklist_section_rows, heading_rows, unit_heading_rows};
use lists::{checklist_rows, list_rows, unit_item_rows, Named};
use numbering::number_rows;
use plan_of_work::plan_of_work_rows;
pub use statements::{About, Statement};
use table::{described_entry_rows, phase_table_rows, with_table_of_phases};
pub use task_order::{after_checkbox, opening_task, opening_word};
use todos::todo_rows;

/// A list of phases, done in the order listed unless it says otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listed {
    /// The tasks of a numbered checklist ([`checklist_rows`]), its numbered sections
    /// ([`checklist_section_rows`]), or the tasks of a code block ([`fenced_task_rows`]).
    Checklist,
    /// The to-dos of the front matter ([`todo_rows`]).
    Todos,
    /// The milestones or steps of an ExecPlan's Plan of Work ([`plan_of_work_rows`]), with
    /// what they are numbered as.
    Narrated(&'static str),
}

/// What the tasks of a checklist are numbered as, where the plan names them (`Task 3 depends
/// on Task 1`).
const CHECKLIST_UNIT: &str = "task";

/// The name a plan gets when its README has no H1.
pub const DEFAULT_NAME: &str = "multi-phase plan";

/// One row of the phase table.
#[derive(Debug, Clone, Default)]
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
    /// The part of the README that is the phase's own text, for a task of a checklist (the task
    /// and its sub-tasks), a numbered section of one, or a milestone of a Plan of Work (its
    /// paragraphs); empty for any other row.
    pub own_text: std::ops::Range<usize>,
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
    /// The flowcharts the README draws in Mermaid fences (its Gantt charts as flowcharts), which
    /// may draw the phases' order.
    pub flowcharts: Vec<Flowchart>,
    /// The lines of its text that chain phases with arrows (`Phase 1 → Phase 2`), a flowchart
    /// each.
    pub arrow_chains: Vec<Flowchart>,
    /// What the README's sentences say phases depend on (`Phase 2 depends on Phase 1.`).
    pub statements: Vec<Statement>,
    /// The phases each phase depends on, by ordinal, as the dependencies between the tasks of
    /// its sections say (`Tests (T006-T010) before implementation (T011-T020)`); for the tasks
    /// of a checklist, the one before each.
    pub task_order: std::collections::BTreeMap<i64, Vec<i64>>,
    /// The words its headings number its phases by when no heading names a phase (`task group`
    /// for `#### Task Group 2: API Layer`; `task` for a checklist's); `None` for phases.
    pub unit: Option<&'static str>,
}

/// What a plan's index that cannot be read is called in an error: 0.6's "unrecognized README
/// format" for a README, the plan's for an index by another name (`tasks.md`, `plan.md`).
fn unrecognized(origin: &str) -> &'static str {
    let name = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    match name.eq_ignore_ascii_case(super::structure::README) {
        true => "unrecognized README format",
        false => "unrecognized plan format",
    }
}

/// What the message of a README in which no reading finds phases says ([`finds_no_phases`]).
const NO_PHASE_TABLE: &str = "no phase table";

/// Whether reading a README failed because no reading of it finds phases (it has no phase
/// table, nor any list or section of phases), rather than because what it holds is wrong.
pub fn finds_no_phases(error: &PlanDirError) -> bool {
    error.line.is_none() && error.message.contains(NO_PHASE_TABLE)
}

/// Why no table of the README is its phase table: the first table that lacks only one of the
/// required columns is named, with its columns, as the likely one.
fn no_phase_table(outline: &Outline, origin: &str) -> PlanDirError {
    let unrecognized = unrecognized(origin);
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
                "{unrecognized}: {NO_PHASE_TABLE}; {expected} (or list the phase files, \
                 `1. [Core](01-core.md)`, or head each phase's section `## Phase 1: Core`)"
            ),
        );
    };
    let header: Vec<String> = table.header.iter().map(|cell| plain_text(cell).trim().to_owned()).collect();
    PlanDirError::malformed(
        origin,
        Some(outline.line_of(table.start)),
        format!(
            "{unrecognized}: the table here has no {missing} column (its columns: {}); {expected}",
            header.join(", ")
        ),
    )
}

/// Reads the README's name and its phases: the rows of its phase table, else the items of its
/// list of phase files, else its sections that name phases, else the numbered phase files and
/// folders among the plan directory's `entries` that its table of the phases without a File
/// column names (folders with their `/`; asked for only then), each with what its row says,
/// else the items of a list that names phase files in code spans, else the to-dos of its front
/// matter ([`todos`]), else its sections that number task groups, stages, milestones, epics,
/// steps or tasks ([`Readme::unit`]), or its list items that do, else the tasks of its numbered
/// checklist, else the milestones an ExecPlan's Plan of Work narrates; to-dos, tasks and
/// milestones are done one after another unless they say otherwise.
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
    // own sections that name phases; last, those that number task groups, stages, ... or tasks.
    let (mut unit, mut listed) = (None, None);
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
            let units = || {
                let (named, rows) = unit_heading_rows(&outline).or_else(|| unit_item_rows(&outline))?;
                unit = Some(named);
                Some(rows)
            };
            // Then the to-dos of the front matter, before what prose numbers (a plan's `Step
            // 1:` items); last of all, the tasks of a numbered checklist. Both lists are done
            // in order, unless they say otherwise.
            let rows = found(list_rows(&outline, Named::ByLink))
                .or_else(headings)
                .or_else(beside)
                .or_else(spans)
                .or_else(|| {
                    let rows = todo_rows(&outline)?;
                    listed = Some(Listed::Todos);
                    Some(rows)
                })
                .or_else(units)
                .or_else(|| {
                    let rows = checklist_rows(&outline, text.len())
                        .or_else(|| checklist_section_rows(&outline, text.len()))
                        .or_else(|| fenced_task_rows(&outline))?;
                    listed = Some(Listed::Checklist);
                    Some(rows)
                })
                .or_else(|| {
                    let (numbered_as, rows) = plan_of_work_rows(&outline, text)?;
                    listed = Some(Listed::Narrated(numbered_as));
                    Some(rows)
                });
            (rows.ok_or_else(|| no_phase_table(&outline, origin))?, false)
        }
    };
    let (rows, renumbered) = number_rows(rows, origin)?;
    if rows.is_empty() {
        return Err(PlanDirError::malformed(
            origin,
            None,
            format!("{}: the phase table has no phase rows", unrecognized(origin)),
        ));
    }
    match listed {
        Some(Listed::Checklist) => unit = Some(CHECKLIST_UNIT),
        Some(Listed::Narrated(numbered_as)) => unit = Some(numbered_as),
        _ => {}
    }
    let mermaid = outline.code_blocks.iter().filter(|code| code.language == "mermaid");
    let flowcharts = mermaid
        .filter_map(|code| mermaid::flowchart(&code.text).or_else(|| mermaid::gantt(&code.text)))
        .collect();
    let arrow_chains = arrows::arrow_chains(&outline, unit);
    let statements = statements::statements(&outline, unit);
    let in_order = listed.is_some() && rows.iter().all(|row| row.depends.trim().is_empty());
    let task_order = match in_order {
        true => task_order::one_after_another(&rows),
        false => task_order::task_order(&outline, &rows),
    };
    Ok(Readme {
        name,
        rows,
        renumbered,
        depends_column,
        flowcharts,
        arrow_chains,
        statements,
        task_order,
        unit,
    })
}
