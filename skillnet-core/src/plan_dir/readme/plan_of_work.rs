//! The milestones an ExecPlan (a plan an agent keeps up to date as it works, after the
//! `PLANS.md` that OpenAI's Codex guides describe) narrates in its Plan of Work, one paragraph
//! each, in the order it numbers them:
//!
//! ```markdown
//! ## Plan of Work
//!
//! First, add RPC authentication to the domain. Edit `internal/domain/types.go`.
//!
//! Second, implement the interceptors ...
//! ```

use super::headings::HeadedRows;
use super::Row;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::{plain_text, BlockKind, Outline};

/// The words that number the milestones, in order.
const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

/// The paragraphs of the `Plan of Work` section that open with the next ordinal (`First, add
/// ...`, `Second, ...`, `The third milestone is ...`), one row each: its own text runs up to
/// the next one's (the paragraphs between are part of it), named by the milestone it names
/// (`provenance-hardening` of `The first milestone is provenance hardening.`), else
/// `milestone-N`. `None` unless there are two at least.
pub(super) fn plan_of_work_rows(outline: &Outline, text_len: usize) -> Option<HeadedRows> {
    let section = outline.section("plan of work")?;
    let end = section.end.min(text_len);
    let mut rows: HeadedRows = Vec::new();
    for block in outline.blocks_in(section.clone()).filter(|b| b.kind == BlockKind::Paragraph) {
        let text = plain_text(&block.pieces);
        let number = rows.len() + 1;
        if !ORDINALS.get(number - 1).is_some_and(|ordinal| opens_with_ordinal(&text, ordinal)) {
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
    Some(rows).filter(|rows| rows.len() >= 2)
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
