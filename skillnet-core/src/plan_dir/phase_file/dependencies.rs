//! What a phase file says its phase depends on, for a phase table without a Depends on column.

use super::{front_matter_value, row_lines};
use crate::plan_dir::columns::is_phase_file_target;
use crate::plan_dir::depends::{dependency_text, SAYINGS};
use crate::plan_dir::markdown::{plain_text, without_parentheses, BlockKind, Outline, Piece, COLONS};
use crate::plan_dir::paths::link_target;
use crate::plan_dir::readme::{after_unit, is_and_word, is_phase_reference, numbers_named_first};

/// What the first line with a Depends on label ([`says_depends_on`]) says (`**Depends on:**
/// Phase 5`, `> **Depends On:** Phase 1, Phase 2`, `- Blocked by: 03`, `Depends on (hard):
/// 01`, `Waits for: 02`), on any line of a text block, or the list under such a label alone;
/// else the items of a section titled with a [`SAYINGS`] phrase (`## Depends on`); else the
/// first table row whose first cell is such a label (`| Depends on | 01, 02 |`), else the
/// front matter's `depends_on:` (or `depends`, `dependencies`, `blocked_by`), else the phases
/// the items of a `## Dependencies` section open with, else those a `Dependencies:` line opens
/// with or is made of, else those a sentence about this phase names ([`phases_this_phase_waits_for`]:
/// `This phase depends on Phase 1.`); prose that only mentions them is not read. In a plan whose
/// phases are numbered by the words of `unit` (`task group`), those name its phases in the last
/// three as `Phase` does.
pub(super) fn stated_dependencies(outline: &Outline, unit: Option<&str>) -> Option<String> {
    // The text blocks in `range` (a list's items), as one list.
    let listed = |range| {
        let items = outline.blocks_in(range).map(|b| dependency_text(&b.pieces).trim().to_owned());
        items.collect::<Vec<_>>().join(", ")
    };
    let labelled =
        outline.fields(says_depends_on).into_iter().next().map(|field| match field.value.is_empty() {
            true => listed(field.body),
            false => dependency_text(&field.value).trim().to_owned(),
        });
    let section = || SAYINGS.iter().find_map(|saying| outline.section(saying)).map(listed);
    let row = |(_, row): (usize, String)| {
        let (label, value) = row.split_once(COLONS)?;
        says_depends_on(&label.trim().to_lowercase()).then(|| value.trim().to_owned())
    };
    labelled
        .or_else(section)
        .or_else(|| outline.tables.iter().flat_map(row_lines).find_map(row))
        .or_else(|| front_matter_value(outline, &["depends_on", "depends", "dependencies", "blocked_by"]))
        .or_else(|| phases_a_dependencies_section_names(outline, unit))
        .or_else(|| phases_a_dependencies_label_names(outline, unit))
        .or_else(|| phases_this_phase_waits_for(outline, unit))
}

/// The phases the first sentence that opens with `This phase` (`This milestone`, in a plan
/// numbered by milestones) and says what it waits for names right after ([`numbers_named_first`],
/// what it says in parentheses left out): `This phase depends on Phase 5 (the scaffold) and Phase
/// 3.`, `This phase requires Phase 2 to be complete`. A sentence that opens otherwise (`Nothing
/// in this phase depends on Phase 2`) or says it does not (`This phase does not depend on`) says
/// nothing.
fn phases_this_phase_waits_for(outline: &Outline, unit: Option<&str>) -> Option<String> {
    const WAITS: [&str; 9] = [
        "depends on",
        "depends only on",
        "runs after",
        "starts after",
        "comes after",
        "waits for",
        "waits on",
        "is blocked by",
        "requires",
    ];
    let waits_for = |text: &str, at: usize| {
        let before = text[..at].trim_end();
        if !(before.is_empty() || before.ends_with(['.', ':', '!', '?', '：', '。'])) {
            return None;
        }
        let subject = &text[at + "This ".len()..];
        let rest = after_unit(subject, unit.unwrap_or("phase"))?;
        let after = WAITS.iter().find_map(|verb| rest.strip_prefix(verb))?;
        numbers_named_first(&without_parentheses(after), unit)
    };
    outline.blocks.iter().find_map(|block| {
        let text = plain_text(&block.pieces);
        text.match_indices("This ").find_map(|(at, _)| waits_for(&text, at))
    })
}

/// Whether a lower-case label says what the phase waits for, as `Depends on` does: a
/// [`SAYINGS`] phrase, `Depends`, `Waits for`, `Runs after`, `Prerequisite phases`, and in
/// other languages (`Depende de`, `Dépend de`, `Abhängig von`, `前置依赖`, `前置阶段`,
/// `선행 단계`, ...).
fn says_depends_on(label: &str) -> bool {
    const WAITS: [&str; 19] = [
        "depends",
        "waits for",
        "waits on",
        "runs after",
        "starts after",
        "prerequisite phases",
        "prerequisite phase",
        "depende de",
        "dépend de",
        "abhängig von",
        "dipende da",
        "afhankelijk van",
        "зависит от",
        "zależy od",
        "前置依赖",
        "前置阶段",
        "依赖阶段",
        "前序阶段",
        "선행 단계",
    ];
    SAYINGS.contains(&label) || WAITS.contains(&label)
}

/// The phases the items of a `## Dependencies` (or `Prerequisites`) section open with (`Phase 1
/// (Biped) must complete first`, `Phases 3-4 and 6: the stores`), as one list; `None` when no
/// item opens with a phase, as when the section lists crates or tools.
fn phases_a_dependencies_section_names(outline: &Outline, unit: Option<&str>) -> Option<String> {
    let range = ["dependencies", "prerequisites"].iter().find_map(|title| outline.section(title))?;
    let items = outline.blocks_in(range).filter(|b| b.kind == BlockKind::Item);
    let named: Vec<String> =
        items.filter_map(|item| numbers_named_first(&plain_text(&item.pieces), unit)).collect();
    (!named.is_empty()).then(|| named.join(", "))
}

/// The phases the first `Dependencies:` (or `Prerequisites:`, `Prereq:`, `Requires:`, `Needs:`,
/// `依赖：`, `依存関係：`, `의존성:`) line that names any opens with (`**Dependencies**: Phase 1 complete`) or
/// is made of (`Needs: 01, 02`) or links the files of (`Dependency: [phase-01](phase-01-auth.md)`),
/// or the items of the list under such a label alone; `None` when none names a phase, as when
/// they list crates or tools.
fn phases_a_dependencies_label_names(outline: &Outline, unit: Option<&str>) -> Option<String> {
    let labels = [
        "dependencies",
        "dependency",
        "prerequisites",
        "prerequisite",
        "prereqs",
        "prereq",
        "requires",
        "needs",
        "dependencias",
        "dependências",
        "dépendances",
        "abhängigkeiten",
        "voraussetzungen",
        "prérequis",
        "requisitos",
        "dipendenze",
        "зависимости",
        "zależności",
        "依赖",
        "前置条件",
        "依存",
        "依存関係",
        "의존성",
    ];
    outline.fields(|label| labels.contains(&label)).into_iter().find_map(|field| {
        let named: Vec<String> = match field.value.is_empty() {
            true => {
                outline.blocks_in(field.body).filter_map(|item| phases_named(&item.pieces, unit)).collect()
            }
            false => phases_named(&field.value, unit)
                .or_else(|| only_phase_numbers(&plain_text(&field.value)))
                .into_iter()
                .collect(),
        };
        (!named.is_empty()).then(|| named.join(", "))
    })
}

/// The phases a labelled text names: the numbers it opens with ([`numbers_named_first`]), else
/// the Markdown files it links (`[phase-01](./phase-01-auth.md)`), each the phase whose file it
/// is.
fn phases_named(pieces: &[Piece], unit: Option<&str>) -> Option<String> {
    numbers_named_first(&plain_text(pieces), unit).or_else(|| {
        let targets = pieces.iter().filter_map(|piece| match piece {
            Piece::Link(target) => Some(link_target(target)),
            _ => None,
        });
        let files: Vec<String> = targets.filter(|target| is_phase_file_target(target)).collect();
        (!files.is_empty()).then(|| files.join(", "))
    })
}

/// The phase numbers of a text made of nothing else (`01, 02`, `3-4 and 6`).
fn only_phase_numbers(text: &str) -> Option<String> {
    let words = text.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty());
    let words: Vec<&str> = words.map(|word| word.trim_end_matches(['.', ';'])).collect();
    let numbers: Vec<&str> = words.iter().copied().filter(|word| is_phase_reference(word)).collect();
    let only = words.iter().all(|word| is_phase_reference(word) || is_and_word(word));
    (only && !numbers.is_empty()).then(|| numbers.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::plan_dir::phase_file::{parse_with_dependencies, parse_with_dependencies_numbered_by};

    #[test]
    fn front_matter_states_dependencies_when_no_line_does() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        assert_eq!(depends("---\ndepends_on: [01, \"02\"]\n---\n\n# P\n").as_deref(), Some("01, 02"));
        assert_eq!(
            depends("---\nblocked_by:\n  - AX.1\n  - AX.2\n---\n# P\n").as_deref(),
            Some("AX.1, AX.2")
        );
        assert_eq!(depends("---\ndepends_on: []\n---\n# P\n").as_deref(), Some(""));
        let line_first = "---\ndepends_on: [01]\n---\n\n# P\n\nDepends on: 02\n";
        assert_eq!(depends(line_first).as_deref(), Some("02"));
    }

    #[test]
    fn a_depends_on_label_or_section_may_list_the_dependencies() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        let label = "# P\n\n**Depends on:**\n\n- Phase 01 (the schema)\n- 02-client\n\nThen write it.\n";
        assert_eq!(depends(label).as_deref(), Some("Phase 01 (the schema), 02-client"));
        let section = "# P\n\n## Depends on\n\n- 01\n- 03\n\n## Steps\n\n- 04\n";
        assert_eq!(depends(section).as_deref(), Some("01, 03"));
        let blocked = "# P\n\n### Blocked by\n\nPhase 2.\n";
        assert_eq!(depends(blocked).as_deref(), Some("Phase 2."));
        // A line that states them wins; a Dependencies section of crates names none.
        let both = "# P\n\nDepends on: 05\n\n## Depends on\n\n- 01\n";
        assert_eq!(depends(both).as_deref(), Some("05"));
        assert_eq!(depends("# P\n\n## Dependencies\n\n- serde 1.0\n"), None);
    }

    #[test]
    fn a_dependencies_section_names_the_phases_its_items_open_with() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        let section = "# P\n\n## Dependencies\n\n- Phase 1 (Biped) must complete first\n\
                       - `node-router` skill must expose scoring\n- Phases 3-4, 6 and 7: the stores\n\
                       - Phase 2 completion: T-001 through T-004\n- Phase II backend\n";
        assert_eq!(depends(section).as_deref(), Some("1, 3-4, 6, 7, 2"));
        let prerequisites = "# P\n\n### Prerequisites\n\n- Phase 0 UI and minimum-version decisions.\n";
        assert_eq!(depends(prerequisites).as_deref(), Some("0"));
        // Crates and tools name no phase; a Depends on line wins.
        assert_eq!(depends("# P\n\n## Dependencies\n\n- serde 1.0\n- Node 20\n"), None);
        let both = "# P\n\n**Depends on:** 05\n\n## Dependencies\n\n- Phase 1\n";
        assert_eq!(depends(both).as_deref(), Some("05"));
    }

    #[test]
    fn a_dependencies_label_names_the_phases_it_opens_with() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for (label, named) in [
            ("**Dependencies**: Phase 1 complete\n", "1"),
            ("- **Dependencies**: Phase 0 completion.\n", "0"),
            ("**Dependencies**: Phase 1. **Can parallel with**: Phase 4.\n", "1"),
            ("**Prerequisites:** Phases 2 and 3 (the stores)\n", "2, 3"),
            ("**Dependencies:** Phase 1, Phase 2 complete\n", "1, 2"),
            ("**Dependencies:** Phase 2 and Phase 3b\n", "2, 3b"),
            ("Dependencies: Phase 1A (Authentication) — Complete\n", "1A"),
            ("**Dependencies:**\n\n- Phase 4 merged\n- `serde` 1.0\n", "4"),
            // A value of nothing but phase numbers names them too.
            ("**Dependencies:** 01, 02\n", "01, 02"),
            ("Needs: 3-4 and 6\n", "3-4, 6"),
            ("**Prereqs:** 2.1\n", "2.1"),
            ("**Prereq:** Phase 1 shipped (StatsAPI)\n", "1"),
            // A link to a Markdown file names the phase whose file it is, whatever its text says.
            ("- Dependency: [phase-01](./phase-01-auth.md)\n", "phase-01-auth.md"),
            ("**Dependencies:** [A](01-a.md), [B](02-b.md#scope)\n", "01-a.md, 02-b.md"),
            (
                "**Dependencies:**\n\n- [the schema](./phase-02-schema.md)\n- `serde` 1.0\n",
                "phase-02-schema.md",
            ),
        ] {
            assert_eq!(depends(&format!("# P\n\n{label}")).as_deref(), Some(named), "{label}");
        }
        // Crates, tools and none name no phase; a Depends on line or section wins.
        for none in [
            "**Dependencies**: None\n",
            "**Dependencies:** serde 1.0, Node 20\n",
            "**Requires:** 3rd-party keys\n",
            "Needs: 2 reviewers\n",
            "**Dependencies:** Phase 1st\n",
            "**Prereq:** Docker 27 running\n",
            "**Dependencies:** [serde](https://serde.rs) 1.0\n",
        ] {
            assert_eq!(depends(&format!("# P\n\n{none}")), None, "{none}");
        }
        let both = "# P\n\n**Dependencies:** Phase 1\n\n## Dependencies\n\n- Phase 2 landed\n";
        assert_eq!(depends(both).as_deref(), Some("2"));
        let line_first = "# P\n\n**Dependencies:** Phase 1\n\n**Depends on:** 05\n";
        assert_eq!(depends(line_first).as_deref(), Some("05"));
    }

    #[test]
    fn a_sentence_that_opens_with_this_phase_names_what_it_waits_for() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for (sentence, named) in [
            ("This phase depends on Phase 1.", "1"),
            ("Scope done. This phase depends on Phase 5\n(the scaffold moves) and Phase 3 (docs).", "5, 3"),
            ("This phase depends on Phases 8 (CLI for scaffolding) and 9 (testing).", "8, 9"),
            ("**Scope note:** This phase depends on Phase 0 (Guest Identity).", "0"),
            ("This phase depends on Phase 3 being far enough along that the tree exists.", "3"),
            ("This phase requires Phase 5's API-02 to be complete.", "5"),
            ("This phase requires Phase 1–6 to be complete and stable.", "1–6"),
            ("- **Phase Dependencies**: This phase depends on Phase 6 completion", "6"),
            ("This phase runs after Phase 2.5 (Works crew operational).", "2.5"),
        ] {
            assert_eq!(depends(&format!("# P\n\n{sentence}\n")).as_deref(), Some(named), "{sentence}");
        }
        // Prose that only mentions a phase, or a phase that is not this one, says nothing.
        for none in [
            "Nothing in this phase depends on Phase 2.",
            "This phase does not depend on Phase 3.",
            "This phase depends on Phase B/C having produced the crypto module.",
            "Phase 4 depends on this phase.",
            "This phase builds on the patterns of Phase 1.",
        ] {
            assert_eq!(depends(&format!("# P\n\n{none}\n")), None, "{none}");
        }
        // A line that states them wins.
        let both = "# P\n\nThis phase depends on Phase 1.\n\n**Depends on:** 02\n";
        assert_eq!(depends(both).as_deref(), Some("02"));
        // In a plan numbered by milestones, the sentence names the milestones.
        let unit = parse_with_dependencies_numbered_by(
            "# M\n\nThis milestone depends on Milestone 1.\n",
            "milestone",
        );
        assert_eq!(unit.depends.as_deref(), Some("1"));
    }

    #[test]
    fn labels_that_say_what_a_phase_waits_for_are_depends_on_labels() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for label in ["**Depends**: 01", "**Waits for:** 01", "Runs after: 01", "- **Blocked on:** 01"] {
            assert_eq!(depends(&format!("# P\n\n{label}\n")).as_deref(), Some("01"), "{label}");
        }
        let row = "# P\n\n| Field | Value |\n|---|---|\n| Starts after | 01 |\n";
        assert_eq!(depends(row).as_deref(), Some("01"));
        // A label that names phases says what the phase depends on, whatever follows.
        for (label, said) in [
            ("**Prerequisite phases:** Phase 1 (`cd688c1`), Phase 2", "Phase 1 (cd688c1), Phase 2"),
            ("- **Prerequisite Phases**: Phases 0–9 must be complete", "Phases 0–9 must be complete"),
            ("**Prerequisite phase:** 3", "3"),
        ] {
            assert_eq!(depends(&format!("# P\n\n{label}\n")).as_deref(), Some(said), "{label}");
        }
        // What a phase enables is not what it depends on.
        assert_eq!(depends("# P\n\n**Dependent phases:** Phase 4\n"), None);
    }

    #[test]
    fn depends_on_labels_in_other_languages_are_read() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        for (label, said) in [
            ("**前置依赖**：阶段 1、阶段 2", "阶段 1、阶段 2"),
            ("**前置依赖**: TASK-043 完成", "TASK-043 完成"),
            ("**前置阶段**：无", "无"),
            ("**선행 단계**: 1단계", "1단계"),
            // What a phase needs may be crates or tools: such a label counts when it names phases.
            ("- **依赖**：阶段 1、2（接口）", "1, 2"),
            ("**依存関係**：フェーズ 1", "1"),
        ] {
            assert_eq!(depends(&format!("# 阶段 3\n\n{label}\n")).as_deref(), Some(said), "{label}");
        }
        assert_eq!(depends("# P\n\n**依赖**：serde 1.0\n"), None);
        // And in other languages.
        for (label, said) in [
            ("**Depende de:** Fase 1", "Fase 1"),
            ("**Dépend de :** Phase 1", "Phase 1"),
            ("**Abhängig von:** Phase 1", "Phase 1"),
            ("**Dependencias:** Fase 1 y 2", "1, 2"),
            ("**Voraussetzungen:** Phase 1", "1"),
            ("**Зависит от:** Этап 1", "Этап 1"),
        ] {
            assert_eq!(depends(&format!("# Fase 3\n\n{label}\n")).as_deref(), Some(said), "{label}");
        }
        assert_eq!(depends("# P\n\n**Dependencias:** Node 20, pnpm\n"), None);
        assert_eq!(depends("# P\n\n**前置条件**：Node 20 已安装\n"), None);
        let row = "# P\n\n| 字段 | 内容 |\n|---|---|\n| **前置依赖** | 01、02 |\n";
        assert_eq!(depends(row).as_deref(), Some("01、02"));
    }

    #[test]
    fn a_depends_on_label_may_carry_a_remark_in_parentheses() {
        let depends = |text: &str| parse_with_dependencies(text).depends;
        assert_eq!(depends("# P\n\n**Depends on (hard):** 01, 02\n").as_deref(), Some("01, 02"));
        let listed = "# P\n\n**Blocked by (must land first):**\n\n- 03\n- 04\n";
        assert_eq!(depends(listed).as_deref(), Some("03, 04"));
        // The first labelled line counts, on any line of a paragraph of labels.
        let labels = "# P\n\n**Status:** ready\n**Depends on:** 05\n**Blocked by:** 06\n";
        assert_eq!(depends(labels).as_deref(), Some("05"));
        // A saying inside a sentence is prose.
        assert_eq!(depends("# P\n\nThis phase depends on: nothing much.\n"), None);
    }
}
