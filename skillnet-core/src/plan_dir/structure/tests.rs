//! Plan directories read whole, from their files to their shape.

use super::*;

/// Each phase's number, slug, the phases it depends on and its files, in order.
fn phases_read(shape: &PlanShape) -> Vec<(i64, &str, Vec<i64>, Vec<&str>)> {
    let mut read = Vec::with_capacity(shape.phases.len());
    for p in &shape.phases {
        let files = p.files.iter().map(String::as_str).collect();
        read.push((p.ordinal, p.slug.as_str(), p.depends_on.clone(), files));
    }
    read
}

/// Each phase's slug and the phases it depends on, in order.
fn slugs_and_dependencies(shape: &PlanShape) -> Vec<(&str, Vec<i64>)> {
    shape.phases.iter().map(|p| (p.slug.as_str(), p.depends_on.clone())).collect()
}

#[test]
fn slugs_lose_their_number_and_never_end_up_empty() {
    assert_eq!(slug_of("01-foo.md", "1"), "foo");
    assert_eq!(slug_of("2024-migration.md", "2024"), "migration");
    assert_eq!(slug_of("01.md", "1"), "");
    assert_eq!(slug_of("02-cli-surface", "2"), "cli-surface");
    assert_eq!(slug_of("3d-rendering.md", "3"), "d-rendering");
    assert_eq!(slug_of("04b-ingestion.md", "4b"), "ingestion");
    assert_eq!(slug_of("d1_storage.md", "d1"), "storage");
    assert_eq!(slug_of("a-setup.md", "a"), "a-setup", "a letter alone is not a numbering text");
    assert_eq!(slug_of("phases/04.1-fix.md", "4.1"), "fix");
    assert_eq!(slug_of("01.5-fix.md", "1"), ".5-fix", "0.6's rule: only digits, `-` and `_` go");
    assert_eq!(slug_of("01 set  up.md", "1"), "set-up");
}

#[test]
fn a_percent_encoded_link_finds_its_phase_file() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01%20set%20up.md) | — |\n\
                  | 2 | [b](<02 build.md>) | 1 |\n";
    let files = [("README.md", readme), ("01 set up.md", "# a\n"), ("02 build.md", "# b\n")];
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let slugs: Vec<&str> = shape.phases.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["set-up", "build"]);
}

#[test]
fn a_link_from_the_repository_root_finds_the_phase_file_in_the_plan_directory() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n\
                  | 1 | `docs/plan/01-core.md` | — |\n| 2 | [two](/docs/plan/02-cli/README.md) | 1 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("01-core.md", "## Files likely touched\n\n- `src/core.rs`\n"),
        ("02-cli/README.md", "## Files likely touched\n\n- `src/cli.rs`\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let phases: Vec<(&str, &[String])> =
        shape.phases.iter().map(|p| (p.slug.as_str(), p.files.as_slice())).collect();
    assert_eq!(phases, [("core", &["src/core.rs".to_owned()][..]), ("cli", &["src/cli.rs".to_owned()][..])]);
    let missing = super::super::MemoryPlan::new([("README.md", readme)]);
    assert_eq!(
        parse(&missing).unwrap_err().message,
        "phase 1 names a phase file that does not exist: `docs/plan/01-core.md`"
    );
}

#[test]
fn a_slug_finds_its_numbered_phase_file_or_folder() {
    let readme = "| # | Slug | Depends on |\n|---|---|---|\n| 1 | foundation | — |\n| 2 | cli | 1 |\n\
                  | 3 | docs | 2 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("01-foundation.md", "## Files likely touched\n\n- `src/lib.rs`\n"),
        ("2-cli.md", "## Files likely touched\n\n- `src/cli.rs`\n"),
        ("03-docs/README.md", "## Files likely touched\n\n- `docs/a.md`\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let files: Vec<&str> = shape.phases.iter().flat_map(|p| &p.files).map(String::as_str).collect();
    assert_eq!(files, ["src/lib.rs", "src/cli.rs", "docs/a.md"]);
}

#[test]
fn a_phase_file_without_a_callout_takes_the_readmes_model_column() {
    let readme =
        "| Phase | File | Depends on | Model |\n|---|---|---|---|\n| 1 | 01-a.md | — | 5.5 / high |\n\
                  | 2 | 02-b.md | 1 | GPT 5.5 high |\n| 3 | 03-c.md | 2 | mixed (see phase README) |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("01-a.md", "# A\n"),
        ("02-b.md", "> **Recommended Codex model: GPT 5.5 low**\n"),
        ("03-c.md", "# C\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let tiers: Vec<(&str, Option<Family>)> =
        shape.phases.iter().map(|p| (p.routing_tier.as_str(), p.family)).collect();
    assert_eq!(tiers, [("high", None), ("low", Some(Family::Codex)), ("medium", None)]);
}

#[test]
fn a_row_without_a_phase_file_is_a_phase_its_row_alone_describes() {
    let readme = "| Phase | File | Depends on | Touches | Model |\n|---|---|---|---|---|\n\
                  | 1 | [a](01-a.md) | — | `src/a.rs` | |\n| 2 | — (setup, no file) | 1 | `ci.yml` | Haiku |\n\
                  | 3 | (optional) Add a summary (`collect.go`) | 1 | | |\n| 4 | 04-d.md | 2, 3 | | |\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme), ("01-a.md", "# A\n"), ("04-d.md", "")]);
    let shape = parse(&plan).unwrap();
    let phases: Vec<String> = shape
        .phases
        .iter()
        .map(|p| format!("{} {} {} {:?} {:?}", p.ordinal, p.slug, p.routing_tier, p.files, p.depends_on))
        .collect();
    assert_eq!(
        phases,
        [
            r#"1 a medium ["src/a.rs"] []"#,
            r#"2 phase-2 low ["ci.yml"] [1]"#,
            r#"3 phase-3 medium ["collect.go"] [1]"#,
            r#"4 d medium [] [2, 3]"#
        ]
    );
    assert_eq!((shape.wave_count, shape.max_chain_depth), (3, 3));
}

#[test]
fn words_in_a_column_of_links_that_name_nothing_held_are_a_phase_without_a_file() {
    // Phases 1-4 are one row without a link among rows that link their phase files.
    let readme = "| フェーズ | 内容 | 状態 |\n|---|---|---|\n| Phase 1-4 | ローマ字→かな | 完了 |\n\
                  | [Phase 5](./phase5-candidate-ui.md) | 候補ウィンドウ UI | 未着手 |\n\
                  | [Phase 6](./phase6-polish.md) | 仕上げ | 未着手 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("phase5-candidate-ui.md", "# Phase 5\n"),
        ("phase6-polish.md", "# Phase 6\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let slugs: Vec<(i64, &str)> = shape.phases.iter().map(|p| (p.ordinal, p.slug.as_str())).collect();
    assert_eq!(slugs, [(1, "phase-1"), (5, "phase5-candidate-ui"), (6, "phase6-polish")]);
    // A file name that is not there is still an error, spaces or not.
    for missing in ["05-b.md", "05 set up.md"] {
        let readme = format!("| Phase | File | Depends on |\n|---|---|---|\n| 5 | {missing} | — |\n");
        let plan = super::super::MemoryPlan::new([("README.md", readme.as_str())]);
        assert!(parse(&plan).unwrap_err().to_string().contains("does not exist"), "{missing}");
    }
}

#[test]
fn links_to_phase_files_name_their_phases_whatever_their_text_says() {
    let readme = "# Crawler\n\n1. [Scaffold](0010-scaffold.md)\n2. [Crawl](0020-crawl.md)\n\
                  3. [Stop rules](0030-stop.md)\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("0010-scaffold.md", "# Scaffold\n\n## Blocked by\n\nNone - can start immediately.\n"),
        ("0020-crawl.md", "# Crawl\n\n## Blocked by\n\n- [the crawler's skeleton](0010-scaffold.md)\n"),
        (
            "0030-stop.md",
            "# Stop\n\n**Depends on:** [the crawl](./0020-crawl.md#result) and [the design](2026-09-30-design.md)\n",
        ),
    ]);
    let shape = parse(&plan).unwrap();
    let depends: Vec<&[i64]> = shape.phases.iter().map(|p| p.depends_on.as_slice()).collect();
    assert_eq!(depends, [&[][..], &[10], &[20]]);
    // In the README's Depends on column too.
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n\
                  | 2 | [b](02-b.md) | [the schema](01-a.md) |\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme), ("01-a.md", ""), ("02-b.md", "")]);
    assert_eq!(parse(&plan).unwrap().phases[1].depends_on, [1]);
}

#[test]
fn a_model_and_effort_column_is_the_model_column() {
    let readme = "| # | Phase | File | Depends on | Model / Effort |\n|---|---|---|---|---|\n\
                  | 01 | Narrative | 01-a.md | — | gpt-5.4-mini / low |\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme), ("01-a.md", "# A\n")]);
    let phase = &parse(&plan).unwrap().phases[0];
    assert_eq!((phase.routing_tier.as_str(), phase.family), ("low", Some(Family::Codex)));
    for header in ["Worker", "Agent"] {
        let readme = format!(
            "| Phase | Doc | Depends on | {header} |\n|---|---|---|---|\n| 8.0 | `m8_kit.md` | — | Haiku* |\n"
        );
        let plan = super::super::MemoryPlan::new([("README.md", readme.as_str()), ("m8_kit.md", "# A\n")]);
        let phase = &parse(&plan).unwrap().phases[0];
        assert_eq!((phase.routing_tier.as_str(), phase.family), ("low", Some(Family::Claude)), "{header}");
    }
}

#[test]
fn sub_phases_sharing_a_number_are_numbered_in_table_order_and_named_by_their_text() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 04 | [a](04-a.md) | — |\n\
                  | 04b | [b](04b-b.md) | 04 |\n| 5a | [c](05a-c.md) | Phase 4B |\n| 05b | [d](05b-d.md) | 05a |\n\
                  | 06 | [e](06-e.md) | 04–05b, 09 |\n";
    let mut files = vec![("README.md", readme)];
    files.extend(["04-a.md", "04b-b.md", "05a-c.md", "05b-d.md", "06-e.md"].map(|f| (f, "# P\n")));
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let phases: Vec<(i64, &str, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.slug.as_str(), p.depends_on.as_slice())).collect();
    assert_eq!(
        phases,
        [
            (1, "a", &[][..]),
            (2, "b", &[1][..]),
            (3, "c", &[2][..]),
            (4, "d", &[3][..]),
            (5, "e", &[1, 2, 3, 4, 1_000_000_009][..]),
        ]
    );
    assert_eq!((shape.wave_count, shape.max_chain_depth), (5, 5));
    let same =
        "| Phase | File | Depends on |\n|---|---|---|\n| 3 | [a](03-a.md) | — |\n| 3 | [b](03-b.md) | — |\n";
    let error = parse(&super::super::MemoryPlan::new([("README.md", same)])).unwrap_err();
    assert_eq!(error.message, "duplicate phase ordinal 3 (rows at lines 3 and 4)");
}

#[test]
fn steps_of_one_number_with_a_word_after_a_hyphen_are_named_by_their_cells() {
    // A test-first plan: each number has a test, a review and an implementation step.
    let readme = "| Phase | File | Depends |\n|---|---|---|\n| 0 (spike) | `phase-00-spike.md` | — |\n\
                  | 1-test | `phase-01-test.md` | 0 |\n| 1-review | `phase-01-review.md` | 1-test |\n\
                  | 1-impl | `phase-01-impl.md` | 1-review |\n| 2 | `phase-02-pack.md` | 1-impl, 0 |\n";
    let mut files = vec![("README.md", readme)];
    let names = [
        "phase-00-spike.md",
        "phase-01-test.md",
        "phase-01-review.md",
        "phase-01-impl.md",
        "phase-02-pack.md",
    ];
    files.extend(names.map(|f| (f, "# P\n")));
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let phases: Vec<(i64, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.depends_on.as_slice())).collect();
    assert_eq!(phases, [(1, &[][..]), (2, &[1][..]), (3, &[2][..]), (4, &[3][..]), (5, &[1, 4][..])]);
    // Cells that go on in prose are still the one phase number twice.
    let prose =
        "| Phase | File | Depends |\n|---|---|---|\n| 1 test | `a.md` | — |\n| 1 impl | `b.md` | — |\n";
    let error = parse(&super::super::MemoryPlan::new([("README.md", prose)])).unwrap_err();
    assert_eq!(error.message, "duplicate phase ordinal 1 (rows at lines 3 and 4)");
    // So are one number written twice and one number with two prefixes.
    for (a, b) in [("04", "4"), ("P1", "Phase1")] {
        let twice = format!(
            "| Phase | File | Depends |\n|---|---|---|\n| {a} | `a.md` | — |\n| {b} | `b.md` | — |\n"
        );
        assert!(parse(&super::super::MemoryPlan::new([("README.md", twice.as_str())])).is_err(), "{a} {b}");
    }
}

#[test]
fn a_sub_phase_whose_phase_cell_goes_on_in_prose_is_named_by_its_number() {
    let readme = "| Phase | Doc | Depends on |\n|---|---|---|\n| 00 Build | `phases/00-build.md` | — |\n\
                  | 04 I/O core | `phases/04-io.md` | 00 |\n| 05a Zip channels | `phases/05a-zip.md` | 04 |\n\
                  | 05b Zip port | `phases/05b-port.md` | 05a |\n| 06 XML & HTTP | `phases/06-xml.md` | 00 (Url), 05b |\n";
    let mut files = vec![("README.md", readme)];
    let names = [
        "phases/00-build.md",
        "phases/04-io.md",
        "phases/05a-zip.md",
        "phases/05b-port.md",
        "phases/06-xml.md",
    ];
    files.extend(names.map(|f| (f, "# P\n")));
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let phases: Vec<(i64, &str, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.slug.as_str(), p.depends_on.as_slice())).collect();
    assert_eq!(
        phases,
        [
            (1, "build", &[][..]),
            (2, "io", &[1][..]),
            (3, "zip", &[2][..]),
            (4, "port", &[3][..]),
            (5, "xml", &[1, 4][..]),
        ]
    );
    let same = "| Phase | File | Depends on |\n|---|---|---|\n| 3 Setup | [a](03-a.md) | — |\n\
                | Phase 3: teardown | [b](03-b.md) | — |\n";
    let error = parse(&super::super::MemoryPlan::new([("README.md", same)])).unwrap_err();
    assert_eq!(error.message, "duplicate phase ordinal 3 (rows at lines 3 and 4)");
}

#[test]
fn rows_of_which_only_some_hold_a_number_are_numbered_in_order_and_named_by_their_text() {
    let readme = "| Phase | Document | Depends on |\n|---|---|---|\n| PR-A | [a](PR-A_j.md) | — |\n\
                  | PR-N1 | [n1](PR-N1_prims.md) | — |\n| PR-N2 | [n2](PR-N2_driver.md) | PR-N1 |\n\
                  | PR-G | [g](PR-G_gpu.md) | PR-A, PR-N2 recommended |\n| PR-R | [r](PR-R_gate.md) | all of the above |\n";
    let mut files = vec![("README.md", readme)];
    files.extend(
        ["PR-A_j.md", "PR-N1_prims.md", "PR-N2_driver.md", "PR-G_gpu.md", "PR-R_gate.md"]
            .map(|f| (f, "# P\n")),
    );
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let phases: Vec<(i64, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.depends_on.as_slice())).collect();
    assert_eq!(phases, [(1, &[][..]), (2, &[][..]), (3, &[2][..]), (4, &[1, 3][..]), (5, &[1, 2, 3, 4][..])]);
}

#[test]
fn phase_files_that_share_a_name_take_their_folders_name_as_the_slug() {
    let readme = "| Phase | Spec | Depends on |\n|---|---|---|\n| 1 | [a](specs/01-split/spec.md) | — |\n\
                  | 2 | [b](specs/eval-core/spec.md) | 1 |\n| 3 | [c](docs/03-docs.md) | 2 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("specs/01-split/spec.md", "# A\n"),
        ("specs/eval-core/spec.md", "# B\n"),
        ("docs/03-docs.md", "# C\n"),
    ]);
    let slugs: Vec<String> = parse(&plan).unwrap().phases.into_iter().map(|p| p.slug).collect();
    assert_eq!(slugs, ["split", "eval-core", "docs"]);
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](track-a/01-api.md) | — |\n\
                  | 2 | [b](track-a/02-ui.md) | 1 |\n| 3 | [c](track-b/01-api.md) | — |\n| 4 | [d](02-ui.md) | 3 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("track-a/01-api.md", "# A\n"),
        ("track-a/02-ui.md", "# B\n"),
        ("track-b/01-api.md", "# C\n"),
        ("02-ui.md", "# D\n"),
    ]);
    let slugs: Vec<String> = parse(&plan).unwrap().phases.into_iter().map(|p| p.slug).collect();
    assert_eq!(slugs, ["track-a-api", "track-a-ui", "track-b", "ui"]);
}

/// Each phase's slug, routing tier and files, on one line.
fn slugs_tiers_and_files(plan: &super::super::MemoryPlan) -> Vec<String> {
    let phases = parse(plan).unwrap().phases;
    phases.iter().map(|p| format!("{} {} {}", p.slug, p.routing_tier, p.files.join(" "))).collect()
}

#[test]
fn rows_linking_one_file_at_different_anchors_read_their_own_sections() {
    let readme = "| Phase | File | Depends on | Touches |\n|---|---|---|---|\n\
                  | 1 | [Core](plan.md#phase-1-core) | — | `src/a.rs` |\n\
                  | 2 | [CLI](./plan.md#phase-2-the-cli) | 1 | `src/b.rs` |\n\
                  | 3 | [Docs](plan.md#3-docs) | 2 | `README.md` |\n";
    let plan_md = "# Plan\n\n## Phase 1: Core\n\n> **Recommended Codex model: GPT 5.5 high**\n\n\
                   ### Files likely touched\n\n- `src/core.rs`\n\n\
                   ## Phase 2: the CLI\n\n> **Recommended Claude model: Haiku**\n\n\
                   ## 3. Docs\n\nNo callout.\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme), ("plan.md", plan_md)]);
    assert_eq!(
        slugs_tiers_and_files(&plan),
        ["phase-1-core high src/core.rs", "phase-2-the-cli low src/b.rs", "docs medium README.md"]
    );
    // One row per file, anchor or not: the whole file, named by the file.
    let one = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md#goal) | — |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", one),
        ("01-a.md", "# A\n\n## Goal\n\n## Model\n\nRecommended Codex model: GPT 5.5 low\n"),
    ]);
    let phase = &parse(&plan).unwrap().phases[0];
    assert_eq!((phase.slug.as_str(), phase.routing_tier.as_str()), ("a", "low"));
}

#[test]
fn rows_linking_anchors_of_the_readme_read_its_sections() {
    let readme = "# In-page plan\n\n> **Recommended Codex model: GPT 5.5 max** for the merge.\n\n\
                  | Phase | File | Depends on | Touches |\n|---|---|---|---|\n\
                  | 1 | [Core](#phase-1-core) | — | `src/a.rs` |\n| 2 | [CLI](#phase-2-cli) | 1 | `src/b.rs` |\n\n\
                  ## Phase 1: Core\n\n> **Recommended Codex model: GPT 5.5 high**\n\n\
                  ## Phase 2: CLI\n\n> **Recommended Codex model: GPT 5.5 low**\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme)]);
    assert_eq!(slugs_tiers_and_files(&plan), ["phase-1-core high src/a.rs", "phase-2-cli low src/b.rs"]);
    // One row alone still reads its section, not the README's callout above the table.
    let one = readme.replace("| 2 | [CLI](#phase-2-cli) | 1 | `src/b.rs` |\n", "");
    let plan = super::super::MemoryPlan::new([("README.md", one.as_str())]);
    let phase = &parse(&plan).unwrap().phases[0];
    assert_eq!((phase.slug.as_str(), phase.routing_tier.as_str()), ("phase-1-core", "high"));
}

#[test]
fn a_readme_whose_headings_name_its_phases_holds_one_phase_each() {
    let readme = "# One-file plan\n\n> **Recommended Codex model: GPT 5.5 max** for the merge.\n\n\
                  ## Phase 1: Core\n\n**Model:** Codex high\n\n### Files likely touched\n\n- `src/core.rs`\n\n\
                  ## Phase 2: CLI\n\n> **Recommended Claude model: Haiku**\n\n**Depends on:** Phase 1\n\n\
                  **Files touched:** `src/cli.rs`\n\n## Phase 3: Docs\n\nDepends on: 1, 2\n\n## Risks\n\nNone.\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme)]);
    assert_eq!(
        slugs_tiers_and_files(&plan),
        ["phase-1-core high src/core.rs", "phase-2-cli low src/cli.rs", "phase-3-docs medium "]
    );
    let shape = parse(&plan).unwrap();
    let depends: Vec<Vec<i64>> = shape.phases.iter().map(|p| p.depends_on.clone()).collect();
    assert_eq!(depends, [vec![], vec![1], vec![1, 2]]);
    assert_eq!((shape.wave_count, shape.max_chain_depth, shape.flavor.as_str()), (3, 3, "mixed"));
}

#[test]
fn a_table_of_the_phases_without_files_gives_the_readmes_phase_sections_what_they_depend_on() {
    let readme =
        "# Source checks\n\n| Phase | Name | Depends On | Touches | Model |\n|---|---|---|---|---|\n\
                  | 1A | Helper | — | `src/check.go` | high |\n| 1B | Resolve | — | | |\n\
                  | 2 | Wire | 1A, 1B | | low |\n\n## Phase 1A: Helper (5 pts)\n\nText.\n\n\
                  ## Phase 1B: Resolve\n\n**Depends on:** 1A\n\n## Phase 2: Wire\n\n## Phase 3: Docs\n\n\
                  Depends on: 2\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme)]);
    let shape = parse(&plan).unwrap();
    let phases: Vec<(&str, &[i64], &str)> = shape
        .phases
        .iter()
        .map(|p| (p.slug.as_str(), p.depends_on.as_slice(), p.routing_tier.as_str()))
        .collect();
    // The table's cells win; a phase it does not list keeps its section's line.
    assert_eq!(
        phases,
        [
            ("phase-1a-helper", &[][..], "high"),
            ("phase-1b-resolve", &[][..], "medium"),
            ("phase-2-wire", &[1, 2][..], "low"),
            ("phase-3-docs", &[3][..], "medium"),
        ]
    );
    assert_eq!(shape.phases[0].files, ["src/check.go"]);
}

#[test]
fn headings_may_name_lettered_phases() {
    let readme = "# Forum polish\n\n## Phase A — Shared helper\n\n- `src/help.rs`\n\n\
                  ## Phase B: Previews\n\nDepends on: Phase A only insofar as it touches the seed.\n\n\
                  ## Phase C\n\nDepends on: Phase A, Phase B\n\n## Phase overview\n\n## Phase a new idea\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme)]);
    let shape = parse(&plan).unwrap();
    let phases: Vec<(i64, &str, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.slug.as_str(), p.depends_on.as_slice())).collect();
    assert_eq!(
        phases,
        [
            (1, "phase-a-shared-helper", &[][..]),
            (2, "phase-b-previews", &[1][..]),
            (3, "phase-c", &[1, 2][..])
        ]
    );
    let roman = "# P\n\n## Phase I: Core\n\n## Phase II: CLI\n\nDepends on: Phase I\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", roman)])).unwrap();
    assert_eq!(shape.phases[1].depends_on, [1]);
}

#[test]
fn a_phase_named_by_its_heading_keeps_its_slug_as_the_heading_reports_its_status() {
    let plan = |first: &str, second: &str, third: &str| {
        let readme = format!(
            "# Plan\n\n### Phase 1: Core{first}\n\n**Files**: `src/core.rs`\n\n### Phase 2: CLI{second}\n\n\
             Depends on: Phase 1\n\n### Phase 3: Docs{third}\n\nDepends on: Phase 2\n"
        );
        let shape = parse(&super::super::MemoryPlan::new([("README.md", readme.as_str())])).unwrap();
        let slugs: Vec<String> = shape.phases.iter().map(|p| p.slug.clone()).collect();
        (slugs, shape.phases[0].files.clone(), shape.max_chain_depth)
    };
    let written = plan(" [NOT STARTED]", " [NOT STARTED]", "");
    assert_eq!(written.0, ["phase-1-core", "phase-2-cli", "phase-3-docs"]);
    assert_eq!(written.1, ["src/core.rs"]);
    assert_eq!(written.2, 3);
    assert_eq!(plan(" [COMPLETED]", " ✅ (2026-02-06)", " — in progress"), written);
    // A link to the heading as GitHub names it, status and all, still finds its section.
    let readme = "# Plan\n\n| Phase | File | Depends on |\n|---|---|---|\n\
                  | 1 | [Core](#phase-1-core-completed) | — |\n| 2 | [CLI](#phase-2-cli) | 1 |\n\n\
                  ## Phase 1: Core [COMPLETED]\n\n**Files**: `src/core.rs`\n\n## Phase 2: CLI ✅\n\n\
                  **Files**: `src/cli.rs`\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", readme)])).unwrap();
    let files: Vec<&[String]> = shape.phases.iter().map(|p| p.files.as_slice()).collect();
    assert_eq!(files, [&["src/core.rs".to_owned()][..], &["src/cli.rs".to_owned()]]);
}

#[test]
fn a_row_of_a_table_of_waves_describes_each_phase_it_lists() {
    let readme = "# Plan\n\n## Implementation Phases\n\n**Dependency Analysis**:\n\
                  | Wave | Phases | Blocked by |\n|------|--------|------------|\n\
                  | 1 | 1 | -- |\n| 2 | 2, 3 | 1 |\n| 3 | 4-6 | 2, 3 |\n| 4 | 7 and 8 | 4 |\n\n\
                  ### Phase 1: Core [COMPLETED]\n\n### Phase 2: CLI [NOT STARTED]\n\n\
                  ### Phase 3: Docs\n\n### Phase 4: A\n\n### Phase 5: B\n\n### Phase 6: C\n\n\
                  ### Phase 7: D\n\n### Phase 8: E\n";
    let plan = super::super::MemoryPlan::new([("README.md", readme)]);
    let shape = parse(&plan).unwrap();
    let depends: Vec<&[i64]> = shape.phases.iter().map(|p| p.depends_on.as_slice()).collect();
    assert_eq!(depends, [&[][..], &[1], &[1], &[2, 3], &[2, 3], &[2, 3], &[4], &[4]]);
    assert_eq!((shape.wave_count, shape.max_chain_depth), (4, 4));
}
#[test]
fn without_a_depends_on_column_a_phase_file_says_what_its_phase_depends_on() {
    let readme = "| Phase | Title | File |\n|---|---|---|\n| 1 | Core | [phase-01.md](phase-01.md) |\n\
                  | 2 | CLI | [phase-02.md](phase-02.md) |\n| 3 | Docs | [phase-03.md](phase-03.md) |\n";
    let plan = |third: &str| {
        let plan = super::super::MemoryPlan::new([
            ("README.md", readme),
            ("phase-01.md", "# Phase 1\n\n**Depends on:** nothing\n"),
            ("phase-02.md", "# Phase 2\n\n**Time:** 3 hours\n**Depends on:** Phase 1\n"),
            ("phase-03.md", third),
        ]);
        parse(&plan).unwrap().phases.into_iter().map(|p| p.depends_on).collect::<Vec<_>>()
    };
    let stated = plan("# Phase 3\n\n> **Depends On:** Phase 1, Phase 2 (the CLI)\n");
    assert_eq!(stated, [vec![], vec![1], vec![1, 2]]);
    // The README's phrases, all of them.
    assert_eq!(plan("# Phase 3\n\nDepends only on: Phase 2\n"), [vec![], vec![1], vec![2]]);
    // Only a line that starts with it: prose that mentions "depends on" is not read.
    let prose = plan("# Phase 3\n\nThe docs build depends on: Node 20.\n\n- Dependencies: serde 1\n");
    assert_eq!(prose, [vec![], vec![1], vec![]]);
    // A Depends on column wins, empty cells included.
    let column =
        "| Phase | File | Depends on |\n|---|---|---|\n| 1 | phase-01.md | — |\n| 2 | phase-02.md | |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", column),
        ("phase-01.md", "# 1\n"),
        ("phase-02.md", "**Depends on:** Phase 1\n"),
    ]);
    assert!(parse(&plan).unwrap().phases.iter().all(|p| p.depends_on.is_empty()));
}

#[test]
fn a_phase_listing_several_repositories_counts_each_and_the_plans_own_once() {
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | 01-a.md | — |\n| 2 | 02-b.md | 1 |\n\
                  | 3 | 03-c.md | 2 |\n";
    let plan = super::super::MemoryPlan::new([
        ("README.md", readme),
        ("01-a.md", "## Working tree\n\n`/src/simit`.\n"),
        (
            "02-b.md",
            "## Working tree\n\nMulti-repo:\n\n- `/src/simit` — tagging.\n- `/src/canix` — lock bump.\n",
        ),
        ("03-c.md", "## Working tree\n\nsame as primary\n"),
    ])
    .in_repo("/src/simit");
    let shape = parse(&plan).unwrap();
    let trees: Vec<&[String]> = shape.phases.iter().map(|p| p.working_trees.as_slice()).collect();
    assert_eq!(trees, [&[][..], &["/src/canix".to_owned()][..], &[][..]]);
    assert_eq!(shape.repo_spread, 2);
}

#[test]
fn a_path_from_another_machine_ending_in_the_repositorys_folder_is_the_repository() {
    let plan = |tree: &str| {
        let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | 01-a.md | — |\n";
        let phase = format!("## Working tree\n\n`{tree}`.\n");
        let plan = super::super::MemoryPlan::new([("README.md", readme), ("01-a.md", phase.as_str())]);
        parse(&plan.in_repo("/home/ci/src/simit")).unwrap().phases[0].working_trees.clone()
    };
    assert!(plan("/data/nvme0/can/Projects/simit").is_empty());
    assert!(plan("~/Projects/simit/").is_empty());
    assert_eq!(plan("/data/nvme0/can/Projects/canix"), ["/data/nvme0/can/Projects/canix"]);
    assert_eq!(plan("simit"), ["simit"]);
}

#[test]
fn a_table_of_the_phases_without_files_names_the_numbered_phase_files_beside_it() {
    let readme = "# Plans\n\n| Phase | Name | Depends on |\n|---|---|---|\n| 1 | Foundation | — |\n\
                  | 2 | Hero | |\n| 3 | Docs | 1, 2 |\n| 4 | CLI | 2 |\n";
    let files = [
        ("README.md", readme),
        ("01-foundation.md", "# Phase 1\n"),
        ("02-hero.md", "# Phase 2\n\n**Depends on:** Phase 1\n"),
        ("phase-3-docs.md", "# Phase 3\n\n**Depends on:** 2\n"),
        ("04-cli/README.md", "# Phase 4\n\n## Files likely touched\n\n- `a.rs`\n"),
        ("04-cli/01-flags.md", "## Files likely touched\n\n- `b.rs`\n"),
        ("notes.md", "# Notes\n"),
        ("2026-02-15-review.md", "# Review\n"),
        ("05-later.md", "# Not in the table\n"),
        ("v2/README.md", "# Later\n"),
    ];
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let phases: Vec<(i64, &str, &[i64])> =
        shape.phases.iter().map(|p| (p.ordinal, p.slug.as_str(), p.depends_on.as_slice())).collect();
    // A row that says nothing leaves it to the phase file; one that does wins over it.
    assert_eq!(
        phases,
        [(1, "foundation", &[][..]), (2, "hero", &[1]), (3, "phase-3-docs", &[1, 2]), (4, "cli", &[2])]
    );
    assert_eq!(shape.phases[3].files, ["a.rs", "b.rs"]);
    // Its `#` column numbers the rows when its Phase column names them.
    let numbered = "# Plans\n\n| # | Phase | Status | Dependencies |\n|---|---|---|---|\n\
                    | 0 | Foundation | done | — |\n| 1 | Hero | todo | 0 |\n| 2 | Polish | todo | 0, 1 |\n";
    let shape = parse(&super::super::MemoryPlan::new([
        ("README.md", numbered),
        ("00-foundation.md", "# 0\n"),
        ("01-hero.md", "# 1\n"),
        ("02-polish.md", "# 2\n"),
    ]))
    .unwrap();
    let depends: Vec<&[i64]> = shape.phases.iter().map(|p| p.depends_on.as_slice()).collect();
    assert_eq!(depends, [&[][..], &[0], &[0, 1]]);
    // A README that names no phase is refused, numbered files beside it or not, and so is
    // one whose table names a phase no file holds.
    let prose = "# Plans\n\nEach file is one phase.\n";
    let error = parse(&super::super::MemoryPlan::new([("README.md", prose), ("01-a.md", "# a\n")]));
    assert!(error.unwrap_err().to_string().contains("no phase table"));
    let unheld = super::super::MemoryPlan::new([("README.md", readme), ("01-foundation.md", "# 1\n")]);
    assert!(parse(&unheld).unwrap_err().to_string().contains("no File column"));
}

#[test]
fn a_phase_folder_without_a_readme_has_its_plan_or_its_only_markdown_file_as_the_phase_file() {
    let readme = "# P\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [one](phase-1/) | — |\n\
                  | 2 | [two](phase-2/) | 1 |\n| 3 | [three](phase-3) | 2 |\n";
    let callout = |tier: &str, file: &str| {
        format!(
            "# P\n\n> **Recommended Codex model: GPT 5.5 {tier}**\n\n## Files likely touched\n\n- `{file}`\n"
        )
    };
    let (plan, only, spec) = (callout("high", "a.rs"), callout("low", "b.rs"), callout("max", "c.rs"));
    let files = [
        ("README.md", readme),
        ("phase-1/PLAN.md", plan.as_str()),
        ("phase-1/tasks.md", "## Files likely touched\n\n- `t.rs`\n"),
        ("phase-2/02-storage.md", only.as_str()),
        ("phase-3/spec.md", spec.as_str()),
        ("phase-3/research.md", "**Files touched:** `r.rs`\n"),
    ];
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let read: Vec<(&str, &str, &[String])> =
        shape.phases.iter().map(|p| (p.slug.as_str(), p.routing_tier.as_str(), p.files.as_slice())).collect();
    assert_eq!(
        read,
        [
            ("phase-1", "high", &["a.rs".to_owned(), "t.rs".to_owned()][..]),
            ("phase-2", "low", &["b.rs".to_owned()][..]),
            ("phase-3", "max", &["c.rs".to_owned(), "r.rs".to_owned()][..]),
        ]
    );
    // A table of the phases without files finds such folders beside the README too.
    let table = "# P\n\n| Phase | Name | Depends on |\n|---|---|---|\n| 1 | One | — |\n| 2 | Two | 1 |\n";
    let beside = [("README.md", table), ("01-one/plan.md", plan.as_str()), ("02-two/only.md", only.as_str())];
    let shape = parse(&super::super::MemoryPlan::new(beside)).unwrap();
    let tiers: Vec<&str> = shape.phases.iter().map(|p| p.routing_tier.as_str()).collect();
    assert_eq!(tiers, ["high", "low"]);
    // Several Markdown files, none of them the phase's: which one is the phase file is not
    // for the parser to guess.
    let notes = [("README.md", readme), ("phase-1/notes.md", "x"), ("phase-1/ideas.md", "y")];
    let error = parse(&super::super::MemoryPlan::new(notes)).unwrap_err().to_string();
    assert!(error.contains("a phase folder without README.md"), "{error}");
}

#[test]
fn a_link_written_in_another_case_than_its_file_finds_the_file() {
    let readme = "# P\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-Core.md) | — |\n\
                  | 2 | [b](Phases/02-CLI.MD) | 1 |\n| 3 | [c](docs/plan/03-docs/) | 2 |\n";
    let files = [
        ("README.md", readme),
        ("01-core.md", "# a\n"),
        ("phases/02-cli.md", "# b\n"),
        ("03-Docs/README.md", "# c\n"),
    ];
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let slugs: Vec<&str> = shape.phases.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["core", "cli", "Docs"]);
}

#[test]
fn phase_headings_that_link_their_files_read_the_files() {
    let readme = "# Loyalty\n\n### [Phase 1: Schema](./phase-01-schema.md)\n**Status:** done\n\n\
                  ### [Phase 2: UI](phase-02-ui.md)\n\n### [Phase 3: Docs](https://example.com/docs)\n\n\
                  **Depends on:** Phase 1\n**Files touched:** `docs/guide.md`\n\n## Risks\n\n- `not/this.md`\n";
    let files = [
        ("README.md", readme),
        ("phase-01-schema.md", "# 1\n\n> **Recommended Codex model: GPT 5.5 high**\n\n- `db.sql`\n"),
        ("phase-02-ui.md", "# 2\n\n**Depends on:** Phase 1\n\n## Files likely touched\n\n- `ui.tsx`\n"),
    ];
    let shape = parse(&super::super::MemoryPlan::new(files)).unwrap();
    let read: Vec<(&str, &str, &[i64], &[String])> = shape
        .phases
        .iter()
        .map(|p| (p.slug.as_str(), p.routing_tier.as_str(), p.depends_on.as_slice(), p.files.as_slice()))
        .collect();
    assert_eq!(
        read,
        [
            ("phase-01-schema", "high", &[][..], &[][..]),
            ("phase-02-ui", "medium", &[1][..], &["ui.tsx".to_owned()][..]),
            ("phase-3-docs", "medium", &[1][..], &["docs/guide.md".to_owned()][..]),
        ]
    );
}

#[test]
fn a_readme_named_in_another_case_is_the_readme() {
    let readme = "# Lower\n\n| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](01-a.md) | — |\n";
    for name in ["readme.md", "Readme.md", "README.MD"] {
        let shape = parse(&super::super::MemoryPlan::new([(name, readme), ("01-a.md", "# a\n")])).unwrap();
        assert_eq!((shape.name.as_str(), shape.phase_count), ("Lower", 1), "{name}");
    }
    let missing = parse(&super::super::MemoryPlan::new([("01-a.md", "# a\n")])).unwrap_err();
    assert_eq!(missing.kind, PlanDirErrorKind::NotFound);
}

#[test]
fn without_a_readme_the_plans_index_is_its_plan_md_or_index_md() {
    // Plans written as `plan.md` over `phase-01-....md` files, a README by another name.
    let index = "---\ntitle: \"Audit\"\nstatus: active\n---\n\n# Plan: Audit\n\n## Phases\n\n\
                 | # | Phase | Depends | File |\n|---|---|---|---|\n\
                 | 1 | Extraction | — | [phase-01](./phase-01-extraction.md) |\n\
                 | 2 | Dispatch | Phase 1 | [phase-02](./phase-02-dispatch.md) |\n";
    let phases = [("phase-01-extraction.md", "# Phase 1\n"), ("phase-02-dispatch.md", "# Phase 2\n")];
    // Or the one Markdown file beside them whose name says it is a plan, whatever else is there.
    for name in ["plan.md", "PLAN.md", "index.md", "IMPLEMENTATION_PLAN.md", "auth-migration-plan.md"] {
        let plan =
            super::super::MemoryPlan::new([(name, index), phases[0], phases[1], ("notes.md", "# Notes\n")]);
        let shape = parse(&plan).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let read: Vec<(&str, &[i64])> =
            shape.phases.iter().map(|p| (p.slug.as_str(), &p.depends_on[..])).collect();
        assert_eq!(
            (shape.name.as_str(), read),
            ("Plan: Audit", vec![("phase-01-extraction", &[][..]), ("phase-02-dispatch", &[1][..])]),
            "{name}"
        );
    }
    // The README wins over them, and a phase file is never the index.
    let readme = "| Phase | File | Depends on |\n|---|---|---|\n| 1 | [a](phase-01-extraction.md) | — |\n";
    let both =
        super::super::MemoryPlan::new([("README.md", readme), ("plan.md", index), phases[0], phases[1]]);
    assert_eq!(parse(&both).unwrap().phase_count, 1);
    let missing = parse(&super::super::MemoryPlan::new([phases[0], ("notes.md", "# Notes\n")])).unwrap_err();
    assert_eq!((missing.kind, missing.file.as_str()), (PlanDirErrorKind::NotFound, "README.md"));
    // Two plans are no index, and neither is a numbered phase file named a plan.
    let two = [("MASTER_PLAN.md", index), ("test-plan.md", index), phases[0]];
    let numbered = [("phase-01-plan.md", index), ("notes.md", "# Notes\n")];
    let a_word = [("explanation.md", index), ("planning-notes.md", index)];
    for files in [&two[..], &numbered[..], &a_word[..]] {
        let missing = parse(&super::super::MemoryPlan::new(files.iter().copied())).unwrap_err();
        assert_eq!((missing.kind, missing.file.as_str()), (PlanDirErrorKind::NotFound, "README.md"));
    }
    // The message names the plans, as in a folder of Cursor's plans.
    let cursor = [("auth_1a2b.plan.md", index), ("queue_3c4d.plan.md", index)];
    let missing = parse(&super::super::MemoryPlan::new(cursor)).unwrap_err();
    assert_eq!(
        missing.message,
        "no plan README here, and 2 files named a plan (auth_1a2b.plan.md, queue_3c4d.plan.md): \
         a plan directory holds one plan"
    );
    // A feature folder's technical plan beside its spec is not a plan of phases: its `## Phase
    // 0: Outline & Research` is a step of writing it.
    // Its phases are those of its `tasks.md`; without one, it is not a plan yet.
    let technical = "# Implementation Plan: Login\n\n## Phase 0: Outline & Research\n\n## Phase 1: Design\n";
    let tasks = "# Tasks: Login\n\n## Phase 1: Setup\n\n- [ ] T001 Create the app in src/app.py\n\n\
                 ## Phase 2: User Story 1 - Sign in (Priority: P1)\n\n- [ ] T002 [US1] Add the form in src/form.py\n";
    let feature = [("spec.md", "# Feature Specification\n"), ("plan.md", technical), ("tasks.md", tasks)];
    let shape = parse(&super::super::MemoryPlan::new(feature)).unwrap();
    let read: Vec<(&str, &[String])> = shape.phases.iter().map(|p| (p.slug.as_str(), &p.files[..])).collect();
    assert_eq!(
        (shape.name.as_str(), read),
        (
            "Tasks: Login",
            vec![
                ("phase-1-setup", &["src/app.py".to_owned()][..]),
                ("phase-2-user-story-1-sign-in", &["src/form.py".to_owned()][..])
            ]
        )
    );
    let missing = parse(&super::super::MemoryPlan::new([feature[0], feature[1]])).unwrap_err();
    assert_eq!((missing.kind, missing.file.as_str()), (PlanDirErrorKind::NotFound, "tasks.md"));
    assert!(missing.message.starts_with("no tasks here yet"), "{}", missing.message);
    // Beside no spec and no other index, a `tasks.md` is the index too (as in Kiro's spec
    // folder), after every other.
    let alone = parse(&super::super::MemoryPlan::new([feature[2]])).unwrap();
    assert_eq!(alone.name, "Tasks: Login");
    let beside_a_plan = parse(&super::super::MemoryPlan::new([feature[1], feature[2]])).unwrap();
    assert_eq!(beside_a_plan.name, "Implementation Plan: Login");
    let nothing = parse(&super::super::MemoryPlan::new([("notes.md", "# Notes\n")])).unwrap_err();
    assert_eq!((nothing.kind, nothing.file.as_str()), (PlanDirErrorKind::NotFound, "README.md"));
    // Kiro's spec folder without its tasks yet says so.
    let kiro = [("requirements.md", "# Requirements Document\n"), ("design.md", "# Design Document\n")];
    let missing = parse(&super::super::MemoryPlan::new(kiro)).unwrap_err();
    assert_eq!((missing.kind, missing.file.as_str()), (PlanDirErrorKind::NotFound, "tasks.md"));
    assert!(missing.message.starts_with("no tasks here yet"), "{}", missing.message);
}

#[test]
fn a_planning_directory_reads_its_roadmap_and_the_files_its_phases_plans_change() {
    // A roadmap of phase sections over `phases/NN-name/NN-MM-PLAN.md`, each plan listing the
    // files it modifies in its front matter.
    let roadmap = "# Roadmap: Shop\n\n## Phases\n\n- [ ] **Phase 1: Foundation** - base\n\
                   - [ ] **Phase 2: Core** - features\n\n## Phase Details\n\n\
                   ### Phase 1: Foundation\n**Goal**: a base\n**Depends on**: Nothing (first phase)\n\
                   **Plans**: 2 plans\n\n### Phase 2: Core\n**Depends on**: Phase 1\n\n\
                   ### Phase 2.1: Hotfix (INSERTED)\n**Depends on**: Phase 2\n\n\
                   ### Phase 3: Polish\n**Depends on**: Phase 2.1\n**Plans**: TBD\n";
    let plan = |files: &str| {
        format!("---\nphase: 01-foundation\nwave: 1\nfiles_modified: [{files}]\n---\n\n# Plan\n")
    };
    let (a, b, c, d) =
        (plan("src/db.ts, src/auth.ts"), plan("src/auth.ts"), plan("src/items.ts"), plan("src/fix.ts"));
    let context = "# Phase 1 context\n\n## Files to modify\n\n- `docs/notes.md`\n";
    let files = super::super::MemoryPlan::new([
        ("ROADMAP.md", roadmap),
        ("STATE.md", "# State\n"),
        ("phases/01-foundation/01-01-PLAN.md", a.as_str()),
        ("phases/01-foundation/01-02-PLAN.md", b.as_str()),
        ("phases/01-foundation/01-CONTEXT.md", context),
        ("phases/02-core/02-01-PLAN.md", c.as_str()),
        ("phases/02.1-hotfix/02.1-01-PLAN.md", d.as_str()),
    ]);
    let shape = parse(&files).unwrap();
    let read: Vec<(&str, Vec<&str>, &[i64])> = shape
        .phases
        .iter()
        .map(|p| (p.slug.as_str(), p.files.iter().map(String::as_str).collect(), &p.depends_on[..]))
        .collect();
    assert_eq!(
        read,
        [
            ("phase-1-foundation", vec!["src/auth.ts", "src/db.ts"], &[][..]),
            ("phase-2-core", vec!["src/items.ts"], &[1][..]),
            ("phase-21-hotfix", vec!["src/fix.ts"], &[2][..]),
            ("phase-3-polish", vec![], &[3][..]),
        ]
    );
}

#[test]
fn sentences_of_the_readme_say_what_phases_depend_on_when_nothing_else_does() {
    let readme = "# Rename\n\n## Phases\n\n| Phase | Description | Status | Link |\n|---|---|---|---|\n\
                  | 1 | Rename | Done | [phase-01-rename.md](phase-01-rename.md) |\n\
                  | 2 | Table view | Done | [phase-02-table.md](phase-02-table.md) |\n\
                  | 3 | Testing | Done | [phase-03-testing.md](phase-03-testing.md) |\n\
                  | 4 | Docs | Todo | [phase-04-docs.md](phase-04-docs.md) |\n\n\
                  ## Key dependencies\n- Phase 2 depends on Phase 1 (labels).\n\
                  - Phase 3 runs after Phase 2.\n- Phases 3-4 depend on Phase 1's rename.\n";
    let depends = |readme: &str, four: &str| {
        let plan = super::super::MemoryPlan::new([
            ("README.md", readme),
            ("phase-01-rename.md", "# Rename\n"),
            ("phase-02-table.md", "# Table\n"),
            ("phase-03-testing.md", "# Testing\n"),
            ("phase-04-docs.md", four),
        ]);
        let shape = parse(&plan).unwrap();
        shape.phases.iter().map(|p| p.depends_on.clone()).collect::<Vec<_>>()
    };
    assert_eq!(depends(readme, "# Docs\n"), [vec![], vec![1], vec![1, 2], vec![1]]);
    // What a phase's own file says wins.
    assert_eq!(
        depends(readme, "# Docs\n\n**Depends on:** Phase 3\n"),
        [vec![], vec![1], vec![1, 2], vec![3]]
    );
    // Sentences that go round in a circle say nothing.
    let circle = format!("{readme}- Phase 1 depends on Phase 3.\n");
    assert_eq!(depends(&circle, "# Docs\n"), [Vec::<i64>::new(), vec![], vec![], vec![]]);
}

#[test]
fn a_flowchart_of_the_phases_draws_what_nothing_else_says_they_depend_on() {
    let readme = "# Roadmap\n\n## Phase 0: Groundwork\n\nText.\n\n## Phase 1: Core\n\nText.\n\n\
                  ## Phase 2: Storage\n\n**Depends on:** Phase 0\n\n## Phase 3: CLI\n\nText.\n\n\
                  ## Dependency graph\n\n```mermaid\ngraph TD\n  P0[Phase 0: Groundwork] --> P1[Phase 1: Core]\n\
                  P1 --> P2[Phase 2: Storage]\n  P1 & P2 --> P3[Phase 3: CLI]\n```\n";
    let depends = |readme: &str| {
        let shape = parse(&super::super::MemoryPlan::new([("README.md", readme)])).unwrap();
        shape.phases.iter().map(|p| p.depends_on.clone()).collect::<Vec<_>>()
    };
    // Phase 2 says what it depends on, and that wins over the arrow into it.
    assert_eq!(depends(readme), [vec![], vec![0], vec![0], vec![1, 2]]);
    // A fence that is not Mermaid draws nothing, nor does a flowchart going round in a circle.
    assert_eq!(depends(&readme.replace("```mermaid", "```text")), [vec![], vec![], vec![0], vec![]]);
    let circle = readme.replace("P1 --> P2", "P3 --> P0\n  P1 --> P2");
    assert_eq!(depends(&circle), [vec![], vec![], vec![0], vec![]]);
}

#[test]
fn arrows_of_the_readmes_text_draw_what_nothing_else_says_the_phases_depend_on() {
    let readme = "# Floor plans\n\n| Phase | Description | File |\n|---|---|---|\n\
                  | 1 | Design fixes | [phase-1.md](phase-1.md) |\n| 2 | Add modal | [phase-2.md](phase-2.md) |\n\
                  | 3 | Edit modal | [phase-3.md](phase-3.md) |\n| 4 | Areas | [phase-4.md](phase-4.md) |\n\n\
                  ## Dependencies\n\n- Phase 1 → Phase 2 (design fixes must complete first)\n\
                  - Phase 2 → Phase 3 → Phase 4\n";
    let depends = |readme: &str, four: &str| {
        let plan = super::super::MemoryPlan::new([
            ("README.md", readme),
            ("phase-1.md", "# Design fixes\n"),
            ("phase-2.md", "# Add modal\n"),
            ("phase-3.md", "# Edit modal\n"),
            ("phase-4.md", four),
        ]);
        let shape = parse(&plan).unwrap();
        shape.phases.iter().map(|p| p.depends_on.clone()).collect::<Vec<_>>()
    };
    assert_eq!(depends(readme, "# Areas\n"), [vec![], vec![1], vec![2], vec![3]]);
    // What a phase's own file says wins, and so does what a sentence of the README says.
    assert_eq!(depends(readme, "# Areas\n\n**Depends on:** Phase 2\n"), [vec![], vec![1], vec![2], vec![2]]);
    let said = format!("{readme}- Phase 3 depends on Phase 1.\n");
    assert_eq!(depends(&said, "# Areas\n"), [vec![], vec![1], vec![1], vec![3]]);
    // A code block of plain text draws as a list does; arrows going round in a circle draw nothing.
    let code =
        readme.replace("- Phase 2 → Phase 3 → Phase 4\n", "```\nPhase 2 ──► Phase 3 ──► Phase 4\n```\n");
    assert_eq!(depends(&code, "# Areas\n"), [vec![], vec![1], vec![2], vec![3]]);
    let circle = format!("{readme}- Phase 4 -> Phase 1\n");
    assert_eq!(depends(&circle, "# Areas\n"), [Vec::<i64>::new(), vec![], vec![], vec![]]);
}

#[test]
fn a_features_tasks_say_what_their_phases_depend_on_in_lines_labelled_with_them() {
    let tasks = "# Tasks: Search\n\n## Phase 1: Setup (Shared Infrastructure)\n\n- [ ] T001 Create it in src/app.py\n\n\
                 ## Phase 2: Foundational (Blocking Prerequisites)\n\n- [ ] T002 Add the store in src/store.py\n\n\
                 ## Phase 3: User Story 1 - Index (Priority: P1) 🎯 MVP\n\n- [ ] T003 [US1] Index in src/index.py\n\n\
                 ## Phase 4: User Story 2 - Query (Priority: P2)\n\n- [ ] T004 [US2] Query in src/query.py\n\n\
                 ## Phase 5: User Story 3 - Rank (Priority: P3)\n\n- [ ] T005 [US3] Rank in src/rank.py\n\n\
                 ## Phase N: Polish & Cross-Cutting Concerns\n\n- [ ] T006 Document it in docs/search.md\n\n\
                 ## Dependencies & Execution Order\n\n### Phase Dependencies\n\n\
                 - **Setup (Phase 1)**: No dependencies - can start immediately\n\
                 - **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories\n\
                 - **User Stories (Phase 3+)**: All depend on Foundational phase completion\n  \
                   - Or sequentially in priority order (P1 → P2 → P3)\n\
                 - **Polish (Final Phase)**: Depends on all desired user stories being complete\n\n\
                 ### User Story Dependencies\n\n\
                 - **User Story 1 (P1)**: Can start after Foundational (Phase 2) - No dependencies on other stories\n\
                 - **User Story 3 (P3)**: Depends on US2 query results\n";
    let depends = |tasks: &str| {
        let plan = super::super::MemoryPlan::new([("spec.md", "# Spec\n"), ("tasks.md", tasks)]);
        let shape = parse(&plan).unwrap();
        shape.phases.iter().map(|p| (p.ordinal, p.depends_on.clone())).collect::<Vec<_>>()
    };
    assert_eq!(
        depends(tasks),
        [(1, vec![]), (2, vec![1]), (3, vec![2]), (4, vec![2]), (5, vec![2, 4]), (6, vec![3, 4, 5])]
    );
    // A title names a phase only as whole words: `Setup work` names Setup, `Setups` nothing.
    let setups = tasks.replace("Depends on Setup completion", "Depends on Setups");
    assert_eq!(depends(&setups)[1], (2, vec![]));
}

#[test]
fn a_feature_of_task_groups_reads_them_as_its_phases_and_their_dependencies_lines() {
    // Agent OS writes a feature's tasks as groups beside its spec.md.
    let tasks = "# Task Breakdown: Todos\n\n## Overview\nTotal Tasks: 9\n\n## Task List\n\n### Database Layer\n\n\
                 #### Task Group 1: Todos Table Migration\n**Dependencies:** None\n\n\
                 - [ ] 1.0 Complete the database layer\n  - [ ] 1.1 Write the migration in `db/migrate/create_todos.rb`\n\n\
                 ### API Layer\n\n#### Task Group 2: Todo Endpoints\n**Dependencies:** Task Group 1 (COMPLETE ✅)\n\n\
                 - [ ] 2.0 Complete the API layer\n\n### Frontend\n\n#### Task Group 3: Todo List UI\n\
                 **Dependencies:** Task Group 1\n\n- [ ] 3.0 Complete the UI\n\n### Testing\n\n\
                 #### Task Group 4: Test Review & Gap Analysis\n**Dependencies:** Task Groups 2 and 3\n\n\
                 - [ ] 4.0 Review the tests\n\n## Execution Order\n\nRecommended implementation sequence:\n\
                 1. Database Layer (Task Group 1)\n2. API Layer (Task Group 2)\n";
    let plan = super::super::MemoryPlan::new([("spec.md", "# Spec\n"), ("tasks.md", tasks)]);
    let shape = parse(&plan).unwrap();
    let phases = slugs_and_dependencies(&shape);
    assert_eq!(
        phases,
        [
            ("task-group-1-todos-table-migration", vec![]),
            ("task-group-2-todo-endpoints", vec![1]),
            ("task-group-3-todo-list-ui", vec![1]),
            ("task-group-4-test-review-gap-analysis", vec![2, 3]),
        ]
    );
    assert_eq!((shape.wave_count, shape.max_chain_depth), (3, 3));
    // In a plan of phases, a Dependencies line that names tasks names no phase.
    let phases = "# Plan\n\n## Phase 1: Core\n\n## Phase 2: CLI\n\n**Dependencies:** Task 1\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", phases)])).unwrap();
    assert_eq!(shape.phases[1].depends_on, Vec::<i64>::new());
}

#[test]
fn a_spec_of_task_items_reads_them_as_its_phases_and_its_task_dependencies() {
    // Trae writes a spec's tasks as a list beside its spec.md and checklist.md.
    let tasks = "# Tasks\n- [x] Task 1: Set up the project\n  - [x] SubTask 1.1: Run `yarn init -y`\n\
                 - [x] Task 2: Parse the arguments\n- [ ] Task 3: Serve\n- [ ] Task 4: Connect\n\
                 - [ ] Task 5: Draw the UI\n\n# Task Dependencies\n- Task 2 depends on Task 1\n\
                 - Task 3 depends on Task 2\n- Task 4 depends on Task 2\n- Task 5 depends on Task 3 and Task 4\n";
    let plan = super::super::MemoryPlan::new([
        ("spec.md", "# Spec\n"),
        ("tasks.md", tasks),
        ("checklist.md", "# Checklist\n- [ ] It runs\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let phases = slugs_and_dependencies(&shape);
    assert_eq!(
        phases,
        [
            ("task-1-set-up-the-project", vec![]),
            ("task-2-parse-the-arguments", vec![1]),
            ("task-3-serve", vec![2]),
            ("task-4-connect", vec![2]),
            ("task-5-draw-the-ui", vec![3, 4]),
        ]
    );
}

#[test]
fn in_a_plan_of_tasks_arrows_between_tasks_draw_their_order() {
    let plan = "# Plan\n\n### Task 1: Schema\n\n### Task 2: Store\n\n### Task 3: CLI\n\n### Task 4: Docs\n\n\
                ## Execution Order\n\n**Order**: Task 1 → Task 2 → Task 4\n\n\
                ```mermaid\nflowchart LR\n  T1[Task 1: Schema] --> T3[Task 3]\n```\n";
    let depends = |plan: &str| {
        let shape = parse(&super::super::MemoryPlan::new([("README.md", plan)])).unwrap();
        shape.phases.iter().map(|p| p.depends_on.clone()).collect::<Vec<_>>()
    };
    assert_eq!(depends(plan), [vec![], vec![1], vec![1], vec![2]]);
    let flowchart_only = plan.replace("**Order**: Task 1 → Task 2 → Task 4", "");
    assert_eq!(depends(&flowchart_only), [vec![], vec![], vec![1], vec![]]);
    // In a plan of phases, tasks are not phases.
    let phases = plan.replace("### Task", "### Phase");
    assert_eq!(depends(&phases), [Vec::<i64>::new(), vec![], vec![], vec![]]);
}

#[test]
fn the_order_of_a_features_tasks_orders_the_phases_that_list_them() {
    let tasks = "# Tasks: Teacher module\n\n## Phase 3.1: Setup\n- [x] T001 [P] Roles in lib/roles.ts\n\
                 - [x] T002 Routes in lib/routes.ts\n\n## Phase 3.2: Tests First (TDD) ⚠️ MUST COMPLETE BEFORE 3.3\n\
                 - [ ] T003 [P] Route test in tests/routes.test.ts\n- [ ] T004 [P] Menu test in tests/menu.test.ts\n\n\
                 ## Phase 3.3: Core Implementation (ONLY after tests are failing)\n\
                 - [x] **T005** [P] Dashboard page in app/dashboard/page.tsx\n- [x] T006 Layout in app/layout.tsx\n\n\
                 ## Phase 3.4: Integration\n- [x] T007 Extend the middleware in middleware.ts\n\n\
                 ## Phase 3.5: Polish\n- [x] T008 [P] Types in lib/types.ts\n\n\
                 ## Dependencies\n- Constants (T001-T002) before components (T005)\n\
                 - Tests (T003-T004) before implementation (T005-T007)\n- Layout (T006) before the page (T005)\n\
                 - Middleware tasks sequential: T002 → T007 → T008 (same file)\n\n\
                 ## Validation Checklist\n- [x] All tests come before implementation (T007 before T003)\n";
    let depends = |tasks: &str| {
        let plan = super::super::MemoryPlan::new([("spec.md", "# Spec\n"), ("tasks.md", tasks)]);
        let shape = parse(&plan).unwrap();
        shape.phases.iter().map(|p| p.depends_on.clone()).collect::<Vec<_>>()
    };
    assert_eq!(depends(tasks), [vec![], vec![], vec![1, 2], vec![1, 2], vec![4]]);
    // Tasks that go round in a circle say nothing.
    let circle = tasks.replace("(same file)\n", "(same file)\n- T008 before T001\n");
    assert_eq!(depends(&circle), [Vec::<i64>::new(), vec![], vec![], vec![], vec![]]);
}

#[test]
fn a_kiro_spec_reads_its_checklist_of_tasks_as_phases_done_one_after_another() {
    let tasks = "# Implementation Plan\n\n- [x] 1. Set up the project structure\n  - ✅ Create `src/app.ts`, \
                 `src/config.ts` and the config\n  - Add `@scope/kit` to the dependencies\n  \
                 - _Requirements: 1.1_\n\n- [-] 2. Implement the parser\n  - [x] 2.1 Create the lexer in \
                 `src/lexer.ts`\n    - _Requirements: 2.1_\n  - [ ]* 2.2 Write property tests for the lexer\n\n\
                 - [x] 2.5. Add the importer\n\n- [ ] 3. Checkpoint - Ensure all tests pass\n  - Ensure all \
                 tests pass, ask the user if questions arise.\n\n- [ ]* 4. Write the docs\n";
    let plan = super::super::MemoryPlan::new([
        ("requirements.md", "# Requirements Document\n\n## Requirement 1\n\n1. WHEN x THEN y\n"),
        ("design.md", "# Design Document\n\n## Overview\n"),
        ("tasks.md", tasks),
    ]);
    let shape = parse(&plan).unwrap();
    let phases: Vec<(i64, &str, Vec<i64>, &[String])> = shape
        .phases
        .iter()
        .map(|p| (p.ordinal, p.slug.as_str(), p.depends_on.clone(), p.files.as_slice()))
        .collect();
    let files = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    let (app, lexer) = (files(&["src/app.ts", "src/config.ts"]), files(&["src/lexer.ts"]));
    assert_eq!(
        phases,
        [
            (1, "set-up-the-project-structure", vec![], &app[..]),
            (2, "implement-the-parser", vec![1], &lexer[..]),
            (3, "add-the-importer", vec![2], &[]),
            (4, "checkpoint-ensure-all-tests-pass", vec![3], &[]),
            (5, "write-the-docs", vec![4], &[]),
        ]
    );
    assert_eq!((shape.wave_count, shape.max_chain_depth), (5, 5));
    // What the plan says of its tasks' order comes first.
    let said = format!("{tasks}\n## Order\n\n- Task 4 depends on Task 1\n");
    let plan = super::super::MemoryPlan::new([("tasks.md", said.as_str())]);
    let depends: Vec<Vec<i64>> = parse(&plan).unwrap().phases.iter().map(|p| p.depends_on.clone()).collect();
    // (`Task 4` is the fifth: the tasks are numbered in order, as `2.5` shares 2 with `2`.)
    assert_eq!(depends, [vec![], vec![1], vec![2], vec![3], vec![1]]);
    // A task written twice over (as Kiro leaves one whose status it updated) is one task.
    let twice = "# Tasks\n\n- [x] 1. Schema\n- [x] 2. Fix deletes\n- [ ] 2. Fix deletes\n- [ ] 3. Docs\n";
    let shape = parse(&super::super::MemoryPlan::new([("tasks.md", twice)])).unwrap();
    assert_eq!(
        slugs_and_dependencies(&shape),
        [("schema", vec![]), ("fix-deletes", vec![1]), ("docs", vec![2])]
    );
    // A checklist numbered again in each section is not one list of tasks.
    let again = "# Tasks\n\n## Backend\n\n- [ ] 1. Schema\n- [ ] 2. API\n\n## Frontend\n\n- [ ] 1. Pages\n";
    let error = parse(&super::super::MemoryPlan::new([("tasks.md", again)])).unwrap_err();
    assert!(error.message.contains("no phase table"), "{error}");
}

#[test]
fn a_phase_of_the_readmes_own_that_lists_no_files_takes_those_its_steps_change() {
    let readme = "# Editor\n\n## Phase 1: Foundation\n\n- [x] 1. Create the editor\n  \
                  - Create `src/Editor.tsx` with a skeleton\n  - Define the `EditorProps` interface\n\n\
                  - [x] 2. Wire it in\n  - Modify `src/panel.tsx` to use the editor\n  \
                  - Add `@scope/kit` and `fast-check`\n  - Read `docs/notes.md` first\n\n\
                  ## Phase 2: History\n\n- [ ] 3. Store snapshots\n  - Add the Snapshot type to \
                  `src/storage.ts`\n  - [ ] 3.1 Delete `src/old.tsx`\n  - Create `UserService`\n\n\
                  ## Phase 3: Polish\n\n**Files touched:** `src/theme.css`\n\n- Update `src/other.css`\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", readme)])).unwrap();
    let files: Vec<Vec<&str>> =
        shape.phases.iter().map(|p| p.files.iter().map(String::as_str).collect()).collect();
    assert_eq!(
        files,
        [
            vec!["src/Editor.tsx", "src/panel.tsx"],
            vec!["src/old.tsx", "src/storage.ts"],
            vec!["src/theme.css"]
        ]
    );
    // A phase file of its own is read as it was: without a files section, the README's Touches.
    let table =
        "| Phase | File | Depends on | Touches |\n|---|---|---|---|\n| 1 | 01-a.md | — | `src/a.rs` |\n";
    let plan = [("README.md", table), ("01-a.md", "# A\n\n- Create `src/b.rs`\n")];
    let shape = parse(&super::super::MemoryPlan::new(plan)).unwrap();
    assert_eq!(shape.phases[0].files, ["src/a.rs"]);
}

#[test]
fn a_cursor_plan_reads_its_todos_as_phases_and_their_dependencies() {
    let plan = "---\nname: Queue\noverview: A FIFO write queue.\ntodos:\n  - id: create_queue_file\n    \
                content: Create core/QueueSystem.js (or lib/queue-system.js) with the Job class\n    \
                status: completed\n  - id: implement_job\n    content: Implement Job with id, type and log()\n    \
                status: pending\n    dependencies:\n      - create_queue_file\n  - id: implement_queue\n    \
                content: \"src/queue.js: the JobQueue class\"\n    status: pending\n    \
                dependencies: [create_queue_file]\n  - id: test_script\n    content: Create test-queue.js that \
                runs 3 jobs\n    dependencies:\n      - implement_job\n      - implement_queue\n      \
                - no_such_todo\ncategory: hopes\n---\n\n# Queue report\n\n## 1. Summary\n\n- We build a queue.\n\n\
                ## 4. Final plan\n\n- **Step 1:** Create the file.\n- **Step 2:** Write the classes.\n";
    let shape = parse(&super::super::MemoryPlan::new([("queue_1a2b.plan.md", plan)])).unwrap();
    let phases = phases_read(&shape);
    assert_eq!(
        (shape.name.as_str(), phases),
        (
            "Queue report",
            vec![
                (1, "create_queue_file", vec![], vec!["core/QueueSystem.js"]),
                (2, "implement_job", vec![1], vec![]),
                (3, "implement_queue", vec![1], vec!["src/queue.js"]),
                (4, "test_script", vec![2, 3], vec!["test-queue.js"]),
            ]
        )
    );
    assert_eq!((shape.wave_count, shape.max_chain_depth), (3, 3));
    // A plan whose to-dos say nothing of their order is done in the order it lists them.
    let unordered: String = plan
        .lines()
        .filter(|l| {
            !l.contains("- implement_")
                && !l.contains("dependencies")
                && !l.contains("- create_queue_file")
                && !l.contains("no_such")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let shape = parse(&super::super::MemoryPlan::new([("queue.plan.md", unordered.as_str())])).unwrap();
    let depends: Vec<Vec<i64>> = shape.phases.iter().map(|p| p.depends_on.clone()).collect();
    assert_eq!(depends, [vec![], vec![1], vec![2], vec![3]]);
    // A cancelled to-do is no part of the work, nor what depends on it.
    let cancelled = plan.replace("status: completed", "status: cancelled");
    let shape = parse(&super::super::MemoryPlan::new([("queue.plan.md", cancelled.as_str())])).unwrap();
    let phases = slugs_and_dependencies(&shape);
    assert_eq!(phases, [("implement_job", vec![]), ("implement_queue", vec![]), ("test_script", vec![1, 2])]);
    // A to-do that depends on itself is refused, as a phase that does is.
    let own = plan.replace("      - no_such_todo\n", "      - test_script\n");
    let error = parse(&super::super::MemoryPlan::new([("queue.plan.md", own.as_str())])).unwrap_err();
    assert!(error.message.contains("phase 4 depends on itself"), "{error}");
}

#[test]
fn a_plan_of_epics_reads_them_as_its_phases_and_what_each_depends_on() {
    let epics = "# Epics\n\n## Epic 1: Core Foundation\n**Dependencies**: None (Foundation epic)\n\n\
                 ### Story 1.1: Init\n\n## Epic 2: Departments\n**Dependencies**: Epic 1 (Core Foundation)\n\n\
                 ## Epic 3: Employees\n**Dependencies**: Epics 1 and 2\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", epics)])).unwrap();
    let phases = slugs_and_dependencies(&shape);
    assert_eq!(
        phases,
        [
            ("epic-1-core-foundation", vec![]),
            ("epic-2-departments", vec![1]),
            ("epic-3-employees", vec![1, 2])
        ]
    );
}

#[test]
fn an_openspec_change_reads_the_numbered_sections_of_its_tasks_as_phases_done_in_order() {
    let tasks = "## 1. Implementation\n- [ ] 1.1 Add `src/mirror.rs` with the serializer\n\
                 - [ ] 1.2 Remove the unsafe blocks at `src/wal.rs:146, 166`\n\n\
                 ## 2. Validation\n- [x] 2.1 JSON matches the canonical commit\n\n\
                 ## 3. Dependencies\n- Depends on `add-sql-schema-core`\n\n## 4. Docs\n- [ ] 4.1 Update `README.md`\n";
    let plan = super::super::MemoryPlan::new([
        ("proposal.md", "# Change: Mirror commits\n\n## Why\n\nx\n"),
        ("tasks.md", tasks),
        ("specs/mirror/spec.md", "## ADDED Requirements\n"),
    ]);
    let shape = parse(&plan).unwrap();
    let phases = phases_read(&shape);
    assert_eq!(
        phases,
        [
            (1, "implementation", vec![], vec!["src/mirror.rs", "src/wal.rs"]),
            (2, "validation", vec![1], vec![]),
            (4, "docs", vec![2], vec!["README.md"]),
        ]
    );
    // A change without its tasks yet says so.
    let proposal = [("proposal.md", "# Change: Mirror commits\n")];
    let missing = parse(&super::super::MemoryPlan::new(proposal)).unwrap_err();
    assert_eq!((missing.kind, missing.file.as_str()), (PlanDirErrorKind::NotFound, "tasks.md"));
    // Numbered headings without checklists are a document's outline.
    let outline = "# Notes\n\n## 1. Overview\n\nProse.\n\n## 2. Details\n\n- a point\n";
    let error = parse(&super::super::MemoryPlan::new([("tasks.md", outline)])).unwrap_err();
    assert!(error.message.contains("no phase table"), "{error}");
}

#[test]
fn a_gantt_chart_orders_the_phases_whose_sections_hold_its_tasks() {
    let plan = "# Roadmap\n\n```mermaid\ngantt\n    title Phases\n    dateFormat YYYY-MM-DD\n    \
                section Phase 0\n    Infra :p0, 2026-08-25, 3d\n    section Phase 1\n    Auth :p1, after p0, 4d\n    \
                section Phase 2\n    Profile :p2, after p0, 3d\n    section Phase 3A\n    Chat :p3a, after p1 p2, 5d\n    \
                Polish :p3b, after p3a, 1d\n```\n\n## Phase 0: Infra\n\n## Phase 1: Auth\n\n## Phase 2: Profile\n\n\
                ## Phase 3A: Chat\n";
    let shape = parse(&super::super::MemoryPlan::new([("README.md", plan)])).unwrap();
    let depends: Vec<(i64, Vec<i64>)> =
        shape.phases.iter().map(|p| (p.ordinal, p.depends_on.clone())).collect();
    assert_eq!(depends, [(0, vec![]), (1, vec![0]), (2, vec![0]), (3, vec![1, 2])]);
    // What a phase's section says wins over the chart.
    let said = plan.replace("## Phase 2: Profile\n", "## Phase 2: Profile\n\n**Depends on:** Phase 1\n");
    let shape = parse(&super::super::MemoryPlan::new([("README.md", said.as_str())])).unwrap();
    assert_eq!(shape.phases[2].depends_on, [1]);
}

#[test]
fn a_prp_reads_the_tasks_of_its_code_block_as_phases_done_in_order() {
    let prp = "# PRP: FAQ agent\n\n## Implementation Blueprint\n\n\
               ### list of tasks to be completed to fullfill the PRP in the order they should be completed\n\n\
               ```yaml\nTask 1: Create the domain models\nCREATE domain/faq/entities.py:\n  - IMPLEMENT the models\n  \
               - FOLLOW patterns from: domain/booking/entities.py\n\nTask 2:\nMODIFY api/index.py:\n  - REMOVE the endpoint\n\
               CREATE solution file Logging.sln\n\nTask 3: Wire it up\n  UPDATE src/app.tsx:\n    - ADD the route\n```\n\n\
               ### Per task pseudocode as needed added to each task\n\n```python\n# Task 1\n# Pseudocode\nTask 9: x = 1\n```\n";
    // A PRP is a plan by name too (`faq_agent_prp.md`, `PRP-auth.md`).
    let shape =
        parse(&super::super::MemoryPlan::new([("faq_agent_prp.md", prp), ("notes.md", "# N\n")])).unwrap();
    let phases: Vec<(&str, Vec<i64>, Vec<&str>)> = shape
        .phases
        .iter()
        .map(|p| (p.slug.as_str(), p.depends_on.clone(), p.files.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        phases,
        [
            ("task-1-create-the-domain-models", vec![], vec!["domain/faq/entities.py"]),
            ("task-2", vec![1], vec!["api/index.py"]),
            ("task-3-wire-it-up", vec![2], vec!["src/app.tsx"]),
        ]
    );
}

#[test]
fn an_execplan_reads_the_milestones_its_plan_of_work_narrates_in_order() {
    let plan = "# Implement the control CLI\n\nThis ExecPlan is a living document.\n\n\
                ## Progress\n\n- [x] (2026-02-17 01:40Z) Add RPC auth configuration.\n\n\
                ## Context and Orientation\n\nThe first class of failure is provenance.\n\n\
                ## Plan of Work\n\n\
                First, add RPC authentication to the domain. Edit `internal/domain/types.go` and \
                `internal/rpc/config.go`, reading `docs/auth.md`.\n\n\
                Then update the schema in `schema.json`.\n\n\
                Second, implement the interceptors; the server rejects calls without a token.\n\n\
                Third, build the CLI: create `cmd/ctl/main.go`.\n\n\
                ## Concrete Steps\n\n1) Search for the config.\n";
    let shape = parse(&super::super::MemoryPlan::new([("auth-execplan.md", plan)])).unwrap();
    assert_eq!(
        phases_read(&shape),
        [
            (
                1,
                "milestone-1",
                vec![],
                vec!["internal/domain/types.go", "internal/rpc/config.go", "schema.json"]
            ),
            (2, "milestone-2", vec![1], vec![]),
            (3, "milestone-3", vec![2], vec!["cmd/ctl/main.go"]),
        ]
    );
    // A milestone the paragraph names is named so.
    let named = "# Hardening\n\n## Plan of Work\n\nThe first milestone is provenance hardening. Change \
                 the gate.\n\nThe second milestone is replay-safety verification.\n";
    let shape = parse(&super::super::MemoryPlan::new([("PLAN.md", named)])).unwrap();
    assert_eq!(
        slugs_and_dependencies(&shape),
        [("provenance-hardening", vec![]), ("replay-safety-verification", vec![1])]
    );
    // Paragraphs may number the milestones instead (`Milestone 1 adds ...`).
    let numbered = "# Tests\n\n## Plan of Work\n\nMilestone 1 adds a test that runs `a.cljs`.\n\n\
                    Milestone 2 introduces the transport tests:\n\n- `transport.cljs`: the clock\n\n\
                    Milestone 3 will add `docs/tests.md`.\n";
    let shape = parse(&super::super::MemoryPlan::new([("PLAN.md", numbered)])).unwrap();
    assert_eq!(
        slugs_and_dependencies(&shape),
        [("milestone-1", vec![]), ("milestone-2", vec![1]), ("milestone-3", vec![2])]
    );
    // One ordinal paragraph alone, or ordinals outside the Plan of Work, are no milestones.
    for prose in [
        "# P\n\n## Plan of Work\n\nFirst add the query. Next create the parser.\n",
        "# P\n\n## Context\n\nFirst, the reader.\n\nSecond, the writer.\n",
    ] {
        let error = parse(&super::super::MemoryPlan::new([("plan.md", prose)])).unwrap_err();
        assert!(error.message.contains("no phase table"), "{error}");
    }
}

#[test]
fn milestones_numbered_by_their_ids_under_a_heading_of_milestones_are_the_phases() {
    let plan = "# Label engine\n\n## Prerequisites\n\n- `01-candles` M2 — forward candles\n\n\
                ## Milestones\n\n### M1 — Result labeling engine\n\n- Deliverables:\n  \
                - `packages/core/label/labeler.ts` — the labeler\n\n### M2: Label worker\n\n\
                - Dependencies: M1\n\n### M3 — Decision engine\n\n- Dependencies: M1, M2\n\n\
                ## Risks\n\n### M1 risk\n";
    let shape = parse(&super::super::MemoryPlan::new([("plan.md", plan)])).unwrap();
    assert_eq!(
        slugs_and_dependencies(&shape),
        [
            ("m1-result-labeling-engine", vec![]),
            ("m2-label-worker", vec![1]),
            ("m3-decision-engine", vec![1, 2])
        ]
    );
    // Ids alone, outside a section of milestones, are not milestones (OWASP's `M2: Inadequate
    // Supply Chain Security`, a review's `M2: DRY`).
    let findings = "# Audit\n\n## Findings\n\n### M1: Improper Credential Usage\n\n### M2: Supply Chain\n";
    let error = parse(&super::super::MemoryPlan::new([("plan.md", findings)])).unwrap_err();
    assert!(error.message.contains("no phase table"), "{error}");
}

#[test]
fn a_conductor_track_reads_its_plan_beside_its_spec_and_metadata() {
    // Conductor's track (`conductor/tracks/<id>/`): spec.md, plan.md, metadata.json and maybe
    // an index.md that links them; its plan is the plan of phases.
    let plan = "# Implementation Plan - Docs\n\n## Phase 1: Scaffolding [checkpoint: 0b41b9b]\n\
                - [x] Task: Create `docs/tools/conductor.md`\n\
                - [x] Task: Conductor - User Manual Verification 'Scaffolding' (Protocol in workflow.md)\n\n\
                ## Phase 2: Setup\n- [ ] Task: Document the setup in `docs/setup.md`\n";
    let metadata = "{\"track_id\": \"docs_20260115\", \"status\": \"in_progress\"}\n";
    let index =
        "# Track docs_20260115 Context\n\n- [Specification](./spec.md)\n- [Implementation Plan](./plan.md)\n";
    for track in [
        vec![("spec.md", "# Specification\n"), ("plan.md", plan), ("metadata.json", metadata)],
        vec![
            ("spec.md", "# Specification\n"),
            ("plan.md", plan),
            ("metadata.json", metadata),
            ("index.md", index),
        ],
    ] {
        let shape = parse(&super::super::MemoryPlan::new(track)).unwrap();
        assert_eq!(shape.name, "Implementation Plan - Docs");
        assert_eq!(
            phases_read(&shape),
            [
                (1, "phase-1-scaffolding", vec![], vec!["docs/tools/conductor.md"]),
                (2, "phase-2-setup", vec![], vec!["docs/setup.md"]),
            ]
        );
    }
    // Without its plan yet, the track says so.
    let missing = [("spec.md", "# Specification\n"), ("metadata.json", metadata)];
    let error = parse(&super::super::MemoryPlan::new(missing)).unwrap_err();
    assert_eq!((error.kind, error.file.as_str()), (PlanDirErrorKind::NotFound, "plan.md"));
    assert!(error.message.starts_with("no plan here yet"), "{}", error.message);
}

#[test]
fn an_execplan_reads_the_numbered_steps_of_its_plan_of_work_in_order() {
    let plan = "# Share one session framer\n\nThis ExecPlan is a living document.\n\n## Plan of Work\n\n\
                1. Create `src/config/session_jsonl.rs` with `SessionFramer`. Add unit tests.\n\n\
                2. Rewrite `Session::load` in `src/config/session.rs` to use it.\n   \
                - Update `src/config/mod.rs` too.\n\n\
                3. **Header expansion**\n   - Update `consensus/src/header.rs` with the new fields.\n\n\
                Then run the suite.\n\n1. A second list, of something else.\n\n## Validation\n\n1. Run `cargo test`.\n";
    let shape = parse(&super::super::MemoryPlan::new([("PLAN.md", plan)])).unwrap();
    assert_eq!(
        phases_read(&shape),
        [
            (1, "step-1", vec![], vec!["src/config/session_jsonl.rs"]),
            (2, "step-2", vec![1], vec!["src/config/mod.rs"]),
            (3, "header-expansion", vec![2], vec!["consensus/src/header.rs"]),
        ]
    );
    // The list may come after a paragraph that says what it is.
    let after_prose = "# P\n\n## Plan of Work\n\nThis phase used a migration strategy:\n\
                       1. Extend the domain.\n2. Add the styles.\n";
    let shape = parse(&super::super::MemoryPlan::new([("PLAN.md", after_prose)])).unwrap();
    assert_eq!(slugs_and_dependencies(&shape), [("step-1", vec![]), ("step-2", vec![1])]);
    // One step alone is no plan of phases.
    let one = "# P\n\n## Plan of Work\n\n1. Add the query in `a.graphql`.\n";
    let error = parse(&super::super::MemoryPlan::new([("plan.md", one)])).unwrap_err();
    assert!(error.message.contains("no phase table"), "{error}");
}

#[test]
fn a_spec_folder_whose_readme_describes_the_spec_reads_its_tasks() {
    // Kiro's spec folder with a README that says what the spec is and links its files.
    let readme =
        "# UI Design System Spec\n\n## Core Spec Files\n\n- **[requirements.md](requirements.md)** - EARS\n\
                  - **[tasks.md](tasks.md)** - Implementation task list\n\n## Status\n\nComplete\n";
    let tasks = "# Implementation Plan\n\n- [x] 1. Set up the structure\n- [x] 2. Implement the tokens\n";
    let spec = [
        ("README.md", readme),
        ("requirements.md", "# Requirements Document\n"),
        ("design.md", "# Design Document\n"),
        ("tasks.md", tasks),
    ];
    let shape = parse(&super::super::MemoryPlan::new(spec)).unwrap();
    assert_eq!(shape.name, "Implementation Plan");
    assert_eq!(
        slugs_and_dependencies(&shape),
        [("set-up-the-structure", vec![]), ("implement-the-tokens", vec![1])]
    );
    // A README with phases of its own is the plan, beside any spec's files.
    let own = "# Plan\n\n## Phase 1: Core\n\n## Phase 2: CLI\n";
    let shape =
        parse(&super::super::MemoryPlan::new([("README.md", own), spec[1], spec[2], spec[3]])).unwrap();
    assert_eq!(shape.name, "Plan");
    // Beside no spec's files, such a README is refused as before.
    let error = parse(&super::super::MemoryPlan::new([spec[0], spec[3]])).unwrap_err();
    assert!(error.message.contains("no phase table"), "{error}");
}
