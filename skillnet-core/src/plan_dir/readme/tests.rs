//! The README's readings, one table, list or heading at a time.

use super::table::listed_phase_keys;
use super::*;

/// The README alone, with nothing beside it.
fn parse(text: &str, origin: &str) -> Result<Readme, PlanDirError> {
    super::parse(text, origin, Vec::new)
}

#[test]
fn the_first_integer_fits_or_is_none() {
    assert_eq!(first_integer("Phase 2a"), Some(2));
    assert_eq!(first_integer("1.5"), Some(1));
    assert_eq!(first_integer("x"), None);
    assert_eq!(first_integer("99999999999999999999"), None);
}

#[test]
fn a_phase_cell_of_nothing_but_references_lists_each_phase() {
    for (cell, keys) in [
        ("2, 3", &["2", "3"][..]),
        ("Phases 2–4", &["2", "3", "4"]),
        ("7 and 08", &["7", "8"]),
        ("3a, 3b", &["3a", "3b"]),
        ("29.1", &["29.1"]),
        ("1A", &["1a"]),
        ("Phase 04B", &["4b"]),
        // A cell with prose in it is one phase's.
        ("1A: Helper, the base", &["1a"]),
        ("3, then docs", &["3"]),
        ("P1, P2", &["1"]),
        // In another language (`Fases 2 y 3`, `阶段 2、3`).
        ("Fases 2 y 3", &["2", "3"]),
        ("阶段 2、3", &["2", "3"]),
    ] {
        assert_eq!(listed_phase_keys(cell), keys, "{cell}");
    }
}

#[test]
fn a_reference_key_is_the_word_that_holds_the_number() {
    for (text, key) in [
        ("Phase 04B", "4b"),
        ("phase04b", "4b"),
        ("04b-ingestion.md", "4b"),
        ("05a Zip channels", "5a"),
        ("00 Build infrastructure", "0"),
        ("1. Public portal", "1"),
        ("P1", "1"),
        ("#2", "2"),
        ("8.0", "8.0"),
        ("Phase 3: teardown", "3"),
        ("D1", "d1"),
        ("Track A", "tracka"),
    ] {
        assert_eq!(reference_key(text), key, "{text}");
    }
}

fn ordinals_and_targets(readme: &str) -> Vec<(i64, String)> {
    let parsed = parse(readme, "README.md").unwrap();
    parsed.rows.into_iter().map(|r| (r.ordinal, r.target)).collect()
}

/// Each row's ordinal, target and what it says it depends on.
fn ordinals_targets_and_depends(parsed: &Readme) -> Vec<(i64, &str, &str)> {
    parsed.rows.iter().map(|r| (r.ordinal, r.target.as_str(), r.depends.as_str())).collect()
}

#[test]
fn a_file_cell_names_its_phase_file_beside_links_to_the_web_and_remarks() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n\
                  | 1 | [PR #12](https://github.com/o/r/pull/12), [plan](01-a.md#scope) | — |\n\
                  | 2 | 02-b.md (done) | 1 |\n| 3 | ✅ 03-c.md | 2 |\n| 4 | ~~04-d.md~~ | 3 |\n\
                  | 5 | 05 set up.md | 4 |\n| 6 | 06-docs/ (WIP) | 5 |\n\
                  | 7 | [07-e.md](https://github.com/o/r/blob/main/plan/07-e.md) | 6 |\n";
    let parsed = parse(readme, "README.md").unwrap();
    let targets: Vec<(&str, &str)> =
        parsed.rows.iter().map(|r| (r.target.as_str(), r.anchor.as_str())).collect();
    assert_eq!(
        targets,
        [
            ("01-a.md", "scope"),
            ("02-b.md", ""),
            ("03-c.md", ""),
            ("04-d.md", ""),
            ("05 set up.md", ""),
            ("06-docs/", ""),
            ("https://github.com/o/r/blob/main/plan/07-e.md", ""),
        ]
    );
}

#[test]
fn a_file_cell_that_names_no_phase_file_is_a_phase_without_a_file() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n| 2 | — | 1 |\n\
                  | 3 | _TBD_ | 1 |\n| 4 | — (setup, no file) | 3 |\n\
                  | 5 | (optional) Add a summary (`support/collect.go`, `diag.go`) | 1 |\n| 6 | | 5 |\n\
                  | 7 | 07-g.md | 6 |\n| 8 | phase-8.1 | 7 |\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str, &[String])> = parsed
        .rows
        .iter()
        .map(|r| (r.ordinal, r.target.as_str(), r.depends.as_str(), r.touches.as_slice()))
        .collect();
    let paths = ["support/collect.go".to_owned(), "diag.go".to_owned()];
    assert_eq!(
        rows,
        [
            (1, "01-a.md", "—", &[][..]),
            (2, "", "1", &[]),
            (3, "", "1", &[]),
            (4, "", "3", &[]),
            (5, "", "1", &paths[..]),
            // A File cell of nothing is no row, as in 0.6.
            (7, "07-g.md", "6", &[]),
            (8, "phase-8.1", "7", &[])
        ]
    );
}

#[test]
fn tables_with_the_phase_tables_columns_go_on_with_it() {
    let readme = "# Tracks\n\n## Track A\n\n| Phase | File | Depends on |\n|---|---|---|\n\
                  | 1 | [a](01-a.md) | — |\n| 2 | [b](02-b.md) | 1 |\n\n## Track B\n\n\
                  | Phase | File | Depends on |\n|---|---|---|\n| 3 | [c](03-c.md) | — |\n\n\
                  ## Status\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | done |\n\n\
                  | Phase | File | Depends on | Notes |\n|---|---|---|---|\n| 4 | [d](04-d.md) | — | x |\n";
    assert_eq!(
        ordinals_and_targets(readme),
        [(1, "01-a.md".into()), (2, "02-b.md".into()), (3, "03-c.md".into())]
    );
    let again = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](a/01-a.md) | — |\n\n\
                 | Phase | File | Depends on |\n|---|---|---|\n| 1 | [b](b/01-b.md) | — |\n";
    assert_eq!(ordinals_and_targets(again), [(1, "a/01-a.md".into())]);
}

#[test]
fn a_number_column_stands_in_for_the_phase_column() {
    let readme = "# P\n\n| # | File | Slug | Depends on |\n|---|---|---|---|\n\
                  | 01 | [01-a.md](./01-a.md) | a | — |\n| 02 | [02-b.md](./02-b.md) | b | 01 |\n";
    assert_eq!(ordinals_and_targets(readme), [(1, "01-a.md".into()), (2, "02-b.md".into())]);
}

#[test]
fn without_a_file_column_the_slug_column_links_the_phase_files() {
    let readme = "| # | Slug | Model | Depends on |\n|---|---|---|---|\n\
                  | 01 | [harness](01-harness.md) | GPT 5.5 medium | — |\n| 02 | [parity](02-parity.md) | GPT 5.5 low | 01 |\n";
    assert_eq!(ordinals_and_targets(readme), [(1, "01-harness.md".into()), (2, "02-parity.md".into())]);
}

#[test]
fn without_a_file_column_the_column_that_links_markdown_files_names_them() {
    let readme = "| Phase | Plan | Depends On | Status |\n|---|---|---|---|\n\
                  | 1 | [Canvas](phase-3-canvas.md) | — | done |\n\
                  | 2 | [Visuals](phase-7-visuals.md) | [Phase 1](phase-3-canvas.md) | not started |\n\
                  | 3 | [Chat input](./phase-3-chat/) | Phases 1-2 | not started |\n";
    assert_eq!(
        ordinals_and_targets(readme),
        [(1, "phase-3-canvas.md".into()), (2, "phase-7-visuals.md".into()), (3, "phase-3-chat/".into())]
    );
    let code = "| Phase | Doc | Depends on |\n|---|---|---|\n| 1 | `01-a.md` | — |\n";
    assert_eq!(ordinals_and_targets(code), [(1, "01-a.md".into())]);
    let plain = "| Wave | Phase | Spec | Depends on |\n|---|---|---|---|\n| 1 | 0. Cleanup | phase-00-cleanup.md | Nothing. |\n\
                 | 2 | 1. Links | phase-01-links.md | Phase 0: the layout |\n";
    assert_eq!(
        ordinals_and_targets(plain),
        [(0, "phase-00-cleanup.md".into()), (1, "phase-01-links.md".into())]
    );
    let prose = "| Phase | Notes | Depends on |\n|---|---|---|\n| 1 | see the README.md | — |\n";
    assert!(parse(prose, "README.md").is_err());
    let outside =
        "| Phase | Plan | Depends on |\n|---|---|---|\n| 1 | [spec](https://example.com/spec.md) | — |\n";
    let error = parse(outside, "README.md").unwrap_err().to_string();
    assert!(error.contains("the table here has no File column"), "{error}");
}

#[test]
fn a_dependencies_column_is_the_depends_on_column() {
    for header in [
        "Dependencies",
        "Deps",
        "Prerequisites",
        "Blocked by",
        "Depends upon",
        "Depends on (phases)",
        "Dependency",
        "Requires",
        "Needs",
        "Runs after",
        "Waits on",
        "Predecessors",
    ] {
        let readme = format!(
            "| Phase | File | {header} |\n|---|---|---|\n| 01 | [a](phases/phase-01-a.md) | none |\n\
             | 02 | [b](phases/phase-02-b.md) | Phase 01 |\n"
        );
        let parsed = parse(&readme, "README.md").unwrap();
        assert_eq!(parsed.rows[1].depends, "Phase 01", "{header}");
    }
}

#[test]
fn without_a_phase_table_a_list_of_links_to_numbered_phase_files_is_read() {
    let readme = "# Widgets\n\nSee [the design](docs/design.md).\n\n## Phases\n\n\
                  1. [Phase 1: Core](01-core.md)\n2. [Phase 2: Storage](02-storage.md) — depends on 1\n\
                  3. [CLI](03-cli.md), blocked by 1 and 2\n4. Docs: [04-docs.md](./04-docs.md)\n\n\
                  Back to [01-core.md](01-core.md).\n\n- [Core again](01-core.md)\n";
    let parsed = parse(readme, "README.md").unwrap();
    assert_eq!(
        ordinals_targets_and_depends(&parsed),
        [
            (1, "01-core.md", ""),
            (2, "02-storage.md", "1"),
            (3, "03-cli.md", "1 and 2"),
            (4, "04-docs.md", "")
        ]
    );
    assert!(!parsed.depends_column);
    // Links to other files, or to the README's own sections, are no phases.
    for other in [
        "# Docs\n\n- [Guide](guide.md)\n- [FAQ](https://example.com/01-faq.md)\n",
        "# Docs\n\n- [Setup](#setup-1)\n\n## Setup 1\n\nText.\n",
    ] {
        let error = parse(other, "README.md").unwrap_err().to_string();
        assert!(error.contains("no phase table"), "{error}");
    }
    // A phase table wins over a list.
    let both =
        "- [Old](01-old.md)\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
    assert_eq!(ordinals_and_targets(both), [(1, "01-a.md".into())]);
}

#[test]
fn a_dependency_said_in_parentheses_ends_with_them() {
    let readme = "# Plan\n\n1. **Phase 1 — Core**: [01-core.md](01-core.md)\n\
                  2. **Phase 2 — CLI** (depends on Phase 1): see [02-cli.md](02-cli.md)\n\
                  3. [03-docs.md](03-docs.md) (blocked by 1 (the schema) and 2) for 3.1\n";
    let parsed = parse(readme, "README.md").unwrap();
    assert_eq!(
        ordinals_targets_and_depends(&parsed),
        [(1, "01-core.md", ""), (2, "02-cli.md", "phase 1"), (3, "03-docs.md", "1 (the schema) and 2")]
    );
    assert_eq!(parsed.rows[1].label, "Phase 2 — CLI");
}

#[test]
fn a_list_that_names_numbered_phase_files_in_code_spans_is_read_after_the_headings() {
    let readme = "# Plan\n\n## Phases\n\n1. `01-core.md` — Core\n2. `02-cli.md` — CLI (depends on 1)\n\
                  3. **Phase 3 — Docs**\n   - `plan/phase-3/README.md`\n   - `plan/phase-3/flow.md`\n";
    let parsed = parse(readme, "README.md").unwrap();
    assert_eq!(
        ordinals_targets_and_depends(&parsed),
        [(1, "01-core.md", ""), (2, "02-cli.md", "1"), (3, "plan/phase-3/README.md", "")]
    );
    // Sections that name phases win over such a list: it may be a phase's list of files.
    let headings = "# Plan\n\n## Phase 1: Docs\n\n- `docs/01-intro.md`\n\n## Phase 2: More\n";
    assert_eq!(ordinals_and_targets(headings), [(1, "README.md".into()), (2, "README.md".into())]);
    // Dated documents (other plans, notes) are no phase files, in a code span or linked.
    for dated in [
        "# P\n\n- [x] (2026-02-15 19:38Z) Created this plan in `/app/docs/plans/2026-02-15-chart.md`.\n\
         - [x] Moved it to `docs/plans/2026-02-16-chart.md`.\n",
        "# P\n\n- [Chart plan](2026-02-15-chart.md)\n- [Notes](20260216-notes.md)\n",
        // Nor are documents named in prose by their paths elsewhere, numbered or not.
        "# P\n\n- Evidence: `/app/docs/qa/report-2026-02-26.md` marks the matches.\n\
         - Live capture: `/app/tmp/inspect-2026-02-19T20-26/`.\n- See `docs/qa/report-v2.md`.\n",
    ] {
        let error = parse(dated, "README.md").map(|_| ()).unwrap_err();
        assert!(error.message.contains("no phase table"), "{error}");
    }
}

#[test]
fn without_a_table_or_a_list_the_headings_that_name_phases_are_the_phases() {
    let readme = "# Plan\n\n## Overview\n\nThree phases.\n\n## Phase 1: Core\n\n### Steps\n\n\
                  ## Phase 2 — `cli`\n\nDepends on: 1\n\n## Phase 3a. Docs\n\n## Risks\n\n\
                  ### Phase 9 of another plan\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str, &str)> = parsed
        .rows
        .iter()
        .map(|r| (r.ordinal, r.target.as_str(), r.anchor.as_str(), r.key.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "README.md", "phase-1-core", "1"),
            (2, "README.md", "phase-2-cli", "2"),
            (3, "README.md", "phase-3a-docs", "3a")
        ]
    );
    assert!(!parsed.depends_column);
    // Numbered headings alone are a document's outline, not phases.
    let outline = "# Guide\n\n## 1. Overview\n\n## 2. Setup\n";
    assert!(parse(outline, "README.md").is_err());
}

#[test]
fn without_headings_that_name_phases_headings_that_number_task_groups_stages_or_tasks_are_the_phases() {
    let rows = |readme: &str| {
        let parsed = parse(readme, "tasks.md").unwrap();
        let rows =
            parsed.rows.iter().map(|r| (r.ordinal, r.anchor.clone(), r.key.clone())).collect::<Vec<_>>();
        (parsed.unit, rows)
    };
    // Agent OS's task groups, under headings of the layers they build.
    let groups = "# Task Breakdown: Todos\n\n## Task List\n\n### Database Layer\n\n\
                  #### Task Group 1: Todos Table Migration\n**Dependencies:** None\n\n- [ ] 1.0 Complete it\n\n\
                  ### API Layer\n\n#### Task Group 2: Todo Endpoints\n**Dependencies:** Task Group 1\n\n\
                  ## Execution Order\n\n1. Database Layer (Task Group 1)\n";
    assert_eq!(
        rows(groups),
        (
            Some("task group"),
            vec![
                (1, "task-group-1-todos-table-migration".to_owned(), "1".to_owned()),
                (2, "task-group-2-todo-endpoints".to_owned(), "2".to_owned())
            ]
        )
    );
    // Tasks, numbered with or without `#`, the word in any case.
    let tasks = "# Homepage cleanup\n\n### Task 1: Remove the grid\n\n**Step 1: Write the test**\n\n\
                 ### TASK #2: Drop the import\n\n### Tasks overview\n\n### Taskforce 3\n";
    assert_eq!(
        rows(tasks),
        (
            Some("task"),
            vec![
                (1, "task-1-remove-the-grid".to_owned(), "1".to_owned()),
                (2, "task-2-drop-the-import".to_owned(), "2".to_owned())
            ]
        )
    );
    // Stages, milestones and steps too; the unit of the highest headings wins (the steps of
    // each task are not phases).
    let stages = "# Roadmap\n\n## Stage 1: Foundation\n\n## Stage 2: Core Features\n\
                  **Dependencies:** Stage 1 completion\n";
    assert_eq!(rows(stages).0, Some("stage"));
    let milestones =
        "# Plan\n\n### Milestone 0: Cleanup\n\n### Milestone 1: HTTP API\n\n**Depends on:** Milestone 0.\n";
    assert_eq!(rows(milestones).0, Some("milestone"));
    // And epics, as BMAD breaks a product down, over their stories.
    let epics = "# Epics\n\n## Epic 1: Core Foundation\n\n### Story 1.1: Init\n\n## Epic 2: Departments\n\
                 **Dependencies**: Epic 1 (Core Foundation)\n\n### Story 2.1: Teams\n";
    let (unit, epic_rows) = rows(epics);
    assert_eq!((unit, epic_rows.len()), (Some("epic"), 2));
    let steps = "# Plan\n\n### Step 02.1 — Add the icon\n\n### Step 02.2 — Add the button\n\n**Depends on:** Step 02.1\n";
    let (unit, steps) = rows(steps);
    assert_eq!(
        (unit, steps.iter().map(|(_, _, key)| key.as_str()).collect::<Vec<_>>()),
        (Some("step"), vec!["2.1", "2.2"])
    );
    let tasks_of_steps =
        "# Plan\n\n#### Step 1: Test first\n\n## Task 1: Grid\n\n#### Step 1: Test\n\n#### Step 2: Code\n\n\
                          ## Task 2: Import\n\n#### Step 1: Test\n";
    let (unit, tasks) = rows(tasks_of_steps);
    assert_eq!((unit, tasks.len()), (Some("task"), 2));
    // Without such headings, list items that open with a numbered task and a colon, as Trae
    // writes a spec's tasks: not their subtasks, nor the lines that say what they depend on.
    let items = "# Tasks\n- [x] Task 1: Set up the project\n  - [x] SubTask 1.1: Run `yarn init -y`\n\
                 - [ ] Task 2：Parse the arguments\n\n# Task Dependencies\n- Task 2 depends on Task 1\n";
    assert_eq!(
        rows(items),
        (
            Some("task"),
            vec![
                (1, "task-1-set-up-the-project".to_owned(), "1".to_owned()),
                (2, "task-2parse-the-arguments".to_owned(), "2".to_owned())
            ]
        )
    );
    // Headings that name phases win, and their tasks are not phases.
    let phases =
        "# Plan\n\n## Phase 1: Core\n\n### Task 1.1: Schema\n\n## Phase 2: CLI\n\n### Task 2.1: Flags\n";
    let (unit, phase_rows) = rows(phases);
    assert_eq!((unit, phase_rows.len()), (None, 2));
    // Last of all, a numbered checklist's tasks, each with its own text up to the next: not
    // its sub-tasks, nor items without a checkbox or whose number no dot and space follow.
    let checklist = "# Implementation Plan\n\n- [ ] 1. Set up\n  - [ ] 1.1 Init in `a.rs`\n\
                     - [X] 02. Parse\n- 3. Unchecked\n- [ ] 4.Squeezed\n- [~] 2.1.2. Queued\n\n## Notes\n";
    assert_eq!(
        rows(checklist),
        (
            Some("task"),
            vec![
                (1, "set-up".to_owned(), "1".to_owned()),
                (2, "parse".to_owned(), "2".to_owned()),
                (3, "queued".to_owned(), "2.1.2".to_owned())
            ]
        )
    );
}

#[test]
fn headings_may_name_their_phases_in_other_languages() {
    let readme =
        "# 实施计划\n\n## 阶段总览\n\n## 阶段 1：准备\n\n## 阶段 2：实现 ✅\n\n**前置依赖**：阶段 1\n\n\
                  ## フェーズ3: ドキュメント\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str)> =
        parsed.rows.iter().map(|r| (r.ordinal, r.anchor.as_str(), r.key.as_str())).collect();
    assert_eq!(rows, [(1, "阶段-1准备", "1"), (2, "阶段-2实现", "2"), (3, "フェーズ3-ドキュメント", "3")]);
    // And in Spanish, Portuguese, Italian or Dutch (`Fase`), or French (`Étape`).
    let readme = "# Plan\n\n## Fase 1: Datos\n\n## Fase 2 — Modelo\n\n## Étape 3 : Documentation\n\n\
                  ## Этап 4: Блог\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str)> = parsed.rows.iter().map(|r| (r.ordinal, r.anchor.as_str())).collect();
    assert_eq!(
        rows,
        [(1, "fase-1-datos"), (2, "fase-2-modelo"), (3, "étape-3-documentation"), (4, "этап-4-блог")]
    );
    // Numbered in Chinese numerals, before or after the word (`第一阶段`, `阶段二`), and a number
    // in what follows is not the phase's (`(2周)`).
    let readme = "# 开发计划\n\n### 第一阶段：基础架构 (2周)\n\n### 第二阶段：登录系统 (2周)\n\n\
                  ### 第十二阶段：上线\n\n### 阶段二十一：收尾\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str)> =
        parsed.rows.iter().map(|r| (r.ordinal, r.anchor.as_str(), r.key.as_str())).collect();
    assert_eq!(
        rows,
        [
            (1, "第一阶段基础架构", "1"),
            (2, "第二阶段登录系统", "2"),
            (12, "第十二阶段上线", "12"),
            (21, "阶段二十一收尾", "21")
        ]
    );
}

#[test]
fn a_file_column_of_code_files_beside_a_column_of_phase_files_is_what_the_phases_touch() {
    let readme = "| Phase | Spec | File | Depends on |\n|---|---|---|---|\n\
                  | 1 | [a](01-a.md) | `src/a.rs` | — |\n| 2 | [b](02-b.md) | `src/b.rs`, `src/c.rs` | 1 |\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(&str, &[String])> =
        parsed.rows.iter().map(|r| (r.target.as_str(), r.touches.as_slice())).collect();
    assert_eq!(
        rows,
        [
            ("01-a.md", &["src/a.rs".to_owned()][..]),
            ("02-b.md", &["src/b.rs".to_owned(), "src/c.rs".to_owned()][..])
        ]
    );
}

#[test]
fn a_phase_heading_that_links_a_phase_file_names_that_file() {
    let readme =
        "# Loyalty\n\n## Phases\n\n### [Phase 1: Schema](./phase-01-schema.md)\n**Status:** done\n\n\
                  ### [Phase 2: UI](phase-02-ui/) ✅\n\n### [Phase 3: Docs](https://example.com/docs)\n\n\
                  ### Phase 4 — [the release](#release-notes)\n";
    let parsed = parse(readme, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str)> =
        parsed.rows.iter().map(|r| (r.ordinal, r.target.as_str(), r.anchor.as_str())).collect();
    // A link to the web or to an anchor leaves the phase in the README's section, whose
    // anchor is the heading's text as GitHub renders it.
    assert_eq!(
        rows,
        [
            (1, "phase-01-schema.md", ""),
            (2, "phase-02-ui/", ""),
            (3, "README.md", "phase-3-docs"),
            (4, "README.md", "phase-4-the-release"),
        ]
    );
}

#[test]
fn the_name_is_the_first_h1_else_the_front_matters_title() {
    let table = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
    let name = |readme: String| parse(&readme, "README.md").unwrap().name;
    assert_eq!(name(format!("# Widgets\n\n{table}")), "Widgets");
    assert_eq!(
        name(format!("---\ntitle: \"Widget overhaul\"\nstatus: draft\n---\n\n{table}")),
        "Widget overhaul"
    );
    assert_eq!(name(format!("---\ntitle: Front\n---\n\n# Heading\n\n{table}")), "Heading");
    assert_eq!(name(format!("---\nstatus: draft\n---\n\n{table}")), DEFAULT_NAME);
    assert_eq!(name(table.to_owned()), DEFAULT_NAME);
}

#[test]
fn a_phase_column_under_another_name_numbers_the_rows() {
    for header in ["Phase Name", "Phase / Title", "Phases", "Phase ID", "ID", "No.", "Milestone", "Task"] {
        let readme = format!(
            "| {header} | File | Depends on |\n|---|---|---|\n| P1 core | [a](01-core.md) | — |\n\
             | P2 cli | [b](02-cli.md) | P1 |\n"
        );
        assert_eq!(
            ordinals_and_targets(&readme),
            [(1, "01-core.md".into()), (2, "02-cli.md".into())],
            "{header}"
        );
    }
    // Without one, the first other column of a table with File and Depends on columns is.
    let named = "| Name | File | Depends on |\n|---|---|---|\n| Core | [a](01-core.md) | — |\n\
                 | CLI | [b](02-cli.md) | Core |\n";
    let parsed = parse(named, "README.md").unwrap();
    let rows: Vec<(i64, &str, &str)> =
        parsed.rows.iter().map(|r| (r.ordinal, r.label.as_str(), r.depends.as_str())).collect();
    assert_eq!(rows, [(1, "Core", "—"), (2, "CLI", "Core")]);
    // A table with a Phase column wins over an earlier one without.
    let both = "| Crate | File | Depends on |\n|---|---|---|\n| core | `crates/core/Cargo.toml` | — |\n\n\
                | Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
    assert_eq!(ordinals_and_targets(both), [(1, "01-a.md".into())]);
    // A Task column wins over the Milestone column that groups the tasks.
    let tasks = "| Milestone | Task | File | Depends on |\n|---|---|---|---|\n\
                 | M1 | T1 | [a](t1-a.md) | — |\n| M1 | T2 | [b](t2-b.md) | T1 |\n";
    assert_eq!(ordinals_and_targets(tasks), [(1, "t1-a.md".into()), (2, "t2-b.md".into())]);
    // A Phase column whose cells repeat groups the rows; a column that tells them apart
    // numbers them.
    let grouped = "| Phase | Step | File | Depends on |\n|---|---|---|---|\n\
                   | 1 | 1.1 | [a](a.md) | — |\n| 1 | 1.2 | [b](b.md) | 1.1 |\n| 2 | 2.1 | [c](c.md) | 1.2 |\n";
    let parsed = parse(grouped, "README.md").unwrap();
    let keys: Vec<(i64, &str)> = parsed.rows.iter().map(|r| (r.ordinal, r.key.as_str())).collect();
    assert_eq!(keys, [(1, "1.1"), (2, "1.2"), (3, "2.1")]);
    // A Phase file column is the File column, not the Phase column.
    let file = "| Order | Phase file | Depends on |\n|---|---|---|\n| 2 | [a](01-a.md) | — |\n";
    assert_eq!(ordinals_and_targets(file), [(2, "01-a.md".into())]);
}

#[test]
fn an_after_column_beside_a_before_column_says_what_a_phase_leaves() {
    let readme = "| Phase | File | Before | After |\n|---|---|---|---|\n\
                  | 1 | [a](01-a.md) | 3 crates | 2 crates, depends on nothing |\n";
    let parsed = parse(readme, "README.md").unwrap();
    assert!(!parsed.depends_column);
}

#[test]
fn a_dependents_column_says_what_waits_for_a_phase_not_what_it_waits_for() {
    let readme = "| Phase | File | Dependents | Depends on |\n|---|---|---|---|\n\
                  | 01 | [a](01-a.md) | 02 | — |\n| 02 | [b](02-b.md) | — | 01 |\n";
    let parsed = parse(readme, "README.md").unwrap();
    let depends: Vec<&str> = parsed.rows.iter().map(|r| r.depends.as_str()).collect();
    assert_eq!(depends, ["—", "01"]);
}

#[test]
fn a_files_column_under_another_name_is_the_touches_column() {
    for header in
        ["Touches", "Files", "Key files", "Files to change", "Touched files", "Paths", "Touches (files)"]
    {
        let readme = format!(
            "| Phase | File | Depends on | {header} |\n|---|---|---|---|\n\
             | 01 | [a](01-a.md) | — | `src/a.rs`, `src/b.rs` |\n"
        );
        let parsed = parse(&readme, "README.md").unwrap();
        assert_eq!(parsed.rows[0].touches, ["src/a.rs", "src/b.rs"], "{header}");
    }
    let linked = "| Phase | Files | Depends on |\n|---|---|---|\n| 01 | [a](01-a.md) | — |\n";
    let parsed = parse(linked, "README.md").unwrap();
    assert_eq!((parsed.rows[0].target.as_str(), parsed.rows[0].touches.len()), ("01-a.md", 0));
}

#[test]
fn without_a_depends_on_column_the_rows_say_what_they_depend_on() {
    let readme = "# Fleet\n\n| # | Slug | Layout | Model | Blocking? |\n|---|---|---|---|---|\n\
                  | 01 | persist-ci-options | flat | 5.4 / medium | foundational; blocks 02, 04 sub-01 |\n\
                  | 02 | unify-drift | flat | 5.5 / high | depends on 01 |\n\
                  | 03 | ux-polish | dir | mixed | sub-01 depends on 01; sub-02 is free. |\n\
                  | 04 | release | flat | low | blocked by 02; needs 2 reviewers. |\n\n\
                  [Phase 01](./01-persist-ci-options.md)\n[Phase 02](./02-unify-drift.md)\n\
                  [Phase 03](./03-ux-polish/README.md)\n[Phase 04](./04-release.md)\n";
    let parsed = parse(readme, "README.md").unwrap();
    assert_eq!(
        ordinals_targets_and_depends(&parsed),
        [
            (1, "01-persist-ci-options.md", ""),
            (2, "02-unify-drift.md", "01"),
            (3, "03-ux-polish/README.md", "01"),
            (4, "04-release.md", "02")
        ]
    );
    // A status that says what the phase is blocked on says it too.
    let status = "| Phase | Name | Status |\n|---|---|---|\n| 1 | [Freeze](./phase-01-freeze.md) | Ready |\n\
                  | 2 | [Scaffold](./phase-02-scaffold.md) | Blocked on Phase 1; protocol proposed |\n\
                  | 3 | [Evidence](./phase-03-evidence.md) | Blocked on Phases 1 and 2 |\n";
    let parsed = parse(status, "plan.md").unwrap();
    let depends: Vec<&str> = parsed.rows.iter().map(|row| row.depends.as_str()).collect();
    assert_eq!(depends, ["", "phase 1", "phases 1 and 2"]);
}

#[test]
fn a_table_with_every_column_wins_over_one_without_depends_on() {
    let readme = "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n\n\
                  | # | Notes |\n|---|---|\n| 1 | [a](01-a.md) |\n\n\
                  | Phase | File | Depends on |\n|---|---|---|\n| 1 | [b](01-b.md) | — |\n";
    assert_eq!(ordinals_and_targets(readme), [(1, "01-b.md".into())]);
    for without in [
        "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n",
        "| # | File | Purpose |\n|---|---|---|\n| 1 | [guide](docs/guide.md) | manual |\n| 2 | [faq](faq.md) | FAQ |\n",
    ] {
        let error = parse(without, "README.md").unwrap_err().to_string();
        assert!(error.contains("the table here has no Depends on column"), "{error}");
    }
    let numbered = "| # | File | Purpose |\n|---|---|---|\n| 1 | [core](01-core.md) | types |\n";
    assert_eq!(ordinals_and_targets(numbered), [(1, "01-core.md".into())]);
}

#[test]
fn rows_without_any_number_are_numbered_in_order() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| A | [a](a-core.md) | — |\n\
                  | B | [b](b-cli.md) | A |\n";
    assert_eq!(ordinals_and_targets(readme), [(1, "a-core.md".into()), (2, "b-cli.md".into())]);
    // Rows of which only some hold a number are numbered in order too, each named by its
    // own text; a row with no text to name it by is refused.
    let mixed = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](a-core.md) | — |\n\
                 | B | [b](b-cli.md) | 1 |\n";
    assert_eq!(ordinals_and_targets(mixed), [(1, "a-core.md".into()), (2, "b-cli.md".into())]);
    let unnamed = mixed.replace("| B |", "| |");
    let error = parse(&unnamed, "README.md").unwrap_err().to_string();
    assert!(
        error.starts_with("README.md:4: cannot tell the phase number of the row for `b-cli.md`"),
        "{error}"
    );
}

#[test]
fn a_step_or_stage_column_is_the_phase_column() {
    // `Phase¹`: a footnote mark is no part of a header's name.
    for header in ["Step", "Stage", "Phase¹"] {
        let readme = format!("| {header} | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n| 2 | [b](02-b.md) | 1 |\n");
        assert_eq!(ordinals_and_targets(&readme), [(1, "01-a.md".into()), (2, "02-b.md".into())], "{header}");
    }
}

#[test]
fn columns_named_in_chinese_japanese_or_korean_are_read() {
    for (phase, file, depends) in
        [("阶段", "文件", "依赖"), ("フェーズ", "ファイル", "依存関係"), ("단계", "파일", "의존성")]
    {
        let readme = format!(
            "| {phase} | {file} | {depends} | 说明 |\n|---|---|---|---|\n| 1 | [a](01-a.md) | 无 | x |\n\
             | 2 | [b](02-b.md) | 1 | y |\n"
        );
        let parsed = parse(&readme, "README.md").unwrap();
        assert_eq!(
            ordinals_targets_and_depends(&parsed),
            [(1, "01-a.md", "无"), (2, "02-b.md", "1")],
            "{phase}"
        );
        assert!(parsed.depends_column);
    }
    // Without a dependency column, the phase table of an index of phase files.
    let index = "| 阶段 | 文件 | 状态 | 说明 |\n|------|------|------|------|\n\
                 | 1 | [phase1-skeleton.md](./phase1-skeleton.md) | ✅ 已完成 | 骨架 |\n\
                 | 2 | [phase2-chat.md](./phase2-chat.md) | 🔲 待实施 | 聊天 |\n";
    assert_eq!(ordinals_and_targets(index), [(1, "phase1-skeleton.md".into()), (2, "phase2-chat.md".into())]);
}

#[test]
fn columns_named_in_european_languages_are_read() {
    for (phase, file, depends) in [
        ("Fase", "Archivo", "Depende de"),
        ("Fase", "Arquivo", "Dependências"),
        ("Étape", "Fichier", "Dépend de"),
        ("Phase", "Datei", "Abhängig von"),
        ("Fase", "File", "Dipende da"),
        ("Fase", "Bestand", "Afhankelijk van"),
        ("Этап", "Файл", "Зависит от"),
        ("Etap", "Plik", "Zależy od"),
    ] {
        let readme = format!(
            "| {phase} | {file} | {depends} |\n|---|---|---|\n| 1 | [a](01-a.md) | Ninguna |\n\
             | 2 | [b](02-b.md) | Fase 1 |\n"
        );
        let parsed = parse(&readme, "README.md").unwrap();
        let rows = ordinals_targets_and_depends(&parsed);
        assert_eq!(rows, [(1, "01-a.md", "Ninguna"), (2, "02-b.md", "Fase 1")], "{phase} {file} {depends}");
        assert!(parsed.depends_column, "{depends}");
    }
}

#[test]
fn a_prose_phase_cell_takes_the_number_anywhere_in_the_file_name() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| Canvas | [c](phase-3-canvas.md) | — |\n\
                  | Visuals | [v](phase-7-visuals.md) | 3 |\n";
    assert_eq!(
        ordinals_and_targets(readme),
        [(3, "phase-3-canvas.md".into()), (7, "phase-7-visuals.md".into())]
    );
}

#[test]
fn the_number_column_numbers_rows_whose_phase_cell_holds_no_number() {
    let readme = "| # | Phase | File | Depends on |\n|---|---|---|---|\n\
                  | 1 | Shared infra | `2026-07-13-uplift-01-infra.md` | — |\n\
                  | 2 | Messages | `2026-07-13-uplift-02-msg.md` | Phase 1 |\n";
    let rows = ordinals_and_targets(readme);
    assert_eq!(rows.iter().map(|(o, _)| *o).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn a_table_short_of_one_column_is_named_in_the_error() {
    let readme = "# P\n\n| Task | Area |\n|---|---|\n| x | y |\n\n| Phase | Slug name | Depends on |\n|---|---|---|\n| 1 | a | — |\n";
    let error = parse(readme, "README.md").unwrap_err().to_string();
    assert_eq!(
        error,
        "README.md:7: unrecognized README format: the table here has no File column (its columns: \
         Phase, Slug name, Depends on); a phase table needs Phase (or #), File and Depends on columns"
    );
    let error = parse("# P\n\nprose\n", "README.md").unwrap_err().to_string();
    assert!(
        error.ends_with(
            "no phase table; a phase table needs Phase (or #), File and Depends on columns \
             (or list the phase files, `1. [Core](01-core.md)`, or head each phase's section \
             `## Phase 1: Core`)"
        ),
        "{error}"
    );
}

#[test]
fn an_index_by_another_name_is_not_called_a_readme_in_the_error() {
    let error = parse("# Tasks\n\nprose\n", "specs/auth/tasks.md").unwrap_err().to_string();
    assert!(error.starts_with("specs/auth/tasks.md: unrecognized plan format: no phase table;"), "{error}");
    let error = parse("| Phase | File | Depends on |\n|---|---|---|\n", "plan.md").unwrap_err().to_string();
    assert_eq!(error, "plan.md: unrecognized plan format: the phase table has no phase rows");
    let error = parse("# P\n\nprose\n", "docs/readme.md").unwrap_err().to_string();
    assert!(error.starts_with("docs/readme.md: unrecognized README format"), "{error}");
}
