//! What a heading names for good: its title without the status it reports, which its author
//! changes as the work goes on (`### Phase 2: CLI [NOT STARTED]`, later `[COMPLETED]`), so that
//! a phase named by its heading keeps its slug from the day the plan is written to the day it
//! is done.

use super::markdown::heading_anchor;
use super::readme::is_phase_word;

/// The words of a status a heading reports, alone or before a date (in Chinese, Japanese and
/// Korean too: `已完成`, `未着手`, `완료`).
const STATUSES: [&str; 45] = [
    "done",
    "complete",
    "completed",
    "finished",
    "in progress",
    "wip",
    "not started",
    "not yet started",
    "pending",
    "todo",
    "to do",
    "blocked",
    "skipped",
    "deferred",
    "partial",
    "started",
    "ongoing",
    "ready",
    "shipped",
    "merged",
    "verified",
    "superseded",
    "cancelled",
    "canceled",
    "abandoned",
    "paused",
    "planned",
    "in review",
    "next",
    "current",
    "已完成",
    "完成",
    "进行中",
    "待实施",
    "未开始",
    "待开始",
    "待办",
    "已跳过",
    "阻塞",
    "完了",
    "未着手",
    "進行中",
    "완료",
    "진행 중",
    "대기",
];

/// `title` without the status it reports: status marks and emoji at its end (`✅`, `🚧`), a
/// group in brackets at its end (`[NOT STARTED]`, `(✅ COMPLETED - 2026-02-06)`, and, after a
/// title that names something, any other: `(Weeks 3-5)`, `(5 pts)`), a status after a dash or
/// colon at its end (`— DONE`), and everything from a status mark that follows a name
/// (`✅ COMPLETED`), after which what ends the rest goes as it would at the end (`(Priority: P1)`
/// of `Index (Priority: P1) 🎯 MVP`). A title that is only a phase and a bracketed name keeps
/// it: `Phase 1 (Setup)`.
pub fn heading_name(title: &str) -> &str {
    let mut name = title.trim_end();
    loop {
        let before = name;
        name = name.trim_end_matches(|c: char| is_status_mark(c) || c.is_whitespace());
        if let Some(open) = trailing_group(name) {
            let (head, group) = name.split_at(open);
            let inside = group.char_indices().nth(1).map_or("", |(at, _)| &group[at..]);
            let inside = inside.char_indices().next_back().map_or("", |(at, _)| &inside[..at]);
            if names_something(head) || is_status(inside) {
                name = head.trim_end();
            }
        }
        if let Some((head, separator, tail)) = after_last_separator(name) {
            // After a colon, a status needs a name before it: `Phase 1: Done` names its phase.
            let named = separator != ": " || names_something(head);
            if named && is_status(tail) && tail.contains(char::is_alphabetic) {
                name = head.trim_end();
            }
        }
        if name == before {
            break;
        }
    }
    let mark = name.char_indices().find(|&(at, c)| is_status_mark(c) && names_something(&name[..at]));
    match mark {
        // What is left is a title of its own, read again: `(Priority: P1)` of `Index
        // (Priority: P1) 🎯 MVP` is at its end now.
        Some((at, _)) => heading_name(&name[..at]),
        None => name,
    }
}

/// The anchor of `title`'s [`heading_name`]: GitHub's anchor of it, each run of `-` as one and
/// none at either end (`Phase A — Helper ✅` is `phase-a-helper`).
pub fn name_anchor(title: &str) -> String {
    let anchor = heading_anchor(heading_name(title));
    let mut collapsed = String::with_capacity(anchor.len());
    for part in anchor.split('-').filter(|part| !part.is_empty()) {
        if !collapsed.is_empty() {
            collapsed.push('-');
        }
        collapsed.push_str(part);
    }
    collapsed
}

/// A mark that reports a state rather than names anything: a check mark, a box, a symbol or an
/// emoji (arrows are not among them: `SQLite → PostgreSQL` names both).
fn is_status_mark(c: char) -> bool {
    matches!(c,
        '\u{2300}'..='\u{23FF}' | '\u{25A0}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}'
        | '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}' | '\u{200D}')
}

/// Whether `head` names something beyond a phase and its number: three words or more (`Phase
/// 2: Lexer`, `Phase A — Helper`), where `Phase 1` has two; or two when the first is the phase
/// and its number in one word, as Chinese writes them (`第一阶段：基础架构`).
fn names_something(head: &str) -> bool {
    let mut words = head.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty());
    let first_whole = words.next().is_some_and(|first| !first.is_ascii() && !is_phase_word(first));
    words.nth(if first_whole { 0 } else { 1 }).is_some()
}

/// Whether `text` is a status: its words one of [`STATUSES`] (any case), with marks, numbers
/// and dates beside them (`✅ COMPLETED - 2026-02-06`), or no words at all (`✅`, `2026-02-06`).
fn is_status(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.is_empty() || STATUSES.contains(&words.join(" ").as_str())
}

/// Where the group in brackets that ends `text` opens (`(…)`, `[…]`, `（…）` or `【…】`, nested
/// ones inside it).
fn trailing_group(text: &str) -> Option<usize> {
    let close = text.chars().next_back()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        '）' => '（',
        '】' => '【',
        _ => return None,
    };
    let mut depth = 0;
    for (at, c) in text.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// `text` split at its last dash or colon that separates (`Docs — DONE`, `Docs - done`, `Docs:
/// done`; not the hyphen of `Wire-up`): the text before it, the separator, the text after it.
fn after_last_separator(text: &str) -> Option<(&str, &'static str, &str)> {
    ["—", "–", " - ", ": ", " | ", " · "]
        .into_iter()
        .filter_map(|separator| text.rfind(separator).map(|at| (at, separator)))
        .max_by_key(|&(at, _)| at)
        .map(|(at, separator)| (&text[..at], separator, &text[at + separator.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_a_heading_reports_is_not_part_of_its_name() {
        for (title, name) in [
            ("Phase 1: Core [COMPLETED]", "Phase 1: Core"),
            ("Phase 4: Branch Consolidation [NOT STARTED]", "Phase 4: Branch Consolidation"),
            ("Phase 2: OIDC Integration (✅ COMPLETED - 2026-02-06)", "Phase 2: OIDC Integration"),
            ("Phase 2: Script Size Reduction ✅ COMPLETED", "Phase 2: Script Size Reduction"),
            ("Phase 2: Feature Engineering (Weeks 3-5) 🔄", "Phase 2: Feature Engineering"),
            ("Phase 2: API ✅", "Phase 2: API"),
            ("Phase 4: Docs — DONE", "Phase 4: Docs"),
            ("Phase 3: Wire-up - in progress", "Phase 3: Wire-up"),
            ("Phase 1A: Helper (5 pts)", "Phase 1A: Helper"),
            ("Phase 5 [DONE]", "Phase 5"),
            ("Phase 6 ⏳", "Phase 6"),
            ("阶段 2：实现（1-2 天）", "阶段 2：实现"),
            ("阶段 3 【已完成】", "阶段 3"),
            ("第一阶段：基础架构 (2周)", "第一阶段：基础架构"),
            ("阶段二（准备）", "阶段二（准备）"),
            ("阶段 1 (Setup)", "阶段 1 (Setup)"),
            ("阶段 1：重连（地基）✅ 已落（2026-08-25）", "阶段 1：重连"),
            ("Phase 3: User Story 1 - Index (Priority: P1) 🎯 MVP", "Phase 3: User Story 1 - Index"),
        ] {
            assert_eq!(heading_name(title), name, "{title}");
        }
        // A heading keeps its name as its author marks it: what is cut after a mark is what a
        // title without the mark loses too.
        for (before, after) in [
            ("Phase 3: Index (Priority: P1)", "Phase 3: Index (Priority: P1) 🎯 MVP"),
            ("阶段 1：重连（地基）", "阶段 1：重连（地基）✅ 已落（2026-08-25）"),
        ] {
            assert_eq!(heading_name(before), heading_name(after), "{after}");
        }
    }

    #[test]
    fn what_names_the_phase_stays() {
        for title in [
            "Phase 1 (Setup)",
            "Phase 3: SQLite → PostgreSQL",
            "Phase 2: Wire-up",
            "Phase 5: Follow-up",
            "Phase 2: Pre-merged",
            "Phase 1: Done",
            "Phase 3: Make it complete",
            "Phase 2: Verified builds",
        ] {
            assert_eq!(heading_name(title), title);
        }
        // A mark before the name is no status; the anchor drops it.
        assert_eq!(name_anchor("Phase 2: 🚀 Launch"), "phase-2-launch");
    }

    #[test]
    fn the_name_anchor_has_no_runs_of_dashes_and_none_at_its_ends() {
        assert_eq!(name_anchor("Phase A — Shared helper"), "phase-a-shared-helper");
        assert_eq!(name_anchor("Phase 2: CLI [NOT STARTED]"), "phase-2-cli");
        assert_eq!(name_anchor("Phase 2: CLI"), "phase-2-cli");
        assert_eq!(name_anchor("1b. Storage"), "1b-storage");
    }
}
