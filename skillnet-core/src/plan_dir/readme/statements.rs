//! What the README says in sentences about the order of its phases (`Phase 2 depends on Phase
//! 1.`, `Phases 3-5 depend on Phase 2`), as plans write it in a section of dependencies.

use super::numbering::{is_and_word, is_phase_reference, is_phase_word, phases_named_first};
use crate::plan_dir::markdown::{plain_text, without_parentheses, Outline};

/// One sentence that says what phases depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The phases it is about, as their references (`3-5` of `Phases 3-5 depend on ...`).
    pub phases: String,
    /// The phases they depend on, as their references, each run of them after a word for a
    /// phase (`1, 2` of `depends on Phases 1 and 2 because ...`); empty when it names none
    /// (`depends on human action`).
    pub depend_on: String,
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
pub(super) fn statements(outline: &Outline) -> Vec<Statement> {
    let mut found = Vec::new();
    for block in &outline.blocks {
        let text = plain_text(&block.pieces);
        let sentences = text.split('\n').flat_map(|line| line.split(". ")).flat_map(|s| s.split(';'));
        found.extend(sentences.filter_map(statement));
    }
    found
}

/// The statement one sentence makes, if it makes one.
fn statement(sentence: &str) -> Option<Statement> {
    let sentence = sentence.trim();
    // Most sentences are not about a phase: they are passed over before anything else.
    if !sentence.split_whitespace().next().is_some_and(is_phase_word) {
        return None;
    }
    // ASCII lower case keeps every byte where it is: the verbs are ASCII.
    let lower = sentence.to_ascii_lowercase();
    let (at, verb) = VERBS.iter().filter_map(|verb| Some((lower.find(&format!(" {verb} "))?, verb))).min()?;
    let (subject, object) = (&sentence[..at], &sentence[at + verb.len() + 2..]);
    let phases = phases_named_first(subject)?;
    // The subject is its phases, and what a parenthesis says of them, and nothing else.
    let words = without_parentheses(subject);
    let mut words = words.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty());
    words.next();
    if !words.all(|word| is_phase_reference(word) || is_and_word(word)) {
        return None;
    }
    let object_words: Vec<&str> = object.split_whitespace().collect();
    let runs = (0..object_words.len())
        .filter(|&at| is_phase_word(object_words[at].trim_matches(|c: char| !c.is_alphanumeric())))
        .filter_map(|at| phases_named_first(&object_words[at..].join(" ")));
    Some(Statement { phases, depend_on: runs.collect::<Vec<_>>().join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<(String, String)> {
        statements(&Outline::parse(text)).into_iter().map(|s| (s.phases, s.depend_on)).collect()
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
