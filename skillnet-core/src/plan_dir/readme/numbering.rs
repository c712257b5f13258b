//! How rows are numbered, and how a text names a phase by its number.

use std::collections::{BTreeMap, BTreeSet};

use super::Row;
use crate::plan_dir::PlanDirError;

/// Gives each row its ordinal: the number it holds; in table order when no row holds one
/// (lettered phases in lettered files), or when each row has a numbering text of its own but
/// rows share a number (sub-phases `04`, `04b`, `04.1`, steps `1-test`, `1-impl`) or only some
/// rows hold one (`PR-A`, `PR-N1`): then `renumbered`, and other rows name them by that text.
/// Otherwise rows that share a number are an error, as is a row without a number among rows
/// with one.
pub(super) fn number_rows(
    mut rows: Vec<(Option<i64>, Row)>,
    origin: &str,
) -> Result<(Vec<Row>, bool), PlanDirError> {
    name_steps_by_their_cells(&mut rows);
    let unnumbered = rows.iter().all(|(ordinal, _)| ordinal.is_none());
    let numbers: Vec<i64> = rows.iter().filter_map(|(ordinal, _)| *ordinal).collect();
    let shared_number = numbers.iter().collect::<BTreeSet<_>>().len() < numbers.len();
    let partly_numbered = numbers.len() < rows.len();
    let keys: BTreeSet<&str> = rows.iter().map(|(_, row)| row.key.as_str()).collect();
    let own_keys = keys.len() == rows.len() && !keys.contains("");
    let renumbered = !unnumbered && (shared_number || partly_numbered) && own_keys;
    let mut seen: BTreeMap<i64, (Option<usize>, String)> = BTreeMap::new();
    let mut numbered = Vec::with_capacity(rows.len());
    for (position, (ordinal, mut row)) in (1..).zip(rows) {
        let ordinal = if unnumbered || renumbered { Some(position) } else { ordinal };
        let Some(ordinal) = ordinal else {
            return Err(PlanDirError::malformed(
                origin,
                row.line,
                match row.target.is_empty() {
                    true => format!(
                        "cannot tell the phase number of the row `{}`: its Phase cell holds none, and it names no phase file",
                        row.label
                    ),
                    false => format!(
                        "cannot tell the phase number of the row for `{}`: neither the Phase cell nor the file name holds one",
                        row.target
                    ),
                },
            ));
        };
        if let Some((first_line, first_target)) = seen.insert(ordinal, (row.line, row.target.clone())) {
            let both = match (first_line, row.line) {
                (Some(first), Some(line)) => format!("rows at lines {first} and {line}"),
                _ => format!("`{first_target}` and `{}`", row.target),
            };
            return Err(PlanDirError::malformed(
                origin,
                row.line,
                format!("duplicate phase ordinal {ordinal} ({both})"),
            ));
        }
        row.ordinal = ordinal;
        numbered.push(row);
    }
    Ok((numbered, renumbered))
}

/// Rows whose numbering texts give one key but whose Phase cells are each one word of their own
/// (the steps `1-test`, `1-review`, `1-impl` of phase 1) are named by those cells instead.
fn name_steps_by_their_cells(rows: &mut [(Option<i64>, Row)]) {
    let mut keys: Vec<&str> = rows.iter().map(|(_, row)| row.key.as_str()).collect();
    keys.sort_unstable();
    let shared: Vec<String> = keys.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0].to_owned()).collect();
    if shared.is_empty() {
        return;
    }
    // One word, its number followed by a hyphen or underscore and a word (`1-test`, `2_impl`).
    let is_step = |label: &str| {
        let after_number = label
            .find(|c: char| c.is_ascii_digit())
            .map(|at| label[at..].trim_start_matches(|c: char| c.is_ascii_digit()));
        let word = after_number.and_then(|rest| rest.strip_prefix(['-', '_']));
        !label.contains(char::is_whitespace)
            && word.is_some_and(|word| word.starts_with(|c: char| c.is_alphabetic()))
    };
    for (_, row) in rows.iter_mut() {
        if shared.contains(&row.key) && is_step(&row.label) {
            row.key = row.label.to_lowercase();
        }
    }
}

/// The first integer in `text`, when it has one that fits.
pub fn first_integer(text: &str) -> Option<i64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    (digits.len() <= 9).then(|| digits.parse().ok()).flatten()
}

/// The normal form of the word that numbers a phase in a text, as references to it are
/// compared: the word holding the text's first digit (`05a` of `05a Zip channels`), lower
/// case, without a `phase`, `p` or `#` prefix or the leading zeros of its number (`Phase 04B`,
/// `4b` and `04b-ingestion.md` all give `4b`). A text without a digit is only lower-cased and
/// loses its spaces.
pub fn reference_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let Some(digit) = lower.find(|c: char| c.is_ascii_digit()) else {
        return lower.chars().filter(|c| !c.is_whitespace()).collect();
    };
    let start = lower[..digit]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphabetic() || c == '#'))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let end = lower[digit..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .map_or(lower.len(), |n| digit + n);
    let word = lower[start..end].trim_end_matches('.');
    let mut number = ["phase", "p", "#"]
        .iter()
        .find_map(|p| word.strip_prefix(p).filter(|r| r.starts_with(|c: char| c.is_ascii_digit())))
        .unwrap_or(word);
    while number.starts_with('0') && number[1..].starts_with(|c: char| c.is_ascii_digit()) {
        number = &number[1..];
    }
    number.to_owned()
}

/// Whether a word is one phase number: digits, then maybe a letter and a dotted part (`04`,
/// `1A`, `2.1`).
pub fn is_phase_number(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(|c: char| c.is_ascii_alphabetic()).unwrap_or(rest);
    let rest =
        rest.strip_prefix('.').map_or(rest, |dotted| dotted.trim_start_matches(|c: char| c.is_ascii_digit()));
    word.starts_with(|c: char| c.is_ascii_digit()) && rest.is_empty()
}

/// Whether a word is a phase number ([`is_phase_number`]) or a range of them (`3-4`, `04–05b`).
pub fn is_phase_reference(word: &str) -> bool {
    match word.split_once(['-', '–']) {
        Some((low, high)) => is_phase_number(low) && is_phase_number(high),
        None => is_phase_number(word),
    }
}

/// The number of a phase written in Chinese with its ordinal before the word (`第一阶段`,
/// `第12阶段`) or in numerals after it (`阶段二`, `阶段 二十一`); numerals read from 1 to 99.
pub fn chinese_phase_number(text: &str) -> Option<i64> {
    if let Some(rest) = text.strip_prefix('第') {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (number, rest) = match digits {
            0 => chinese_numeral(rest)?,
            _ => (rest[..digits].parse().ok()?, &rest[digits..]),
        };
        return rest.starts_with("阶段").then_some(number);
    }
    chinese_numeral(text.strip_prefix("阶段")?.trim_start()).map(|(number, _)| number)
}

/// The number from 1 to 99 that `text` opens with in Chinese numerals (`一`, `十二`, `二十一`),
/// and the text after it.
fn chinese_numeral(text: &str) -> Option<(i64, &str)> {
    let digit =
        |c: char| "一二三四五六七八九".find(c).map(|at| at as i64 / 3 + 1).or((c == '两').then_some(2));
    let mut chars = text.char_indices().peekable();
    let (mut tens, mut units) = (0, 0);
    while let Some(&(_, c)) = chars.peek() {
        match (c, digit(c)) {
            ('十', _) if tens == 0 => (tens, units) = (units.max(1) * 10, 0),
            (_, Some(d)) if units == 0 => units = d,
            _ => break,
        }
        chars.next();
    }
    let end = chars.peek().map_or(text.len(), |&(at, _)| at);
    let value = tens + units;
    (1..100).contains(&value).then_some((value, &text[end..]))
}

/// The words for a phase in the languages plans are written in, lower case, that a heading or a
/// dependency opens with before the phase's number (`Phase 2`, `Fase 2`, `Étape 2`, `Этап 2`,
/// `阶段 2`, `フェーズ2`).
const PHASE_WORDS: [&str; 8] = ["phase", "fase", "étape", "этап", "etap", "阶段", "フェーズ", "단계"];

/// Whether `word` is a word for a phase ([`PHASE_WORDS`]), in any case, or its plural (`Phases`,
/// `Fases`, `Étapes`, `Этапы`).
pub fn is_phase_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let singular = lower.strip_suffix(['s', 'ы']).unwrap_or(&lower);
    PHASE_WORDS.contains(&lower.as_str()) || PHASE_WORDS.contains(&singular)
}

/// The text after the word for a phase that `text` opens with ([`PHASE_WORDS`], in any case:
/// `2: CLI` of `Phase 2: CLI`, `1：准备` of `阶段 1：准备`), without the white space before it.
pub fn after_phase_word(text: &str) -> Option<&str> {
    let after = |word: &str| {
        let head = text.get(..word.len()).filter(|head| head.to_lowercase() == word)?;
        Some(&text[head.len()..])
    };
    PHASE_WORDS.into_iter().find_map(after).map(str::trim_start)
}

/// The phase numbers a text opens with after `Phase` or `Phases` (`3-4, 6` of `Phases 3-4, 6
/// and 7: the stores`; `阶段`, `フェーズ` and `단계` too: `1、2` of `阶段 1、2`), up to the first
/// other word, the word for a phase said again between them (`1, 2` of `Phase 1, Phase 2`); a
/// number in the possessive names its phase (`1` of `Phase 1's API`).
pub fn phases_named_first(text: &str) -> Option<String> {
    numbers_named_first(text, None)
}

/// The phase numbers a text opens with ([`phases_named_first`]), or, in a plan whose phases are
/// numbered by the words of `unit` instead ([`after_unit`]: `task group`), those it opens with
/// after them (`1, 2` of `Task Groups 1 and 2`, `Task Group 1, Task Group 2`); milestones by
/// their ids too (`1, 2` of `M1, M2`).
pub fn numbers_named_first(text: &str, unit: Option<&str>) -> Option<String> {
    let text = text.trim_start();
    let first_word = text.split([' ', ',']).next().unwrap_or_default();
    let rest = match unit.and_then(|unit| after_unit(text, unit)) {
        Some(rest) => rest,
        None if milestone_id(first_word, unit).is_some() => text,
        None => {
            let (first, rest) = text.split_once(char::is_whitespace)?;
            if !is_phase_word(first) {
                return None;
            }
            rest
        }
    };
    // A word of the unit said again (`Task`, `Group`, `Groups`).
    let unit_word = |word: &str| {
        unit.is_some_and(|unit| {
            let lower = word.to_lowercase();
            let singular = lower.strip_suffix('s').unwrap_or(&lower);
            unit.split(' ').any(|part| part == singular)
        })
    };
    let words = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | '(' | '（'))
        .filter(|word| !word.is_empty())
        .map(|word| word.trim_end_matches([',', ':', ';', '.', '：']))
        .map(|word| word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word))
        .map(|word| milestone_id(word, unit).unwrap_or(word));
    let numbers: Vec<&str> = words
        .take_while(|word| {
            is_phase_reference(word) || is_and_word(word) || is_phase_word(word) || unit_word(word)
        })
        .filter(|word| is_phase_reference(word))
        .collect();
    (!numbers.is_empty()).then(|| numbers.join(", "))
}

/// The unit of [`OTHER_UNITS`] that a plan may number by ids (`M2`) and by paragraphs
/// (`Milestone 2 adds ...`), as well as by headings.
pub(super) const MILESTONE: &str = "milestone";

/// The number of a milestone's id (`2` of `M2`), in a plan of milestones (`unit`).
fn milestone_id<'w>(word: &'w str, unit: Option<&str>) -> Option<&'w str> {
    let number = word.strip_prefix(['M', 'm']).filter(|_| unit == Some(MILESTONE))?;
    Some(number).filter(|number| is_phase_reference(number))
}

/// What a plan whose headings name no phase may number its phases by instead: Agent OS's task
/// groups (`#### Task Group 2: API Layer`), stages (`## Stage 2: Core Features`), milestones,
/// epics (`## Epic 2: Departments`), steps (`### Step 02.1 — Add the icon`) or tasks (`### Task
/// 3: Docs`, `- [ ] Task 3: Docs`).
pub const OTHER_UNITS: [&str; 6] = ["task group", "stage", MILESTONE, "epic", "step", "task"];

/// The key ([`reference_key`]) of the `unit` a title numbers after its words (`2` of `Task Group
/// 2: API Layer` for `task group`, of `Task #2: Import` for `task`), after any symbols; `None`
/// when it numbers none.
pub fn unit_key(unit: &str, title: &str) -> Option<String> {
    let title = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    let rest = after_unit(title, unit)?;
    let number = rest.strip_prefix('#').unwrap_or(rest);
    number.starts_with(|c: char| c.is_ascii_digit()).then(|| reference_key(title))
}

/// The text after the words of `unit` that `text` opens with, in any case and the last in the
/// plural too (`1 and 2` of `Task Groups 1 and 2` for `task group`; `#2: Docs` of `TASK #2:
/// Docs` for `task`), without the white space after them; `None` when another word goes on
/// where they end (`Taskforce`).
pub fn after_unit<'t>(text: &'t str, unit: &str) -> Option<&'t str> {
    let head = text.get(..unit.len()).filter(|head| head.eq_ignore_ascii_case(unit))?;
    let rest = &text[head.len()..];
    let rest = rest.strip_prefix(['s', 'S']).unwrap_or(rest);
    (!rest.starts_with(char::is_alphanumeric)).then(|| rest.trim_start())
}

/// Whether `word` says "and" between two phases in a list of them (`2 and 3`, `2 y 3`, `2 et
/// 3`, `2 und 3`, `2 & 3`), in the languages of [`PHASE_WORDS`].
pub fn is_and_word(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "and" | "&" | "y" | "e" | "et" | "und" | "en" | "i" | "и" | "和" | "及"
    )
}
