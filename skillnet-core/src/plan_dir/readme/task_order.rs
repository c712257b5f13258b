//! The order of phases their tasks' order gives, as spec-kit's tasks write it: phases of
//! numbered tasks (`## Phase 3.2: Tests First` over `- [ ] T006 [P] Route test in a.ts`), and a
//! section of dependencies between the tasks (`- Tests (T006-T010) before implementation
//! (T011-T020)`, `- Middleware tasks sequential: T004 → T017 → T020`). A task that waits for a
//! task of another phase makes its phase depend on that phase.

use std::collections::BTreeMap;

use super::Row;
use crate::plan_dir::depends::goes_round;
use crate::plan_dir::markdown::{plain_text, BlockKind, Outline};

/// The phases each phase depends on, by ordinal, as the dependencies between their tasks say;
/// empty when the README's phases are not its own sections, or no task is in a phase.
pub(super) fn task_order(outline: &Outline, rows: &[Row]) -> BTreeMap<i64, Vec<i64>> {
    let phase_of = phases_of_tasks(outline, rows);
    let mut order: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    if phase_of.is_empty() {
        return order;
    }
    let phases = |text: &str| -> Vec<i64> {
        task_ids(text).iter().filter_map(|id| phase_of.get(id)).copied().collect()
    };
    let sections = outline.sections(|title| title.to_lowercase().contains("dependenc"));
    let blocks = sections.into_iter().flat_map(|range| outline.blocks_in(range).collect::<Vec<_>>());
    for block in blocks {
        let text = plain_text(&block.pieces);
        for line in text.lines() {
            for (before, after) in waits(line) {
                for phase in phases(after) {
                    order
                        .entry(phase)
                        .or_default()
                        .extend(phases(before).into_iter().filter(|&b| b != phase));
                }
            }
        }
    }
    for before in order.values_mut() {
        before.sort_unstable();
        before.dedup();
    }
    order.retain(|_, before| !before.is_empty());
    // Tasks that go round in a circle say nothing of the phases' order.
    if goes_round(&order) {
        order.clear();
    }
    order
}

/// The order of the tasks of a checklist, done as listed: each after the one before it.
pub(super) fn one_after_another(rows: &[Row]) -> BTreeMap<i64, Vec<i64>> {
    rows.windows(2).map(|pair| (pair[1].ordinal, vec![pair[0].ordinal])).collect()
}

/// The words that say the tasks after them wait for those before (`T001 before T002`, `T008
/// blocks T009`), and those that say the tasks before them wait (`T012 depends on T011`).
const FIRST_THEN: [&str; 2] = [" before ", " blocks "];
const THEN_FIRST: [&str; 4] = [" depends on ", " depend on ", " requires ", " after "];

/// The arrows of a chain of tasks (`T004 → T017 → T020`).
const ARROWS: [&str; 4] = ["→", "->", "⟶", "=>"];

/// What one line says waits for what: pairs of the text naming the tasks that come first and
/// the text naming those that wait, each link of a chain of arrows one pair.
fn waits(line: &str) -> Vec<(&str, &str)> {
    if ARROWS.iter().any(|arrow| line.contains(arrow)) {
        let mut parts = vec![line];
        for arrow in ARROWS {
            parts = parts.into_iter().flat_map(|part| part.split(arrow)).collect();
        }
        return parts.windows(2).map(|pair| (pair[0], pair[1])).collect();
    }
    let first =
        |words: &[&str]| words.iter().filter_map(|word| line.find(word).map(|at| (at, word.len()))).min();
    match (first(&FIRST_THEN), first(&THEN_FIRST)) {
        (Some((at, len)), other) if other.is_none_or(|(then, _)| at < then) => {
            vec![(&line[..at], &line[at + len..])]
        }
        (_, Some((at, len))) => vec![(&line[at + len..], &line[..at])],
        _ => Vec::new(),
    }
}

/// Each task's number, with the ordinal of the phase whose section lists it: a list item that
/// opens with the task's id (`T006`, after its checkbox) in the section under a row's heading.
fn phases_of_tasks(outline: &Outline, rows: &[Row]) -> BTreeMap<u32, i64> {
    let mut phase_of = BTreeMap::new();
    for row in rows {
        let heading = outline.headings.iter().position(|h| Some(outline.line_of(h.start)) == row.line);
        let Some(heading) = heading else { continue };
        let items = outline.blocks_in(outline.body(heading)).filter(|b| b.kind == BlockKind::Item);
        for id in items.filter_map(|item| opening_task(&plain_text(&item.pieces))) {
            phase_of.entry(id).or_insert(row.ordinal);
        }
    }
    phase_of
}

/// The number of the task a list item's text opens with, after its checkbox: `6` of `[ ] T006
/// [P] Route test in a.ts`.
pub fn opening_task(text: &str) -> Option<u32> {
    task_number(opening_word(text)?)
}

/// The first word of a list item's text after its checkbox (`T006` of `[ ] T006 [P] Route
/// test`).
pub fn opening_word(text: &str) -> Option<&str> {
    after_checkbox(text).split_whitespace().next()
}

/// A list item's text after its checkbox (`[ ]`, `[x]`, Kiro's `[-]` of a task under way) and
/// the white space around it.
pub fn after_checkbox(text: &str) -> &str {
    checked(text).unwrap_or(text.trim_start())
}

/// A list item's text after its checkbox and the white space around it; `None` without one.
pub(super) fn checked(text: &str) -> Option<&str> {
    let text = text.trim_start();
    ["[ ]", "[x]", "[X]", "[-]", "[~]"].iter().find_map(|b| text.strip_prefix(b)).map(str::trim_start)
}

/// The numbers of the tasks a text names: `T006`, `T018a` (its number), and every task of a
/// range (`T006-T010`, `T006–T010`).
fn task_ids(text: &str) -> Vec<u32> {
    let mut ids = Vec::new();
    let words = text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '–')));
    for word in words {
        let mut ends = word.split(['-', '–']).map(task_number);
        match (ends.next().flatten(), ends.next(), ends.next()) {
            (Some(low), Some(Some(high)), None) if low <= high && high - low < 1000 => ids.extend(low..=high),
            (Some(one), None, _) => ids.push(one),
            _ => {}
        }
    }
    ids
}

/// The number of one task's id: `6` of `T006`, `18` of `T018a`.
fn task_number(word: &str) -> Option<u32> {
    let digits = word.strip_prefix('T')?;
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    let rest = &digits[end..];
    (end > 0 && rest.chars().all(|c| c.is_ascii_lowercase()) && rest.len() <= 1)
        .then(|| digits[..end].parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_and_their_ranges_are_read() {
        assert_eq!(task_ids("Constants (T001-T002, T005) before components"), [1, 2, 5]);
        assert_eq!(task_ids("T018a → T020–T021; Task 3, T, Tx1, T12-x"), [18, 20, 21]);
    }

    #[test]
    fn a_line_says_which_tasks_wait_for_which() {
        assert_eq!(
            waits("Tests (T006-T010) before implementation (T011)"),
            [("Tests (T006-T010)", "implementation (T011)")]
        );
        assert_eq!(waits("T008 blocks T009, T015"), [("T008", "T009, T015")]);
        assert_eq!(waits("T012 depends on T011"), [("T011", "T012")]);
        assert_eq!(
            waits("Sequential: T004 → T017 -> T020"),
            [("Sequential: T004 ", " T017 "), (" T017 ", " T020")]
        );
        assert!(waits("T001 and T002 run in parallel").is_empty());
    }
}
