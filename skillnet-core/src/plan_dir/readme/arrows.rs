//! The order the README's text draws with arrows: lines that chain phases (`Phase 1 → Phase 2 →
//! Phase 3`, `- Phase 2 -> Phase 4 (reuses the modal)`, `Phase 3 ◄── Phase 2`), as plans write
//! it in a list of dependencies, a critical path or a plain code block. Each line is read as a
//! flowchart of its own, whose nodes are the parts between its arrows.

use super::numbering::{is_phase_word, unit_key};
use crate::plan_dir::markdown::{plain_text, without_parentheses, Outline, COLONS};
use crate::plan_dir::mermaid::Flowchart;

/// The languages of the code blocks whose lines may chain phases: none, or plain text. Code in
/// a programming language (`// Phase 1 -> Phase 2: fade in`) says nothing of the plan.
const PLAIN: [&str; 5] = ["", "text", "txt", "plain", "plaintext"];

/// What draws a line or a corner in a diagram of two dimensions. A code block with any of
/// them is passed over whole: its rows alone would draw only some of its arrows (`Phase 1 ─┬─►
/// Phase 2` over `└─► Phase 3`, `Phase 7` over `↓` over `Phase 8`).
const DRAWING: [char; 30] = [
    '│', '┃', '║', '|', '↓', '↑', '▼', '▲', '⬇', '⬆', '┬', '┴', '├', '┤', '┼', '┌', '┐', '└', '┘', '╭', '╮',
    '╯', '╰', '╔', '╗', '╚', '╝', '╠', '╣', '╬',
];

/// The heads of arrows that point forward, and those that point back.
const FORWARD: [char; 12] = ['>', '→', '⟶', '⇒', '⟹', '➜', '➔', '➡', '⮕', '►', '▶', '▸'];
const BACKWARD: [char; 8] = ['<', '←', '⟵', '⇐', '⟸', '◄', '◀', '◂'];

/// The shafts an arrow's head may follow or lead (`──►`, `-->`, `==>`, `<──`).
const SHAFTS: [char; 6] = ['-', '─', '━', '=', '—', '–'];

/// The chains of arrows of the README's paragraphs, list items and plain code blocks, a
/// flowchart for each line that draws at least one arrow; in a plan whose phases are numbered
/// by the words of `unit`, a chain may open with them after its colon (`Task 1: Schema → Task
/// 2`).
pub(super) fn arrow_chains(outline: &Outline, unit: Option<&str>) -> Vec<Flowchart> {
    let text_lines = outline.blocks.iter().flat_map(|block| {
        let text = plain_text(&block.pieces);
        text.split('\n').map(str::to_owned).collect::<Vec<_>>()
    });
    let plain_code = outline.code_blocks.iter().filter(|code| {
        PLAIN.contains(&code.language.as_str()) && !code.text.contains(DRAWING) && !draws_down(&code.text)
    });
    let code_lines =
        plain_code.flat_map(|code| code.text.lines().map(without_list_number).collect::<Vec<_>>());
    text_lines
        .chain(code_lines)
        .flat_map(|line| {
            let sentences =
                line.split(". ").flat_map(|s| s.split(';')).map(|s| chain(s, unit)).collect::<Vec<_>>();
            sentences.into_iter().flatten()
        })
        .collect()
}

/// Whether a line of `code` is an arrow pointing down drawn in letters (`v`, `V`, `^`).
fn draws_down(code: &str) -> bool {
    code.lines().any(|line| matches!(line.trim(), "v" | "V" | "^"))
}

/// A line of a code block without the number of its list item (`1. Phase 1 → Phase 2`).
fn without_list_number(line: &str) -> String {
    let trimmed = line.trim_start();
    let digits = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    match trimmed[digits..].strip_prefix(['.', ')']) {
        Some(rest) if digits > 0 && rest.starts_with(' ') => rest.to_owned(),
        _ => line.to_owned(),
    }
}

/// The flowchart one sentence draws: its parts between arrows as nodes (what it says in
/// parentheses left out), each arrow from the part before it to the part after, or back for
/// an arrow that points back. `None` when it draws no arrow.
fn chain(sentence: &str, unit: Option<&str>) -> Option<Flowchart> {
    let sentence = without_parentheses(sentence);
    let mut parts = Vec::new();
    let mut heads = Vec::new();
    let mut start = 0;
    let mut chars = sentence.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_arrow_char(c) {
            continue;
        }
        let mut end = at + c.len_utf8();
        while let Some(&(next, c)) = chars.peek().filter(|(_, c)| is_arrow_char(*c)) {
            end = next + c.len_utf8();
            chars.next();
        }
        if let Some(head) = arrow(&sentence[at..end]) {
            parts.push(sentence[start..at].trim());
            heads.push(head);
            start = end;
        }
    }
    if heads.is_empty() {
        return None;
    }
    parts.push(sentence[start..].trim());
    let mut chart = Flowchart::default();
    for (id, part) in parts.iter().enumerate() {
        let label = if id == 0 { after_label(part, unit) } else { part };
        chart.labels.insert(id.to_string(), label.to_owned());
    }
    for (at, head) in heads.into_iter().enumerate() {
        let (before, after) = (at.to_string(), (at + 1).to_string());
        match head {
            Some(true) => chart.arrows.push((before, after)),
            Some(false) => chart.arrows.push((after, before)),
            None => {}
        }
    }
    Some(chart)
}

fn is_arrow_char(c: char) -> bool {
    FORWARD.contains(&c) || BACKWARD.contains(&c) || SHAFTS.contains(&c) || c == '↔'
}

/// Which way a run of arrow characters points: `Some(true)` forward, `Some(false)` back, `None`
/// both ways (`<->`, `↔`), which parts two nodes but draws no arrow between them. A run without
/// a head (`-`, `—`) is no arrow, nor is a lone `>` or `<` (a quote, a comparison).
fn arrow(run: &str) -> Option<Option<bool>> {
    let forward = run.contains(FORWARD);
    let backward = run.contains(BACKWARD);
    if run.contains('↔') || (forward && backward) {
        return Some(None);
    }
    if !(forward || backward) || run == ">" || run == "<" {
        return None;
    }
    Some(Some(forward))
}

/// The first part of a chain without the label before it (`Phase 1` of `Critical path: Phase
/// 1`); a part that opens with its phase (or `unit`) keeps what follows its colon (`Phase 1:
/// Core`).
fn after_label<'p>(part: &'p str, unit: Option<&str>) -> &'p str {
    let of_a_phase = |label: &str| {
        label.split_whitespace().next().is_some_and(is_phase_word)
            || unit.is_some_and(|unit| unit_key(unit, label).is_some())
    };
    match part.rsplit_once(COLONS) {
        Some((label, after)) if !of_a_phase(label) => after.trim(),
        _ => part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each chain's arrows, as the labels of the nodes they join.
    fn drawn(text: &str) -> Vec<Vec<(String, String)>> {
        let charts = arrow_chains(&Outline::parse(text), None);
        let label = |chart: &Flowchart, id: &str| chart.labels[id].clone();
        charts
            .iter()
            .map(|chart| {
                chart.arrows.iter().map(|(from, to)| (label(chart, from), label(chart, to))).collect()
            })
            .collect()
    }

    fn arrows(expected: &[&[(&str, &str)]]) -> Vec<Vec<(String, String)>> {
        let pairs =
            |chain: &[(&str, &str)]| chain.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        expected.iter().map(|chain| pairs(chain)).collect()
    }

    #[test]
    fn lines_of_text_that_chain_phases_draw_their_arrows() {
        let list = "## Dependencies\n\n- Phase 1 → Phase 2 (design fixes must complete first)\n\
                    - **Phase 2** -> Phase 4: the modal is reused\n\
                    - Critical path: Phase 1 ──► Phase 3 ==> Phase 5\n- Phase 6 ◄── Phase 5\n";
        assert_eq!(
            drawn(list),
            arrows(&[
                &[("Phase 1", "Phase 2")],
                &[("Phase 2", "Phase 4: the modal is reused")],
                &[("Phase 1", "Phase 3"), ("Phase 3", "Phase 5")],
                &[("Phase 5", "Phase 6")],
            ])
        );
        let code = "```\nPhase 1: Core → Phase 2: CLI\n2. Phase 2 ⟶ Phase 3 ↔ Phase 4\n```\n";
        assert_eq!(drawn(code), arrows(&[&[("Phase 1: Core", "Phase 2: CLI")], &[("Phase 2", "Phase 3")]]));
        let sentences = "Phase 1 → Phase 2. Then Phase 3 → Phase 4.\n";
        assert_eq!(drawn(sentences), arrows(&[&[("Phase 1", "Phase 2")], &[("Then Phase 3", "Phase 4.")]]));
    }

    #[test]
    fn a_chain_that_opens_with_the_plans_unit_keeps_what_follows_its_colon() {
        let labels = |unit| {
            let chart = chain("Task 1: Schema → Task 2", unit).unwrap();
            chart.labels.values().cloned().collect::<Vec<_>>()
        };
        assert_eq!(labels(Some("task")), ["Task 1: Schema", "Task 2"]);
        // In a plan of phases, `Task 1` is the label of a chain of what follows it.
        assert_eq!(labels(None), ["Schema", "Task 2"]);
    }

    #[test]
    fn what_is_not_an_arrow_or_not_a_chain_of_one_line_draws_nothing() {
        for text in [
            "- Phase 1 - Setup — the base\n- Phase 2 > Phase 1 in size; x < y\n",
            "## Phase 1 → Phase 2 transition\n",
            "| Gate | Proceed if |\n|---|---|\n| Phase 1 → Phase 2 | 42% usable |\n",
            "```rust\n// Phase 1 -> Phase 2: fade in\n```\n",
            "```\nPhase 1 ──┬──► Phase 2\n          └──► Phase 3\n```\n",
            "```\nPhase 1 → Phase 2\n   ↓\nPhase 3 → Phase 4\n```\n",
            "```\nPhase 1 -> Phase 2\n   v\nPhase 3 -> Phase 4\n```\n",
            "```mermaid\nflowchart LR\n  A[Phase 1] --> B[Phase 2]\n```\n",
        ] {
            assert!(drawn(text).is_empty(), "{text}");
        }
    }
}
