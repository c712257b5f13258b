//! What the README says in sentences about the order of its phases (`Phase 2 depends on Phase
//! 1.`, `Phases 3-5 depend on Phase 2`), as plans write it in a section of dependencies, and
//! in labelled lines (`**Foundational (Phase 2)**: Depends on Setup completion`), as spec-kit's
//! tasks write it.

use super::numbering::{
    after_unit, is_and_word, is_phase_reference, is_phase_word, numbers_named_first, phases_named_first,
};
use crate::plan_dir::markdown::{plain_text, without_parentheses, Outline, COLONS};

/// One sentence that says what phases depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The phases it is about.
    pub about: About,
    /// The phases they depend on, as their references, each run of them after a word for a
    /// phase (`1, 2` of `depends on Phases 1 and 2 because ...`); empty when it names none
    /// (`depends on human action`).
    pub depend_on: String,
    /// What a labelled line says they depend on, without what it says in parentheses, where it
    /// may name phases by their titles (`Setup completion`, `User Story 3`, `US3`, `all user
    /// stories`); empty for a sentence, which names phases only after a word for a phase.
    pub object: String,
}

/// Which phases a statement is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// Phases by their references (`3-5` of `Phases 3-5 depend on ...`).
    Phases(String),
    /// The phase with this reference and every later one that no other statement numbers
    /// (`3` of `User Stories (Phase 3+)`).
    From(String),
    /// The last phase (`Polish (Final Phase)`).
    Last,
    /// The phase titled so (`User Story 2` of `Phase 4: User Story 2 - Search`).
    Titled(String),
}

/// The words that say what the phases before them depend on.
const VERBS: [&str; 14] = [
    "depends on",
    "depend on",
    "runs after",
    "run after",
    "starts after",
    "start after",
    "comes after",
    "come after",
    "waits for",
    "wait for",
    "waits on",
    "wait on",
    "is blocked by",
    "are blocked by",
];

/// The sentences of the README's paragraphs and list items that open with the phases they are
/// about and say what those depend on: `Phase 2 depends on Phase 1.`, `**Phase 3** depends on
/// Phases 1 and 2 because ...`, `Phases 3-5 depend on Phase 2`, `Phase 4 (UI) runs after Phase 3`.
/// A sentence whose subject says more than its phases (`Phase 4 does not depend on Phase 3`,
/// `User story 1 depends on Phase 2`) is not one.
/// So do lines labelled with the phases they are about ([`labelled`]).
/// In a plan whose phases are numbered by the words of `unit` (`task`), sentences about them say
/// so too (`Task 2 depends on Task 1`).
pub(super) fn statements(outline: &Outline, unit: Option<&str>) -> Vec<Statement> {
    let mut found = Vec::new();
    for block in &outline.blocks {
        let text = plain_text(&block.pieces);
        let sentences = text.split('\n').flat_map(|line| line.split(". ")).flat_map(|s| s.split(';'));
        let read = |sentence| statement(sentence, unit).or_else(|| labelled(sentence));
        found.extend(sentences.filter_map(read));
    }
    found
}

/// The statement one sentence makes, if it makes one.
fn statement(sentence: &str, unit: Option<&str>) -> Option<Statement> {
    let sentence = sentence.trim();
    // Most sentences are not about a phase: they are passed over before anything else.
    let of_a_unit = unit.and_then(|unit| after_unit(sentence, unit)).is_some();
    if !of_a_unit && !sentence.split_whitespace().next().is_some_and(is_phase_word) {
        return None;
    }
    // ASCII lower case keeps every byte where it is: the verbs are ASCII.
    let lower = sentence.to_ascii_lowercase();
    let (at, verb) = VERBS.iter().filter_map(|verb| Some((lower.find(&format!(" {verb} "))?, verb))).min()?;
    let (subject, object) = (&sentence[..at], &sentence[at + verb.len() + 2..]);
    let phases = numbers_named_first(subject, unit)?;
    // The subject is its phases, and what a parenthesis says of them, and nothing else.
    let named = match unit.and_then(|unit| after_unit(subject, unit)) {
        Some(rest) => rest,
        None => subject.split_once(char::is_whitespace).map_or("", |(_, rest)| rest),
    };
    let words = without_parentheses(named);
    let mut words = words.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty());
    if !words.all(|word| is_phase_reference(word) || is_and_word(word)) {
        return None;
    }
    Some(Statement {
        about: About::Phases(phases),
        depend_on: references_after_words(object, unit),
        object: String::new(),
    })
}

/// The phase references of `text` after each word for a phase (`1, 2` of `Phases 1 and 2 because
/// ...`, `2` of `Foundational (Phase 2)`), or of `unit` in a plan whose phases are numbered by its
/// words (`3, 5` of `Task 3 and Task 5`).
fn references_after_words(text: &str, unit: Option<&str>) -> String {
    let text = text.replace(['(', ')', '（', '）'], " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let opens_a_run = |at: usize| {
        is_phase_word(words[at].trim_matches(|c: char| !c.is_alphanumeric()))
            || unit
                .is_some_and(|unit| after_unit(words[at], unit.split(' ').next().unwrap_or(unit)).is_some())
    };
    let runs = (0..words.len())
        .filter(|&at| opens_a_run(at))
        .filter_map(|at| numbers_named_first(&words[at..].join(" "), unit));
    runs.collect::<Vec<_>>().join(", ")
}

/// The words of a labelled line that say what its phases depend on, after a word or three
/// (`All depend on`, `Can start after`): [`VERBS`] and `requires`.
const LABEL_VERBS: [&str; 2] = ["requires", "require"];

/// The statement a line labelled with the phases it is about makes, as spec-kit's tasks write
/// them: `**Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories`,
/// `**User Stories (Phase 3+)**: All depend on Foundational phase completion`, `**User Story 2
/// (P2)**: Can start after Foundational (Phase 2)`, `**Polish (Final Phase)**: Depends on all
/// desired user stories`, `**Phase 2**: Depends on Phase 1`. What follows a dash, a semicolon
/// or a full stop after what they depend on is a remark (`- BLOCKS all user stories`).
fn labelled(line: &str) -> Option<Statement> {
    let colon = colon_outside_parentheses(line)?;
    let (label, value) = (line[..colon].trim(), line[colon..].trim_start_matches(COLONS).trim());
    let about = about(label)?;
    // ASCII lower case keeps every byte where it is: the verbs are ASCII.
    let lower = value.to_ascii_lowercase();
    let verbs = VERBS.iter().chain(&LABEL_VERBS);
    // A verb is whole words (`requires`, not the start of `requirements`).
    let whole = |at: usize, len: usize| {
        (at == 0 || lower[..at].ends_with(' '))
            && !lower[at + len..].starts_with(|c: char| c.is_alphanumeric())
    };
    let found = |verb: &&str| {
        let at = lower.match_indices(*verb).map(|(at, _)| at).find(|&at| whole(at, verb.len()))?;
        Some((at, verb.len()))
    };
    // The first verb, and the longest there (`requires`, not `require`).
    let (at, len) = verbs.filter_map(found).min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
    if value[..at].split_whitespace().count() > 3 {
        return None;
    }
    let object = &value[at + len..];
    let remark = [" - ", " — ", " – ", "; ", ". "].iter().filter_map(|dash| object.find(dash)).min();
    let object = &object[..remark.unwrap_or(object.len())];
    Some(Statement {
        about,
        depend_on: references_after_words(object, None),
        object: without_parentheses(object).trim().to_owned(),
    })
}

/// Where the first colon outside parentheses is: the end of a line's label.
fn colon_outside_parentheses(line: &str) -> Option<usize> {
    let mut depth = 0_u32;
    for (at, c) in line.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if COLONS.contains(&c) && depth == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

/// The phases a line's label is about: those its parentheses name (`Setup (Phase 1)`, `User
/// Stories (Phases 3-5)`, `(Phase 3+)`, `(Final Phase)`), else those it names itself (`Phase
/// 2`, `Phase 3+`), else the phase it is the title of (`User Story 2 (P2)`).
fn about(label: &str) -> Option<About> {
    let mut rest = label;
    while let Some(open) = rest.find('(') {
        let inner = &rest[open + 1..];
        let close = inner.find(')').unwrap_or(inner.len());
        let said = inner[..close].trim();
        if matches!(said.to_lowercase().as_str(), "final phase" | "last phase" | "final" | "last") {
            return Some(About::Last);
        }
        if let Some(first) = said.strip_suffix('+').and_then(phases_named_first) {
            return Some(About::From(first));
        }
        if let Some(phases) = phases_named_first(said) {
            return Some(About::Phases(phases));
        }
        rest = &inner[close..];
    }
    let bare = without_parentheses(label);
    let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(first) = bare.strip_suffix('+').and_then(phases_named_first) {
        return Some(About::From(first));
    }
    let words = bare.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty());
    match phases_named_first(&bare) {
        Some(phases) if words.skip(1).all(|word| is_phase_reference(word) || is_and_word(word)) => {
            Some(About::Phases(phases))
        }
        Some(_) => None,
        None => (!bare.is_empty() && bare.split(' ').count() <= 4).then_some(About::Titled(bare)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<(String, String)> {
        let about = |about: About| match about {
            About::Phases(phases) => phases,
            other => format!("{other:?}"),
        };
        statements(&Outline::parse(text), None).into_iter().map(|s| (about(s.about), s.depend_on)).collect()
    }

    /// What labelled lines say: what each is about, the references and the text after its verb.
    fn labelled_lines(text: &str) -> Vec<(About, String, String)> {
        statements(&Outline::parse(text), None)
            .into_iter()
            .map(|s| (s.about, s.depend_on, s.object))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn sentences_that_say_what_phases_depend_on_are_read() {
        let section = "## Dependencies\n\n- Phase 0 has no dependencies (can run immediately)\n\
                       - Phases 1-5 depend on Phase 0\n- Phase 1 depends on human action (OAuth)\n\
                       - Phase 3 depends on Phases 1 and 2 because the rules must match.\n\
                       - **Phase 6** depends on Phase 4 (auth) + Phase 2 (db).\n\
                       - Phase 4 (UI) runs after Phase 3; it can start early.\n";
        assert_eq!(
            said(section),
            pairs(&[("1-5", "0"), ("1", ""), ("3", "1, 2"), ("6", "4, 2"), ("4", "3")])
        );
        let prose = "Phase 2 depends on Phase 1. Phase 2 blocks every write. \
                     Phase 5 depends on the final state from Phases 2–3.\n";
        assert_eq!(said(prose), pairs(&[("2", "1"), ("5", "2–3")]));
        let possessive = "- Phase 2 depends on Phase 1's stable view lifecycle.\n";
        assert_eq!(said(possessive), pairs(&[("2", "1")]));
    }

    #[test]
    fn in_a_plan_of_tasks_sentences_about_tasks_say_what_they_depend_on() {
        let section = "# Task Dependencies\n- Task 2 depends on Task 1\n- Task 4, 5 depends on Task 3\n\
                       - Task 6 depends on Task 3 and Task 5\n- Tasks 7 and 8 depend on tasks 2 and 6.\n\
                       - Task 9 (docs) depends on Phase 1\n- Task dependencies depend on Task 1\n";
        let said = |unit| {
            let statements = statements(&Outline::parse(section), unit);
            statements.into_iter().map(|s| (format!("{:?}", s.about), s.depend_on)).collect::<Vec<_>>()
        };
        let expected = [("2", "1"), ("4, 5", "3"), ("6", "3, 5, 5"), ("7, 8", "2, 6"), ("9", "1")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (format!("{:?}", About::Phases(a.to_string())), b.to_string()))
            .collect();
        assert_eq!(said(Some("task")), expected);
        // In a plan of phases, tasks are not phases.
        assert!(said(None).is_empty());
    }

    #[test]
    fn lines_labelled_with_their_phases_say_what_those_depend_on() {
        let section = "### Phase Dependencies\n\n\
            - **Setup (Phase 1)**: No dependencies - can start immediately\n\
            - **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories\n\
            - **User Stories (Phase 3+)**: All depend on Foundational (T004 models) completion\n  \
              - User stories can then proceed in parallel (if staffed)\n\
            - **User Story 4 (Phase 6 - Personalization)**: Depends on Foundational (Phase 2) AND User Story 3\n\
            - **Polish (Final Phase)**: Depends on all desired user stories being complete\n\n\
            ### User Story Dependencies\n\n\
            - **User Story 2 (P2)**: Can start after Foundational (Phase 2); depends on US1 data\n\
            - **Phase 5**: Requires Phase 4. Phase 5 ships last.\n\
            - **Phase 1 (Setup)**: T002, T003 can run in parallel (different files)\n\
            - **Risk**: the API may change before Phase 2 depends on it\n";
        let titled = |name: &str| About::Titled(name.to_owned());
        let line = |about: About, refs: &str, object: &str| (about, refs.to_owned(), object.to_owned());
        assert_eq!(
            labelled_lines(section),
            [
                line(About::Phases("2".into()), "", "Setup completion"),
                line(About::From("3".into()), "", "Foundational  completion"),
                line(About::Phases("6".into()), "2", "Foundational  AND User Story 3"),
                line(About::Last, "", "all desired user stories being complete"),
                line(titled("User Story 2"), "2", "Foundational"),
                line(About::Phases("5".into()), "4", "Phase 4"),
            ]
        );
        // Nothing after the verb but a remark: it names nothing.
        assert!(labelled_lines("- **Phase 2**: Requirements from Phase 1 hold\n").is_empty());
        let plus = labelled_lines("- **Phase 3+ (User Stories)**: Depend on Phase 2\n");
        assert_eq!(plus, [line(About::From("3".into()), "2", "Phase 2")]);
        let remark = labelled_lines("- **Docs (Phase 7)**: Requires - see below\n");
        assert_eq!(remark, [line(About::Phases("7".into()), "", "")]);
    }

    #[test]
    fn letters_whose_lower_case_has_another_length_do_not_shift_the_verb() {
        // `ẞ` is three bytes, its lower case `ß` two; `İ` two, its lower case three.
        for odd in ["ẞ", "ẞẞ", "İ", "İİ"] {
            assert_eq!(said(&format!("Phase 2 {odd} depends on Phase 1.\n")), pairs(&[]), "{odd}");
            assert_eq!(said(&format!("Phase 2 depends on {odd} Phase 1.\n")), pairs(&[("2", "1")]), "{odd}");
        }
    }

    #[test]
    fn a_subject_that_says_more_than_its_phases_makes_no_statement() {
        for sentence in [
            "Phase 4 does not depend on Phase 3.",
            "User story 1 depends on Phase 2.",
            "The API depends on Phase 1.",
            "Phase 2 of the rollout depends on Phase 1.",
            "Everything in Phase 2 depends on Phase 1.",
        ] {
            assert!(said(sentence).is_empty(), "{sentence}");
        }
    }
}
