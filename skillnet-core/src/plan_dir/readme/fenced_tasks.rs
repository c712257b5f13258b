//! The tasks a plan lists in a code block, in the order they are done, as a PRP (a product
//! requirement prompt) writes them:
//!
//! ````markdown
//! ### list of tasks to be completed to fullfill the PRP in the order they should be completed
//! ```yaml
//! Task 1: Create the domain models
//! CREATE domain/faq/entities.py:
//!   - IMPLEMENT the models
//! Task 2:
//! MODIFY api/index.py:
//! ```
//! ````

use super::headings::HeadedRows;
use super::numbering::{first_integer, unit_key};
use super::Row;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::Outline;
use crate::plan_dir::paths::{looks_like_path, paths_of_text};
use crate::plan_dir::phase_file::DOING;

/// The tasks of the first YAML or plain code block that lists any (`Task 1: Create the models`,
/// `Task 2:`, each opening its line), one row each, named by the anchor of its line
/// (`task-1-create-the-models`), with the files its lines of change name (`CREATE
/// domain/faq/entities.py:`, `MODIFY api/index.py:`). `None` without such a block, or when a
/// task's number does not come after the one before it.
pub(super) fn fenced_task_rows(outline: &Outline) -> Option<HeadedRows> {
    let mut blocks =
        outline.code_blocks.iter().filter(|code| matches!(code.language.as_str(), "yaml" | "yml" | ""));
    blocks.find_map(|code| {
        // The code block's text starts on the line after its fence.
        let first_line = outline.line_of(code.start) + 1;
        let mut rows: HeadedRows = Vec::new();
        for (at, line) in code.text.lines().enumerate() {
            let line = line.trim();
            let key = unit_key("task", line).filter(|_| opens_task(line));
            match (key, rows.last_mut()) {
                (Some(key), _) => {
                    let row = Row {
                        line: Some(first_line + at),
                        label: line.to_owned(),
                        anchor: name_anchor(line.trim_end_matches(':')),
                        key: key.clone(),
                        ..Row::default()
                    };
                    rows.push((first_integer(&key), row));
                }
                (None, Some((_, row))) => row.touches.extend(changed_path(line)),
                (None, None) => {}
            }
        }
        let numbers: Vec<Option<i64>> = rows.iter().map(|(number, _)| *number).collect();
        let ordered = numbers.windows(2).all(|pair| pair[0] < pair[1]);
        Some(rows).filter(|rows| !rows.is_empty() && ordered)
    })
}

/// Whether a line that numbers a task opens the task: it starts with the word (`Task 2:`, not
/// `# Task 2`) and a colon follows the number (`Task 2: Wire it up`), which a sentence about
/// the task does not (`Task 2 depends on 1`).
fn opens_task(line: &str) -> bool {
    let Some(after_word) = line.get(..4).filter(|word| word.eq_ignore_ascii_case("task")).map(|_| &line[4..])
    else {
        return false;
    };
    let number = after_word.trim_start().trim_start_matches('#');
    number.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '.').trim_start().starts_with(':')
}

/// The path a line of change names (`MODIFY api/index.py:`, `CREATE src/a.ts`): its first word
/// a word of change in capitals, its second a path.
fn changed_path(line: &str) -> Vec<String> {
    let mut words = line.split_whitespace();
    let verb = words.next().unwrap_or_default();
    let is_verb =
        verb.bytes().all(|b| b.is_ascii_uppercase()) && DOING.contains(&verb.to_lowercase().as_str());
    match words.next().map(|word| word.trim_end_matches(':')) {
        Some(path) if is_verb && looks_like_path(path) => paths_of_text(path),
        _ => Vec::new(),
    }
}
