//! The milestones an ExecPlan (a plan an agent keeps up to date as it works, after the
//! `PLANS.md` that OpenAI's Codex guides describe) narrates in its Plan of Work, one paragraph
//! each, in the order it numbers them, or the steps it numbers there:
//!
//! ```markdown
//! ## Plan of Work
//!
//! First, add RPC authentication to the domain. Edit `internal/domain/types.go`.
//!
//! Second, implement the interceptors ...
//! ```
//!
//! ```markdown
//! ## Plan of Work
//!
//! 1. Create `src/config/session_jsonl.rs` with the framer.
//! 2. Rewrite `Session::load` to use it.
//! ```

use super::headings::HeadedRows;
use super::numbering::{after_unit, MILESTONE};
use super::Row;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::{plain_text, Block, BlockKind, Outline};

/// The words that number the milestones, in order.
const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

/// What the steps of a Plan of Work's numbered list are numbered as.
const STEP: &str = "step";

/// The milestones of the `Plan of Work` section ([`narrated_rows`]), else its numbered steps
/// ([`numbered_step_rows`]), with what they are numbered as; `None` without two at least.
pub(super) fn plan_of_work_rows(outline: &Outline, text: &str) -> Option<(&'static str, HeadedRows)> {
    let section = outline.section("plan of work")?;
    let end = section.end.min(text.len());
    let at_least_two = |rows: HeadedRows| Some(rows).filter(|rows| rows.len() >= 2);
    let narrated = at_least_two(narrated_rows(outline, section.start..end)).map(|rows| (MILESTONE, rows));
    narrated.or_else(|| Some((STEP, at_least_two(numbered_step_rows(outline, text, section.start..end))?)))
}

/// The paragraphs of a Plan of Work (`range`) that open with the next ordinal (`First, add
/// ...`, `Second, ...`, `The third milestone is ...`) or milestone (`Milestone 2 introduces
/// ...`), one row each: its own text runs up to the next one's (the paragraphs between are part
/// of it), named by the milestone it names (`provenance-hardening` of `The first milestone is
/// provenance hardening.`), else `milestone-N`.
fn narrated_rows(outline: &Outline, section: std::ops::Range<usize>) -> HeadedRows {
    let end = section.end;
    let mut rows: HeadedRows = Vec::new();
    for block in outline.blocks_in(section.clone()).filter(|b| b.kind == BlockKind::Paragraph) {
        let text = plain_text(&block.pieces);
        let number = rows.len() + 1;
        let ordinal = ORDINALS.get(number - 1).is_some_and(|ordinal| opens_with_ordinal(&text, ordinal));
        if !ordinal && !opens_with_milestone(&text, number) {
            continue;
        }
        if let Some((_, before)) = rows.last_mut() {
            before.own_text.end = block.start;
        }
        let anchor = milestone_named(&text).map(name_anchor).unwrap_or_else(|| format!("milestone-{number}"));
        let row = Row {
            line: Some(outline.line_of(block.start)),
            label: text.lines().next().unwrap_or_default().to_owned(),
            key: number.to_string(),
            anchor,
            own_text: block.start..end,
            ..Row::default()
        };
        rows.push((Some(number as i64), row));
    }
    rows
}

/// The items of the first numbered list of a Plan of Work (`range`: `1. Create
/// `src/framer.rs` ...`, `2. **Header expansion**`), numbered from 1 without a gap, one row
/// each: its own text the item and what is nested in it, named by the words it opens with in
/// bold (`header-expansion`), else `step-N`.
fn numbered_step_rows(outline: &Outline, text: &str, section: std::ops::Range<usize>) -> HeadedRows {
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let first_line = |at: usize| text[at..].split('\n').next().unwrap_or_default();
    // Each item's indent and number (`1.` or `1)`).
    let numbered = |item: &Block| {
        let indent = item.start - line_start(item.start);
        let (number, _) = first_line(item.start).split_once(['.', ')'])?;
        let number: usize = number.parse().ok().filter(|_| number.bytes().all(|b| b.is_ascii_digit()))?;
        Some((indent, number))
    };
    let blocks: Vec<&Block> = outline.blocks_in(section.clone()).collect();
    let Some((list_indent, _)) =
        blocks.iter().filter(|b| b.kind == BlockKind::Item).find_map(|b| numbered(b))
    else {
        return Vec::new();
    };
    let mut rows: HeadedRows = Vec::new();
    for block in blocks {
        let indent = block.start - line_start(block.start);
        let step = match block.kind {
            BlockKind::Item => numbered(block).filter(|&(at, _)| at == list_indent),
            BlockKind::Paragraph => None,
        };
        match step {
            Some((_, number)) if number == rows.len() + 1 => {
                if let Some((_, before)) = rows.last_mut() {
                    before.own_text.end = line_start(block.start);
                }
                let anchor = bold_lead(first_line(block.start))
                    .map(name_anchor)
                    .unwrap_or_else(|| format!("step-{number}"));
                let row = Row {
                    line: Some(outline.line_of(block.start)),
                    label: plain_text(&block.pieces).lines().next().unwrap_or_default().to_owned(),
                    key: number.to_string(),
                    anchor,
                    own_text: line_start(block.start)..section.end,
                    ..Row::default()
                };
                rows.push((Some(number as i64), row));
                continue;
            }
            // Another list, or prose at the list's indent, ends the last step.
            Some(_) => {}
            None if indent <= list_indent && block.kind == BlockKind::Paragraph => {}
            None => continue,
        }
        // Before the list, a paragraph says what it is.
        let Some((_, last)) = rows.last_mut() else { continue };
        last.own_text.end = line_start(block.start);
        break;
    }
    rows
}

/// The words the first line of a list item (from its marker on) opens with in bold (`Header
/// expansion` of `3. **Header expansion** — the fields`).
fn bold_lead(line: &str) -> Option<&str> {
    let (_, after_marker) = line.split_once(['.', ')'])?;
    let bold = after_marker.trim_start().strip_prefix("**")?;
    let (lead, _) = bold.split_once("**")?;
    Some(lead.trim()).filter(|lead| !lead.is_empty())
}

/// Whether a paragraph opens with milestone `number` (`Milestone 2 introduces ...`, `Milestone
/// 2: ...`).
fn opens_with_milestone(text: &str, number: usize) -> bool {
    let Some(rest) = after_unit(text, MILESTONE) else { return false };
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    rest[..digits].parse() == Ok(number)
}

/// Whether a paragraph opens with `ordinal`, alone or after `The` (`First, add`, `Second
/// add`, `The third milestone`), in any case.
fn opens_with_ordinal(text: &str, ordinal: &str) -> bool {
    let mut words = text.split_whitespace().map(|word| word.trim_end_matches([',', ':']));
    let first = words.next().unwrap_or_default();
    let word = match first.eq_ignore_ascii_case("the") {
        true => words.next().unwrap_or_default(),
        false => first,
    };
    word.eq_ignore_ascii_case(ordinal)
}

/// What a paragraph that opens `The first milestone is` names the milestone, up to the end of
/// its sentence, when that takes a few words (`provenance hardening`).
fn milestone_named(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once(" milestone is ")?;
    let opening = text.len() - rest.len();
    let name = rest.split(['.', ':', ';', ',', '\n']).next().unwrap_or_default().trim();
    let few = (1..=6).contains(&name.split_whitespace().count());
    (few && text[..opening].split_whitespace().count() == 4).then_some(name)
}
