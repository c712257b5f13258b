//! The to-dos a plan's front matter lists, as Cursor writes a plan (`name.plan.md`): each an id,
//! what it does and, when the plan says so, the ids it depends on.
//!
//! ```yaml
//! todos:
//!   - id: schema
//!     content: Create db/schema.sql with the users table
//!     status: pending
//!   - id: api
//!     content: "src/api.ts: the endpoints"
//!     dependencies:
//!       - schema
//! ```

use super::headings::HeadedRows;
use super::Row;
use crate::plan_dir::markdown::Outline;
use crate::plan_dir::paths::{looks_like_path, paths_of_text};
use crate::plan_dir::phase_file::DOING;

/// One row for each to-do of the front matter's `todos:` list, in order, numbered from 1: named
/// by its id, labelled by its content, depending on the to-dos its `dependencies` name (by
/// number; an id no to-do has names none), with the files its content names
/// ([`content_files`]); a cancelled to-do is none of the work. `None` without such a list.
pub(super) fn todo_rows(outline: &Outline) -> Option<HeadedRows> {
    // The front matter's pairs come flattened, in order: a to-do's keys follow its `id`.
    let pairs = &outline.front_matter;
    let list = pairs.iter().position(|(key, value)| key == "todos" && value.is_empty())?;
    let mut todos: Vec<Todo<'_>> = Vec::new();
    for (key, value) in &pairs[list + 1..] {
        match (key.as_str(), todos.last_mut()) {
            ("id", _) => todos.push(Todo { id: value.trim(), ..Todo::default() }),
            ("content", Some(todo)) => todo.content = value.trim(),
            ("dependencies", Some(todo)) => todo.dependencies = value,
            ("status", Some(todo)) => todo.status = value.trim(),
            _ => {}
        }
    }
    let cancelled = |todo: &Todo<'_>| matches!(todo.status, "cancelled" | "canceled");
    todos.retain(|todo| !todo.id.is_empty() && !cancelled(todo));
    let number_of = |id: &str| todos.iter().position(|todo| todo.id == id.trim()).map(|at| at + 1);
    let rows = (1..).zip(&todos).map(|(ordinal, todo)| {
        let depends: Vec<String> =
            todo.dependencies.split(", ").filter_map(number_of).map(|number| number.to_string()).collect();
        let row = Row {
            label: todo.content.to_owned(),
            key: ordinal.to_string(),
            anchor: todo.id.to_owned(),
            depends: depends.join(", "),
            touches: content_files(todo.content),
            ..Row::default()
        };
        (Some(ordinal), row)
    });
    Some(rows.collect()).filter(|rows: &HeadedRows| !rows.is_empty())
}

/// One to-do as the front matter gives it.
#[derive(Default)]
struct Todo<'a> {
    id: &'a str,
    content: &'a str,
    /// The ids it depends on, joined by `, `.
    dependencies: &'a str,
    status: &'a str,
}

/// The files a to-do's content names: the paths it opens with before a colon (`src/api.ts,
/// src/db.ts: the endpoints`), else the path after its opening word of change (`Create
/// core/queue.js with the Job class`), else the path after its first `in` (`Update the groups
/// in permissions.py`); none in other prose.
fn content_files(content: &str) -> Vec<String> {
    let opening = content.split_once(": ").map_or(content, |(before, _)| before);
    if content.contains(": ") && looks_like_path(first_word(opening)) {
        return paths_of_text(opening);
    }
    let mut words = content.split_whitespace();
    let opens_with_change = words.next().is_some_and(|word| DOING.contains(&word.to_lowercase().as_str()));
    let changed = words.next().filter(|word| opens_with_change && looks_like_path(word));
    let after_in =
        || content.split_once(" in ").map(|(_, rest)| first_word(rest)).filter(|w| looks_like_path(w));
    changed.or_else(after_in).map(paths_of_text).unwrap_or_default()
}

/// The first word of a text, without a colon after it.
fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or_default().trim_end_matches(':')
}
