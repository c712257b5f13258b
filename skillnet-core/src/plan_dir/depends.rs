//! What a Depends on cell names: phase numbers, ranges, labels, `all`.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::columns::is_phase_file_target;
use super::markdown::{text_with_links, without_parentheses, Piece, COMMAS};
use super::mermaid::Flowchart;
use super::paths::{is_slashed_prose, link_target};
use super::readme::{
    after_phase_word, after_unit, chinese_phase_number, entry_number, first_integer, is_phase_word,
    reference_key, About, Row, Statement,
};

/// What the Depends on cells of a phase table can name: its rows' labels and ordinals.
#[derive(Debug, Clone)]
pub struct PhaseRefs<'a> {
    rows: &'a [Row],
    /// Each row's label (its Phase cell), lower case, with the row's ordinal.
    labels: BTreeMap<String, i64>,
    /// Each row's numbering text ([`reference_key`]) with its ordinal: `d1` names the row
    /// `D1: Storage Engine`.
    keys: BTreeMap<String, i64>,
    /// Each row's phase name: its file's name without its number (`foundation` for
    /// `01-foundation.md`, `docs` for `03-docs/`), lower case, with its ordinal. A clause made
    /// only of references may use them (`foundation, external`); read from the rows when a
    /// word first names no row otherwise.
    names: OnceCell<BTreeMap<String, i64>>,
    /// Each row's file name (`0010-scaffold.md` for `phases/0010-scaffold.md`), or folder name
    /// for a folder or its `README.md` (`0030-stop`), lower case, with its ordinal: what a link
    /// to the file names ([`dependency_text`]). Read from the rows when first asked.
    files: OnceCell<BTreeMap<String, i64>>,
    /// Each titled row's title ([`title_of`]) with its ordinal. Read from the rows when first
    /// asked.
    titles: OnceCell<Vec<(String, i64)>>,
    /// Whether the table is renumbered: then references name rows by their numbering text
    /// only, and a number no row has stays a hidden prerequisite.
    renumbered: bool,
    ordinals: Vec<i64>,
    /// The words the plan numbers its phases by when they are not a phase's (`task`), which
    /// name a phase in a flowchart's node as `Phase` does ([`Self::numbered_by`]).
    unit: Option<&'a str>,
}

/// The phrases that say what a phase depends on, in a README row or a phase file (`Depends
/// only on: 02`, `Blocked by: 03`, `Blocked on Phase 1`), lower case.
pub(super) const SAYINGS: [&str; 4] = ["depends on", "depends only on", "blocked by", "blocked on"];

/// Where a reference to a number no row of a renumbered table has goes: past every row, so it
/// stays a hidden prerequisite.
const UNLISTED: i64 = 1_000_000_000;

impl<'a> PhaseRefs<'a> {
    /// The references the rows of one table define (`renumbered`: see [`Readme::renumbered`]).
    ///
    /// [`Readme::renumbered`]: super::readme::Readme::renumbered
    pub fn of(rows: &'a [Row], renumbered: bool) -> Self {
        let labels = rows.iter().filter(|r| !r.label.is_empty()).map(|r| (r.label.to_lowercase(), r.ordinal));
        let keys = rows.iter().filter(|r| !r.key.is_empty()).map(|r| (r.key.clone(), r.ordinal)).collect();
        Self {
            rows,
            labels: labels.collect(),
            keys,
            names: OnceCell::new(),
            files: OnceCell::new(),
            titles: OnceCell::new(),
            renumbered,
            ordinals: rows.iter().map(|r| r.ordinal).collect(),
            unit: None,
        }
    }

    /// The same references, in a plan whose phases are numbered by the words of `unit` (see
    /// [`Readme::unit`]): then a flowchart's node names its phase by them (`Task 2`).
    ///
    /// [`Readme::unit`]: super::readme::Readme::unit
    pub fn numbered_by(self, unit: Option<&'a str>) -> Self {
        Self { unit, ..self }
    }

    /// The phase a name names, if one row alone has it.
    fn named(&self, word: &str) -> Option<i64> {
        // A name several rows share (sections of one file) names none of them.
        let names = self.names.get_or_init(|| names_of_one_row(self.rows, |r| phase_name(&r.target)));
        names.get(&word.to_lowercase()).copied()
    }

    /// The phases the Depends on cell of phase `ordinal` names: references separated by commas (`、`
    /// and `，` too), spaces, semicolons, slashes or `and`; ranges (`01–03`, `1-3`) expanded, up to
    /// the phase itself when they reach it ([`before_itself`]); text in parentheses ignored, and so
    /// is a clause after a semicolon (or a sentence after a full stop) that starts with prose, and
    /// the phase itself in prose; `-`, `—`, `n/a`, `none` mean none, and `all` (`all previous
    /// phases`, `all of the above`, ...) every phase numbered below it. A reference is a number
    /// (`02`, `Phase 2`, `#2`, `02.1` is 2), the text that numbers a row (`D1` for `D1: Storage
    /// Engine`) or the label of a row (`A` when the Phase cell says `A`); in a clause of nothing
    /// but references, also a phase's name (`foundation` for `01-foundation.md`). Sorted, without
    /// repeats.
    pub fn depends_on(&self, text: &str, ordinal: i64) -> Vec<i64> {
        let without_parens = without_parentheses(text);
        let lower = without_parens.trim().to_lowercase();
        if matches!(lower.as_str(), "" | "-" | "—" | "–" | "n/a" | "na" | "none") {
            return Vec::new();
        }
        if means_every_earlier_phase(&lower) {
            let mut earlier: Vec<i64> = self.ordinals.iter().copied().filter(|&o| o < ordinal).collect();
            earlier.sort_unstable();
            earlier.dedup();
            return earlier;
        }
        // Spaced range dashes join their ends: `01 – 03` reads as `01–03`.
        let joined = without_parens.replace(" – ", "–").replace(" — ", "—").replace(" - ", "-");
        let mut refs = Vec::new();
        // Clauses end at semicolons and sentences at a full stop and a space (or an ideographic
        // full stop, as Chinese and Japanese write them: `1；可与 3 并行`).
        let clauses =
            joined.split([';', '；']).flat_map(|clause| clause.split(". ")).flat_map(|s| s.split('。'));
        for (index, clause) in clauses.enumerate() {
            let words = clause
                .split(|c: char| c.is_whitespace() || COMMAS.contains(&c) || matches!(c, '&' | '+'))
                .map(|word| word.trim_matches(|c: char| matches!(c, '*' | '_' | '`' | '.' | ':' | '"')))
                .filter(|word| {
                    !word.is_empty() && !word.eq_ignore_ascii_case("and") && !is_slashed_prose(word)
                });
            let mut tokens = words.flat_map(slash_parts).peekable();
            // A later clause that starts with prose is prose: `04C; can overlap 05/06`.
            let starts_with_reference =
                tokens.peek().is_some_and(|first| is_phase_word(first) || self.references(first).is_some());
            if index > 0 && !starts_with_reference {
                continue;
            }
            // Phase names count in a clause of nothing but references (`foundation, external`),
            // not in prose (`01 once the docs are drafted`).
            let mut prose = false;
            let read: Vec<_> = tokens
                .map(|token| match self.references(&token) {
                    Some(found) => (Some(before_itself(found, ordinal)), false),
                    None => {
                        let named = self.named(&token).map(|o| o..=o);
                        prose |= named.is_none() && !is_phase_word(&token);
                        (named, true)
                    }
                })
                .collect();
            let only_references = read.iter().all(|(found, _)| found.is_some());
            // Prose that mentions the phase itself (`approved H0 execution` in phase H0) does
            // not make it depend on itself; a clause of references that names it does.
            let counted = read.into_iter().filter(|(_, by_name)| only_references || !by_name);
            let counted = counted
                .filter_map(|(found, _)| found)
                .filter(|found| !(prose && *found == (ordinal..=ordinal)));
            refs.extend(counted.flatten());
        }
        refs.sort_unstable();
        refs.dedup();
        refs
    }

    /// What the README's flowcharts draw before each phase, by ordinal: an arrow between two
    /// nodes labelled with phases ([`Self::labelled`]) makes the phase it points at depend on
    /// the phase it leaves. Arrows between phases that go round in a circle draw a flow, not an
    /// order: then nothing is drawn.
    pub fn drawn(&self, charts: &[Flowchart]) -> BTreeMap<i64, Vec<i64>> {
        let mut drawn: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for chart in charts {
            let phase = |id: &str| chart.labels.get(id).and_then(|label| self.labelled(label));
            for (from, to) in &chart.arrows {
                match (phase(from), phase(to)) {
                    (Some(from), Some(to)) if from != to => drawn.entry(to).or_default().push(from),
                    _ => {}
                }
            }
        }
        for before in drawn.values_mut() {
            before.sort_unstable();
            before.dedup();
        }
        if goes_round(&drawn) {
            return BTreeMap::new();
        }
        drawn
    }

    /// What the README's sentences say each phase depends on ([`Statement`]), by ordinal: the
    /// phases each names, by reference or by title ([`Self::titled_in`]), for each phase it is
    /// about. Sentences that go round in a circle say nothing, as arrows that do draw nothing.
    pub fn stated(&self, statements: &[Statement]) -> BTreeMap<i64, Vec<i64>> {
        let mut stated: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        let named = |about: &About| match about {
            About::Phases(phases) => self.depends_on(phases, i64::MAX),
            About::Last => self.ordinals.iter().max().copied().into_iter().collect(),
            About::Titled(title) => self.titled_in(title),
            About::From(_) => Vec::new(),
        };
        // `Phase 3+` is about the phases from 3 on that no other statement numbers
        // (`Polish (Final Phase)`, `Polish (Phase 8)`); one about a title adds to it.
        let numbered = statements.iter().filter(|s| matches!(s.about, About::Phases(_) | About::Last));
        let named_alone: Vec<i64> = numbered.flat_map(|s| named(&s.about)).collect();
        for statement in statements {
            let about = match &statement.about {
                About::From(first) => match self.depends_on(first, i64::MAX).first() {
                    Some(&first) => {
                        let later = self.ordinals.iter().copied().filter(|&o| o >= first);
                        later.filter(|o| !named_alone.contains(o)).collect()
                    }
                    None => Vec::new(),
                },
                about => named(about),
            };
            for phase in about.into_iter().filter(|phase| self.ordinals.contains(phase)) {
                let mut before = self.depends_on(&statement.depend_on, phase);
                before.extend(self.titled_in(&statement.object));
                stated.entry(phase).or_default().extend(before.into_iter().filter(|&b| b != phase));
            }
        }
        for before in stated.values_mut() {
            before.sort_unstable();
            before.dedup();
        }
        stated.retain(|_, before| !before.is_empty());
        if goes_round(&stated) {
            return BTreeMap::new();
        }
        stated
    }

    /// The phases `text` names by their titles ([`title_of`]: `Setup` names `Phase 1: Setup
    /// (Shared Infrastructure)`), as whole words in any case; `US3` names the phase titled
    /// `User Story 3`, and the plural of a title's words before its number names every phase
    /// so titled (`all user stories`). Sorted, without repeats.
    fn titled_in(&self, text: &str) -> Vec<i64> {
        let titles = self.titles.get_or_init(|| {
            let titled = self.rows.iter().map(|row| (title_of(&row.label), row.ordinal));
            titled.filter(|(title, _)| !title.is_empty()).collect()
        });
        if titles.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '&'))
            .filter(|word| !word.is_empty())
            .flat_map(|word| {
                let lower = word.to_lowercase();
                // `US3` is spec-kit's short name for User Story 3.
                match lower
                    .strip_prefix("us")
                    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                {
                    Some(number) => vec!["user".to_owned(), "story".to_owned(), number.to_owned()],
                    None => vec![lower],
                }
            })
            .collect();
        let text = format!(" {} ", words.join(" "));
        let mut found = Vec::new();
        for (title, ordinal) in titles {
            if text.contains(&format!(" {title} ")) {
                found.push(*ordinal);
            }
            // `user stories` for `user story 3`.
            let head = title.rsplit_once(' ').filter(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()));
            let plural = head.map(|(head, _)| match head.strip_suffix('y') {
                Some(stem) => format!("{stem}ies"),
                None => format!("{head}s"),
            });
            if plural.is_some_and(|plural| text.contains(&format!(" {plural} "))) {
                found.push(*ordinal);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The phase a flowchart node's label names: `Phase` (or the plan's unit: `Task 2`) and then
    /// a row's numbering text or label (`Phase 1: Core`, `Phase 06A - Docs`, `Phase-B`), after
    /// any symbols (`⏳ Phase 4`). A number no row has (`Phase 1.5` beside a row `1`) names none.
    fn labelled(&self, label: &str) -> Option<i64> {
        let text = label.trim_start_matches(|c: char| !c.is_alphanumeric());
        let by_unit = || self.unit.and_then(|unit| after_unit(text, unit));
        let after = text
            .get(..5)
            .filter(|word| word.eq_ignore_ascii_case("phase"))
            .and(text.get(5..))
            .or_else(by_unit)?;
        let token = after.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '#'));
        let end = token.find(|c: char| !(c.is_alphanumeric() || c == '.')).unwrap_or(token.len());
        let token = token[..end].trim_end_matches('.');
        if token.is_empty() {
            return None;
        }
        let found = self.keys.get(&reference_key(token)).or_else(|| self.labels.get(&token.to_lowercase()));
        let numbered = || match self.renumbered || !token.bytes().all(|b| b.is_ascii_digit()) {
            true => None,
            false => token.parse().ok().filter(|number| self.ordinals.contains(number)),
        };
        found.copied().or_else(numbered)
    }

    /// The phase whose file or folder is named `token` (`0010-scaffold.md`, `0030-stop`), if one
    /// row alone has it.
    fn filed(&self, token: &str) -> Option<i64> {
        let files = self.files.get_or_init(|| names_of_one_row(self.rows, |r| file_name(&r.target)));
        files.get(&token.to_lowercase()).copied()
    }

    /// The phases one token names, if any: a range's every phase (`01–03`), or one reference.
    fn references(&self, token: &str) -> Option<RangeInclusive<i64>> {
        let range = ["–", "—", "..", "-"].iter().find_map(|dash| {
            let (low, high) = token.split_once(dash)?;
            Some((self.reference(low)?, self.reference(high)?))
        });
        match range {
            Some((low, high)) if low <= high && high - low < 1000 => Some(low..=high),
            _ => self.reference(token).map(|one| one..=one),
        }
    }

    /// One phase reference: a row's numbering text (`04b`, `D1`) or label, else a phase numbered
    /// in Chinese (`第一阶段`), else a number after an optional `phase`, `p` or `#` (in a
    /// renumbered table, a number no row has). A lone small letter is a word (`a`), never the
    /// phase lettered so (`A`).
    fn reference(&self, token: &str) -> Option<i64> {
        if token.len() == 1 && token.starts_with(|c: char| c.is_ascii_lowercase()) {
            return None;
        }
        // A file or folder name names its row's phase (a link's, see [`dependency_text`]);
        // another Markdown file names a phase only as a numbered phase file does.
        let file_like = token.contains(['-', '_', '.']);
        if let Some(ordinal) = file_like.then(|| self.filed(token)).flatten() {
            return Some(ordinal);
        }
        let markdown =
            token.len() > 3 && token.get(token.len() - 3..).is_some_and(|e| e.eq_ignore_ascii_case(".md"));
        if markdown {
            let number = entry_number(token)?;
            return Some(if self.renumbered { UNLISTED + number } else { number });
        }
        let key = reference_key(token);
        if let Some(&ordinal) = self.keys.get(&key).or_else(|| self.labels.get(&token.to_lowercase())) {
            return Some(ordinal);
        }
        // A phase numbered in Chinese names the row its number names, as a digit does.
        let number = match chinese_phase_number(token) {
            Some(number) => match self.keys.get(&number.to_string()) {
                Some(&ordinal) => return Some(ordinal),
                None => number,
            },
            None => key.starts_with(|c: char| c.is_ascii_digit()).then(|| first_integer(&key)).flatten()?,
        };
        Some(if self.renumbered { UNLISTED + number } else { number })
    }
}

/// The plain text of a Depends on text's pieces, with the Markdown file each link within the
/// repository points at named before the link's text (`[Scaffold](0010-scaffold.md)` reads
/// `0010-scaffold.md Scaffold`), so that a link names its phase whatever its text says.
pub(super) fn dependency_text(pieces: &[Piece]) -> String {
    text_with_links(pieces, |text, target| {
        let target = link_target(target);
        if !is_phase_file_target(&target) {
            return;
        }
        // After a range's dash (`[01](01-a.md) – [03](03-c.md)`), the file joins it.
        let before = text.trim_end();
        match before.strip_suffix(['–', '—', '-']) {
            Some(low) => {
                let dash = &before[low.len()..];
                *text = format!("{}{dash}", low.trim_end());
            }
            None => text.push(' '),
        }
        text.push_str(&target);
        text.push(' ');
    })
}

/// The phases of a range that come before phase `ordinal`, when the range reaches it: it counts
/// in another numbering (`Phase 00–40 baseline` in phase 01 of a plan that goes on from phase
/// 40), or says "up to here" (`01–03` in phase 03). Any other range, or one phase, as it is.
fn before_itself(range: RangeInclusive<i64>, ordinal: i64) -> RangeInclusive<i64> {
    match range.start() < range.end() && range.contains(&ordinal) {
        true => *range.start()..=ordinal - 1,
        false => range,
    }
}

/// Whether following the phases each phase depends on leads back to where it started.
pub(super) fn goes_round(before: &BTreeMap<i64, Vec<i64>>) -> bool {
    let mut every: BTreeMap<i64, Vec<i64>> = before.clone();
    for &earlier in before.values().flatten() {
        every.entry(earlier).or_default();
    }
    waves(&every).is_err()
}

/// The waves of a dependency graph, each phase (by ordinal) with the phases it depends on, all
/// of them phases of the graph: first the phases that depend on none, then those that depend
/// only on phases of earlier waves, and so on. `Err` with the phases left over (in order) when
/// some depend on each other in a circle.
pub(super) fn waves(deps: &BTreeMap<i64, Vec<i64>>) -> Result<Vec<Vec<i64>>, Vec<i64>> {
    let mut indegree: BTreeMap<i64, usize> = deps.iter().map(|(&o, d)| (o, d.len())).collect();
    let mut waves: Vec<Vec<i64>> = Vec::new();
    let mut wave: Vec<i64> = indegree.iter().filter(|(_, &n)| n == 0).map(|(&o, _)| o).collect();
    let mut done = 0;
    while !wave.is_empty() {
        done += wave.len();
        let mut next = Vec::new();
        for (&child, parents) in deps {
            let finished = parents.iter().filter(|p| wave.contains(p)).count();
            if finished > 0 {
                let n = indegree.get_mut(&child).expect("every phase has an indegree");
                *n -= finished;
                if *n == 0 {
                    next.push(child);
                }
            }
        }
        waves.push(std::mem::replace(&mut wave, next));
    }
    match done == deps.len() {
        true => Ok(waves),
        false => Err(indegree.into_iter().filter(|&(_, n)| n > 0).map(|(o, _)| o).collect()),
    }
}

/// The title of a row's phase, as [`PhaseRefs::titled_in`] reads it: the words of its label
/// after the word for a phase and its number, up to a parenthesis, a spaced dash or a colon,
/// lower case (`setup` of `Phase 1: Setup (Shared Infrastructure)`, `user story 1` of `Phase 3:
/// User Story 1 - Sign in (Priority: P1) 🎯 MVP`); empty for a label without one (`1`).
fn title_of(label: &str) -> String {
    let label = label.trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some(after) = after_phase_word(label) else { return String::new() };
    let after = after.trim_start();
    let number = after.find(|c: char| !(c.is_alphanumeric() || c == '.')).unwrap_or(after.len());
    let title = after[number..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '-' | '—' | '–' | '.'));
    let end = ["(", "（", " - ", " – ", " — ", ":", "："].iter().filter_map(|mark| title.find(mark)).min();
    let words =
        title[..end.unwrap_or(title.len())].split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '&'));
    words.filter(|word| !word.is_empty()).map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// The name each row has by `name`, with its row's ordinal, when no other row has it too.
fn names_of_one_row(rows: &[Row], name: impl Fn(&Row) -> Option<String>) -> BTreeMap<String, i64> {
    let mut names = BTreeMap::new();
    let mut shared = Vec::new();
    for (name, ordinal) in rows.iter().filter_map(|r| Some((name(r)?, r.ordinal))) {
        if names.insert(name.clone(), ordinal).is_some_and(|other| other != ordinal) {
            shared.push(name);
        }
    }
    for name in shared {
        names.remove(&name);
    }
    names
}

/// The name of a phase file or folder, lower case: the file's, or the folder's for a folder or
/// its `README.md` or `index.md` (`0030-stop` for `0030-stop/README.md`); `None` for the README
/// itself.
fn file_name(target: &str) -> Option<String> {
    let lower = target.trim_end_matches('/').to_lowercase();
    let mut parts = lower.rsplit('/');
    let name = match parts.next()? {
        "readme.md" | "index.md" => parts.next()?,
        name => name,
    };
    (!name.is_empty()).then(|| name.to_owned())
}

/// A phase's name from its file ([`file_name`]) without its extension and its leading number
/// (`foundation` for `01-foundation.md`, `docs` for `03-docs/`); `None` for the README itself
/// and for a name that is only a number.
fn phase_name(target: &str) -> Option<String> {
    let name = file_name(target)?;
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// The references a word parts with slashes: `05/06` is `05` and `06`; a part shorter than the
/// first replaces as much of its end (`PR-T3A/B/C` is `PR-T3A`, `PR-T3B` and `PR-T3C`, `04a/b`
/// is `04a` and `04b`).
fn slash_parts(word: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let mut parts = word.split('/').filter(|part| !part.is_empty());
    let first = parts.next().unwrap_or_default();
    let later = parts.map(move |part| match first.len().checked_sub(part.len()) {
        Some(kept) if kept > 0 && first.is_char_boundary(kept) => {
            Cow::Owned(format!("{}{part}", &first[..kept]))
        }
        _ => Cow::Borrowed(part),
    });
    (!first.is_empty()).then_some(Cow::Borrowed(first)).into_iter().chain(later)
}

/// Whether a lower-case Depends on cell says "all the phases before this one": `all`, `all
/// phases`, `all previous phases`, `all of the above`, `every earlier phase`, ...
fn means_every_earlier_phase(cell: &str) -> bool {
    let mut words = cell.split(|c: char| c.is_whitespace() || c == '.' || c == ',').filter(|w| !w.is_empty());
    let filler = [
        "phase",
        "phases",
        "previous",
        "prior",
        "earlier",
        "preceding",
        "above",
        "of",
        "the",
        "other",
        "others",
    ];
    matches!(words.next(), Some("all" | "every")) && words.all(|w| filler.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ordinal: i64, label: &str) -> Row {
        Row { line: Some(1), ordinal, label: label.to_owned(), key: reference_key(label), ..Row::default() }
    }

    fn deps(text: &str) -> Vec<i64> {
        PhaseRefs::of(&[row(1, "A"), row(2, "B"), row(3, "C")], false).depends_on(text, 3)
    }

    #[test]
    fn references_ranges_labels_and_prose() {
        assert_eq!(deps("01, 02"), [1, 2]);
        assert_eq!(deps("01 and 03"), [1, 3]);
        let later =
            |text: &str| PhaseRefs::of(&[row(1, "A"), row(2, "B"), row(3, "C")], false).depends_on(text, 4);
        assert_eq!(later("01–03"), [1, 2, 3]);
        assert_eq!(later("1 - 3"), [1, 2, 3]);
        // A range that reaches the phase itself names the phases before it: it counts in another
        // numbering (`Phase 00–40 baseline` in phase 01 of a plan that goes on from phase 40),
        // or says "up to here".
        assert_eq!(deps("01–03"), [1, 2]);
        assert_eq!(deps("Phases 00–40 baseline"), [0, 1, 2]);
        assert_eq!(deps("3-5"), Vec::<i64>::new());
        assert_eq!(deps("02 (file-level conflict on src/cli/args.rs)"), [2]);
        assert_eq!(deps("02.1"), [2]);
        assert_eq!(deps("A, B"), [1, 2]);
        assert_eq!(deps("01/03"), [1, 3]);
        assert_eq!(deps("Phase 1/2 (schema)"), [1, 2]);
        assert_eq!(deps("B, n/a"), [2]);
        assert_eq!(deps("A and/or B"), [1, 2]);
        // A lone small letter is a word of prose, not the phase lettered so.
        assert_eq!(deps("B, once a schema exists"), [2]);
        assert!(deps("c").is_empty());
        assert_eq!(deps("Phase 2"), [2]);
        // After a semicolon, a clause that does not start with a reference is prose.
        assert_eq!(deps("B; can overlap 03/04"), [2]);
        assert_eq!(deps("A; C"), [1, 3]);
        assert_eq!(deps("A; Phase 3"), [1, 3]);
        // The word for a phase in another language starts a reference as `Phase` does.
        assert_eq!(deps("A; Fase 2"), [1, 2]);
        assert_eq!(deps("A；阶段 2"), [1, 2]);
        // So is a later sentence that does not start with one.
        assert_eq!(deps("A and B: the schema. Its deploy waits on the 80/443 answer"), [1, 2]);
        assert_eq!(deps("A. 02 too. Phase 2, for e.g. 04"), [1, 2, 4]);
        for none in ["", "—", "-", "n/a", "None", "none"] {
            assert!(deps(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn chinese_and_japanese_punctuation_separates_references() {
        let later =
            |text: &str| PhaseRefs::of(&[row(1, "A"), row(2, "B"), row(3, "C")], false).depends_on(text, 4);
        assert_eq!(later("1、2"), [1, 2]);
        assert_eq!(later("1，3"), [1, 3]);
        assert_eq!(later("阶段 1、2"), [1, 2]);
        assert_eq!(later("2（需要 3 的接口）"), [2]);
        assert_eq!(later("1；可与 3 并行"), [1]);
        assert_eq!(later("2。之后 3"), [2]);
        for none in ["无", "なし", "없음"] {
            assert!(later(none).is_empty(), "{none}");
        }
        // Phases numbered in Chinese numerals, as their headings are (`### 第一阶段：基础架构`).
        assert_eq!(later("第一阶段、第三阶段完成后"), [1, 3]);
        assert_eq!(later("阶段二"), [2]);
    }

    #[test]
    fn a_lettered_number_names_the_row_it_numbers() {
        let rows = [row(1, "D1: Storage Engine"), row(2, "D2: Replication"), row(3, "D3")];
        let refs = PhaseRefs::of(&rows, false);
        assert_eq!(refs.depends_on("D1, D2", 3), [1, 2]);
        assert_eq!(refs.depends_on("d1", 2), [1]);
        assert_eq!(refs.depends_on("2", 3), [2]);
        assert!(refs.depends_on("D9", 3).is_empty());
    }

    #[test]
    fn a_cell_of_phase_names_names_those_phases() {
        let mut rows = [row(1, "01"), row(2, "02"), row(3, "03"), row(4, "04")];
        for (row, target) in
            rows.iter_mut().zip(["01-foundation.md", "02-external.md", "03-docs/", "04-cli/README.md"])
        {
            row.target = target.to_owned();
        }
        let refs = PhaseRefs::of(&rows, false);
        assert_eq!(refs.depends_on("foundation, external", 4), [1, 2]);
        assert_eq!(refs.depends_on("Foundation and `docs`", 4), [1, 3]);
        assert_eq!(refs.depends_on("cli", 4), [4]);
        // A name in a clause of prose is prose: the docs phase is not a dependency here.
        assert_eq!(refs.depends_on("01 once the docs are drafted", 4), [1]);
        assert!(refs.depends_on("after docs", 4).is_empty());
        // A name several rows share names none of them.
        rows[1].target = "01-foundation.md".into();
        assert!(PhaseRefs::of(&rows, false).depends_on("foundation", 4).is_empty());
    }

    #[test]
    fn a_slash_after_a_reference_may_give_only_its_end() {
        let rows = [row(1, "PR-T3A"), row(2, "PR-T3B"), row(3, "PR-T3C"), row(4, "04a"), row(5, "04b")];
        let refs = PhaseRefs::of(&rows, true);
        assert_eq!(refs.depends_on("PR-T3A/B/C", 6), [1, 2, 3]);
        assert_eq!(refs.depends_on("04a/b", 6), [4, 5]);
    }

    #[test]
    fn prose_that_mentions_the_phase_itself_names_the_others_only() {
        let rows = [row(1, "F0"), row(2, "H0"), row(3, "E0")];
        let refs = PhaseRefs::of(&rows, false);
        let said = "exact accepted F0 evidence tip, its recorded F0 source commit, and approved H0 execution";
        assert_eq!(refs.depends_on(said, 2), [1]);
        assert_eq!(refs.depends_on("E0 once the H0 review is in; F0", 2), [1, 3]);
        // A phase named alone, or with other phases only, still names itself (and is refused).
        for itself in ["H0", "F0, H0", "Phase H0", "phases F0 and H0"] {
            assert!(refs.depends_on(itself, 2).contains(&2), "{itself}");
        }
    }

    #[test]
    fn a_file_name_names_the_phase_whose_file_it_is() {
        let file_row = |ordinal: i64, target: &str| Row {
            target: target.to_owned(),
            ..row(ordinal, &ordinal.to_string())
        };
        let rows = [
            file_row(1, "0010-scaffold.md"),
            file_row(2, "phases/0020-crawl.md"),
            file_row(3, "0030-stop/README.md"),
            file_row(4, "0040-embed.md"),
        ];
        let refs = PhaseRefs::of(&rows, false);
        assert_eq!(refs.depends_on("0010-scaffold.md Scaffold the crawler", 4), [1]);
        assert_eq!(refs.depends_on("../phases/0020-Crawl.md, `0030-stop/README.md`", 4), [2, 3]);
        // Other documents name no phase, however they are numbered; a numbered phase file the
        // plan does not have is a hidden prerequisite.
        assert!(refs.depends_on("2026-09-30-design.md, notes.md, ../README.md", 4).is_empty());
        assert_eq!(refs.depends_on("07-later.md", 4), [7]);
        assert!(refs.depends_on("skeleton—rc, 0010-é.md", 4).is_empty(), "no panic at a character's middle");
    }

    #[test]
    fn a_dependency_text_names_the_markdown_files_its_links_point_at() {
        let pieces = [
            Piece::Link("./0010-scaffold.md#scope".into()),
            Piece::Text("Scaffold".into()),
            Piece::Text(" and ".into()),
            Piece::Link("https://example.com/01-web.md".into()),
            Piece::Text("web".into()),
            Piece::Code("02".into()),
        ];
        assert_eq!(dependency_text(&pieces), " 0010-scaffold.md Scaffold and web02");
        // A range written with links stays a range.
        let rows = [row(1, "1"), row(2, "2"), row(3, "3")]
            .map(|r| Row { target: format!("0{}-x.md", r.ordinal), ..r });
        let refs = PhaseRefs::of(&rows, false);
        for dash in ["–", " – ", "-"] {
            let pieces = [
                Piece::Link("01-x.md".into()),
                Piece::Text(format!("01{dash}")),
                Piece::Link("03-x.md".into()),
                Piece::Text("03".into()),
            ];
            assert_eq!(refs.depends_on(&dependency_text(&pieces), 4), [1, 2, 3], "{dash:?}");
        }
    }

    #[test]
    fn a_flowchart_draws_what_each_phase_depends_on() {
        let chart = |code: &str| super::super::mermaid::flowchart(code).expect("a flowchart");
        let rows = [row(1, "1"), row(2, "2"), row(3, "C"), row(4, "D")];
        let refs = PhaseRefs::of(&rows, false);
        let drawn = refs.drawn(&[chart(
            "graph TD\n  P1[Phase 1: Core] --> P2[\"✅ Phase 02<br/>CLI\"]\n  P2 --> P3{{Phase C}}\n  P1 -.-> P3\n\
             P3 --> R[Release]\n  P1 --> H[Phase 1.5: hotfix]\n  H --> D[Phase D]\n  Phase4 --> P2\n  P2 --> P2\n",
        )]);
        // `Release` and `Phase 1.5` name no phase; `Phase4` is a node named so; a phase never
        // depends on itself.
        assert_eq!(drawn, BTreeMap::from([(2, vec![1, 4]), (3, vec![1, 2])]));
        // Arrows between phases that go round in a circle draw no order.
        assert!(refs
            .drawn(&[chart("graph LR\n  a[Phase 1] --> b[Phase 2] --> c[Phase C] --> a\n")])
            .is_empty());
        // In a renumbered table, a node names a row by its numbering text only.
        let rows = [row(1, "04"), row(2, "04b"), row(3, "05")];
        let renumbered = PhaseRefs::of(&rows, true);
        let drawn = renumbered
            .drawn(&[chart("graph LR\n a[Phase 04] --> b[Phase 04b] --> c[Phase 5]\n d[Phase 2] --> c\n")]);
        assert_eq!(drawn, BTreeMap::from([(2, vec![1]), (3, vec![2])]));
    }

    #[test]
    fn all_names_every_phase_numbered_below() {
        for all in [
            "all",
            "All",
            "all previous phases",
            "All of the above.",
            "all (docs go last)",
            "every earlier phase",
        ] {
            assert_eq!(deps(all), [1, 2], "{all}");
        }
        assert!(deps("all tests green").is_empty());
        assert_eq!(
            PhaseRefs::of(&[row(0, "0"), row(4, "4"), row(6, "6")], false).depends_on("all", 6),
            [0, 4]
        );
    }
}
