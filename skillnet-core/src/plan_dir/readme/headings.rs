//! Phases the README's headings name, each its section of the README or the file the heading
//! links.

use super::numbering::{
    after_phase_word, chinese_phase_number, first_integer, reference_key, unit_key, MILESTONE, OTHER_UNITS,
};
use super::task_order::checked;
use super::Row;
use crate::plan_dir::columns::is_phase_file_target;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::{links_as_their_text, plain_text, BlockKind, Outline};
use crate::plan_dir::paths::link_target;
use crate::plan_dir::structure::README;

/// The README's headings that name a phase (`## Phase 1: Core`, `### Phase 2 — CLI`), at the
/// level of the first one, one row each: the phase is its section of the README, named by the
/// anchor of what the heading names ([`name_anchor`]: `Phase 2: CLI [COMPLETED]` is
/// `phase-2-cli`), and numbered by the heading's number. Numbered headings alone (`## 1.
/// Overview`) are a document's outline, not phases.
pub(super) fn heading_rows(outline: &Outline) -> Vec<(Option<i64>, Row)> {
    rows_headed(outline, |_, title| phase_heading_key(title))
}

/// The README's headings that number one of [`OTHER_UNITS`] (`#### Task Group 1: Migration`,
/// `### Task #2: Import`), or milestones by their ids under a heading that names milestones
/// ([`milestone_id_key`]: `## Milestones` over `### M1 — Labeling`), as [`heading_rows`] reads
/// those that name phases, with the unit: the unit of the highest such headings (tasks over the
/// steps within each), the first of [`OTHER_UNITS`] among units at one level; `None` when no
/// heading numbers any.
pub(super) fn unit_heading_rows(outline: &Outline) -> Option<(&'static str, HeadedRows)> {
    let key = |unit: &str, index: usize, title: &str| {
        let by_id = || match unit == MILESTONE {
            true => milestone_id_key(title).filter(|_| under_milestones(outline, index)),
            false => None,
        };
        unit_key(unit, title).or_else(by_id)
    };
    let highest = |unit: &str| {
        let headings = outline.headings.iter().enumerate().filter(|(_, h)| h.level >= 2);
        let numbered = headings.filter(|&(index, h)| key(unit, index, &h.title).is_some());
        numbered.map(|(_, h)| h.level).min()
    };
    let levels = OTHER_UNITS.into_iter().filter_map(|unit| Some((highest(unit)?, unit)));
    // The first unit of the highest level: `min_by_key` keeps the first of equals.
    let (_, unit) = levels.min_by_key(|&(level, _)| level)?;
    Some((unit, rows_headed(outline, |index, title| key(unit, index, title))))
}

/// The key of the milestone a title numbers by its id (`2` of `M2: Recovery`, `M02 — Label
/// worker`, `M2 ✅`): an `M` and a number, then the end, white space or punctuation; `None` for
/// any other title (`M2M`, `Mobile`).
fn milestone_id_key(title: &str) -> Option<String> {
    let rest = title.trim_start().strip_prefix(['M', 'm'])?;
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let ends = !rest[digits..].starts_with(|c: char| c.is_alphanumeric() || c == '.');
    (digits > 0 && ends).then(|| reference_key(&rest[..digits]))
}

/// Whether the heading at `index` lies in a section whose heading names milestones
/// (`## Milestones`, `## Milestone Roadmap`, `### Implementation Milestones (M1-M7)`).
fn under_milestones(outline: &Outline, index: usize) -> bool {
    let level = outline.headings[index].level;
    let parent = outline.headings[..index].iter().rev().find(|h| h.level < level);
    parent.is_some_and(|h| h.title.to_lowercase().contains(MILESTONE))
}

/// The rows of a README's headings, each with the number its heading holds.
pub(super) type HeadedRows = Vec<(Option<i64>, Row)>;

/// One row for each heading `key` gives a key (from its index among the headings and its
/// title), at the level of the first one.
fn rows_headed(outline: &Outline, key: impl Fn(usize, &str) -> Option<String>) -> HeadedRows {
    let headings = outline.headings.iter().enumerate();
    let mut phases = headings.filter(|&(index, h)| h.level >= 2 && key(index, &h.title).is_some()).peekable();
    let Some(level) = phases.peek().map(|(_, h)| h.level) else {
        return Vec::new();
    };
    let rows = phases.filter(|(_, h)| h.level == level).map(|(index, heading)| {
        // A heading that links the phase's file (`### [Phase 1: Schema](phase-01-schema.md)`)
        // names it; any other phase is the README's section under the heading.
        let file = heading.link.as_deref().map(link_target).filter(|target| is_phase_file_target(target));
        let title = links_as_their_text(&heading.title).into_owned();
        let key = key(index, &title).unwrap_or_default();
        // The key's number, when it has one (`第一阶段：基础架构 (2周)` is 1, not 2).
        let number = first_integer(&key).or_else(|| first_integer(&title));
        let (target, anchor) = match file {
            Some(file) => (file, String::new()),
            None => (README.to_owned(), name_anchor(&title)),
        };
        let row = Row {
            line: Some(outline.line_of(heading.start)),
            label: title,
            key,
            target,
            anchor,
            ..Row::default()
        };
        (number, row)
    });
    rows.collect()
}

/// The key ([`reference_key`]) of the phase a heading names: a word for a phase
/// ([`after_phase_word`]: `Phase`, `Fase`, `Étape`, `Этап`, `阶段`, ...) and a number (`## Phase
/// 1: Core`, `Phase 2a`, `阶段 1：准备`), a phase numbered in Chinese numerals (`第一阶段：基础架构`,
/// `阶段二`: `1`, `2`), or a capital letter or Roman numeral standing alone (`## Phase A —
/// Helper`, `Phase II: CLI`, named `a` and `ii`); `None` for any other heading (`Phase overview`,
/// `阶段总览`).
fn phase_heading_key(title: &str) -> Option<String> {
    let title = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    if let Some(number) = chinese_phase_number(title) {
        return Some(number.to_string());
    }
    let rest = after_phase_word(title)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(reference_key(title));
    }
    let word = rest.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
    let lettered = word.len() == 1 && word.starts_with(|c: char| c.is_ascii_uppercase());
    let roman = word.len() > 1 && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    (lettered || roman).then(|| word.to_ascii_lowercase())
}

/// The README's numbered headings over checklists, as OpenSpec writes a change's `tasks.md`
/// (`## 1. Implementation` over `- [ ] 1.1 Add the serializer`, then `## 2. Testing`), at the
/// level of the first one, one row each: named by the anchor of its title after its number
/// (`implementation`), its own text its section ([`Row::own_text`]). `None` without such
/// sections, or when their numbers do not go up; a numbered heading with no checklist under it
/// (`## 3. Dependencies`, `## 1. Overview`) is none of them.
pub(super) fn checklist_section_rows(outline: &Outline, text_len: usize) -> Option<HeadedRows> {
    let has_checklist = |index: usize| {
        let items = outline.blocks_in(outline.body(index)).filter(|b| b.kind == BlockKind::Item);
        items.into_iter().any(|item| checked(&plain_text(&item.pieces)).is_some())
    };
    let headings = outline.headings.iter().enumerate().filter(|(_, h)| h.level >= 2);
    let sections: Vec<(usize, u32, &str)> = headings
        .filter_map(|(index, h)| Some((index, numbered_title(&h.title)?)))
        .filter(|&(index, _)| has_checklist(index))
        .map(|(index, (number, name))| (index, number, name))
        .collect();
    let level = outline.headings[sections.first()?.0].level;
    let sections: Vec<_> =
        sections.into_iter().filter(|&(index, ..)| outline.headings[index].level == level).collect();
    if sections.windows(2).any(|pair| pair[0].1 >= pair[1].1) {
        return None;
    }
    let rows = sections.into_iter().map(|(index, number, name)| {
        let heading = &outline.headings[index];
        let row = Row {
            line: Some(outline.line_of(heading.start)),
            label: heading.title.clone(),
            key: number.to_string(),
            anchor: name_anchor(name),
            own_text: heading.start..outline.body(index).end.min(text_len),
            ..Row::default()
        };
        (Some(i64::from(number)), row)
    });
    Some(rows.collect())
}

/// A title's number and what it names after it (`1` and `Implementation` of `1.
/// Implementation`); `None` for a title that does not open with a number and a dot.
fn numbered_title(title: &str) -> Option<(u32, &str)> {
    let (number, name) = title.split_once(char::is_whitespace)?;
    let number =
        number.strip_suffix('.').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))?;
    let name = name.trim();
    Some((number.parse().ok()?, name)).filter(|_| !name.is_empty())
}
