//! `init`, `eval`, `meta-heuristics` and `shape-hash` on plan directories: the same sidecar as
//! skillnet 0.6 on clean plans (fixtures 0.6 wrote), the clean twin's sidecar on messy ones,
//! determinism, bad plans, and no database written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{repo_root, Env};

fn fixtures() -> PathBuf {
    repo_root().join("skillnet-cli/tests/fixtures/front-half")
}

/// The meta-heuristics 0.6 drew at random or never evaluated: not compared.
const NOT_COMPARED: [&str; 3] = ["novel-shape-signature", "routing-tier-outlier", "uniform-random"];

/// How a fixture's files are written: as they are, or in another encoding or line ending.
type Encode = fn(&str) -> Vec<u8>;

fn utf8(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn crlf(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n").into_bytes()
}

/// UTF-16 with its byte-order mark, as Windows PowerShell's `Out-File` writes (little-endian).
fn utf16le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

fn utf16be(text: &str) -> Vec<u8> {
    [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect()
}

/// Writes the files of a `.plan` fixture into `dir`, `{{REPO}}` replaced by `repo`.
fn materialize(fixture: &Path, dir: &Path, repo: &Path, encode: Encode) {
    let text = std::fs::read_to_string(fixture).unwrap().replace("{{REPO}}", &repo.display().to_string());
    let mut file: Option<(PathBuf, String)> = None;
    let flush = |file: Option<(PathBuf, String)>| {
        if let Some((path, body)) = file {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, encode(&body)).unwrap();
        }
    };
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("--- ") {
            flush(file.take());
            file = Some((dir.join(name), String::new()));
        } else if let Some((_, body)) = &mut file {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(file);
}

/// A git repository (a `.git` folder is enough) in the test's home, with the fixture's plan
/// inside it; returns the plan directory.
fn plan_in_repo(env: &Env, fixture: &Path, encode: Encode) -> String {
    let repo = env.path("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let repo = std::fs::canonicalize(repo).unwrap();
    let name = fixture.file_stem().unwrap().to_str().unwrap();
    let dir = repo.join("docs/planning").join(name);
    materialize(fixture, &dir, &repo, encode);
    dir.display().to_string()
}

/// A sidecar without what differs from run to run (id, creation time, the meta-heuristics 0.6
/// drew at random or never evaluated) and without skillnet's own `generator`.
fn comparable(mut sidecar: Value) -> Value {
    let plan = sidecar["plan"].as_object_mut().unwrap();
    plan.remove("id");
    plan.remove("created_at");
    sidecar.as_object_mut().unwrap().remove("generator");
    let fired = sidecar["meta_heuristics_fired"].as_array_mut().unwrap();
    fired.retain(|name| !NOT_COMPARED.contains(&name.as_str().unwrap()));
    sidecar
}

fn expected(clean: &str) -> Value {
    let path = fixtures().join(format!("clean/{clean}.expected.json"));
    comparable(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

fn init_stdout(env: &Env, dir: &str) -> Value {
    comparable(env.ok(&["calibration", "init", "--stdout", dir]).json())
}

fn clean_plans() -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(fixtures().join("clean"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "plan"))
        .collect();
    plans.sort();
    plans
}

#[test]
fn clean_plans_give_exactly_what_0_6_gave() {
    let plans = clean_plans();
    assert!(plans.len() >= 6);
    for fixture in plans {
        let env = Env::new();
        let dir = plan_in_repo(&env, &fixture, utf8);
        let name = fixture.file_stem().unwrap().to_str().unwrap();
        assert_eq!(init_stdout(&env, &dir), expected(name), "{name}");
    }
}

#[test]
fn crlf_plans_read_as_their_lf_originals() {
    for fixture in clean_plans() {
        let env = Env::new();
        let dir = plan_in_repo(&env, &fixture, crlf);
        let name = fixture.file_stem().unwrap().to_str().unwrap();
        assert_eq!(init_stdout(&env, &dir), expected(name), "{name} with CRLF line endings");
    }
}

#[test]
fn utf16_plans_read_as_their_utf8_originals() {
    for fixture in clean_plans() {
        for (encode, encoding) in [(utf16le as Encode, "UTF-16LE"), (utf16be, "UTF-16BE")] {
            let env = Env::new();
            let dir = plan_in_repo(&env, &fixture, encode);
            let name = fixture.file_stem().unwrap().to_str().unwrap();
            assert_eq!(init_stdout(&env, &dir), expected(name), "{name} in {encoding}");
        }
    }
}

/// One test per messy fixture: it reads as its clean twin, whose sidecar 0.6 wrote.
macro_rules! messy {
    ($($test:ident: $fixture:literal,)*) => {$(
        #[test]
        fn $test() {
            let env = Env::new();
            let fixture = fixtures().join(concat!("messy/", $fixture, ".plan"));
            let twin = std::fs::read_to_string(fixtures().join(concat!("messy/", $fixture, ".twin"))).unwrap();
            let dir = plan_in_repo(&env, &fixture, utf8);
            assert_eq!(init_stdout(&env, &dir), expected(twin.trim()));
        }
    )*};
}

messy! {
    commentary_after_a_path_is_not_part_of_it: "prose-after-paths",
    a_working_tree_that_is_the_repository_is_the_primary_one: "working-tree-is-the-repo",
    brace_lists_expand_into_paths: "brace-lists",
    a_sub_layered_phase_is_named_after_its_folder_and_gathers_its_files: "sub-layered-phase",
    maximum_in_a_callout_is_not_the_max_tier: "maximum-in-the-callout",
    xhigh_is_the_max_tier: "xhigh-callout",
    x_high_spelled_out_is_the_max_tier: "x-high-spelled-out",
    a_reasoning_effort_line_under_a_callout_gives_its_tier: "reasoning-effort-lines",
    front_matter_gives_the_model_effort_and_dependencies: "front-matter",
    a_heading_may_be_the_model_callout: "heading-callouts",
    key_and_value_tables_give_the_model_and_dependencies: "field-tables",
    a_row_of_a_table_of_fields_names_the_files: "files-in-tables-of-fields",
    rows_linking_one_file_at_anchors_read_their_sections: "one-file-with-anchors",
    rows_linking_anchors_of_the_readme_read_its_sections: "phases-in-the-readme",
    the_files_likely_touched_column_is_read: "files-likely-touched-column",
    dependency_ranges_expand: "dependency-range",
    tables_without_outer_pipes_are_read: "table-without-outer-pipes",
    nothing_inside_a_code_fence_counts: "code-fences",
    every_list_marker_names_a_file: "list-markers",
    number_only_file_names_get_a_phase_slug: "number-only-file-names",
    link_titles_anchors_and_self_closing_breaks_are_read: "link-titles-anchors-and-breaks",
    lettered_phases_keep_their_dependencies: "lettered-phases",
    the_flavor_comes_from_the_callouts_not_from_prose: "claude-mentioned-in-prose",
    numbers_in_dependency_prose_are_not_dependencies: "dependency-prose",
    a_number_column_stands_in_for_the_phase_column: "number-column",
    without_a_file_column_the_slug_column_links_the_phase_files: "slug-column-links",
    without_a_file_column_the_column_of_links_names_the_phase_files: "plan-column-links",
    a_dependencies_column_is_the_depends_on_column: "dependencies-column",
    requires_and_key_files_columns_are_depends_on_and_touches: "other-column-names",
    labelled_lines_stand_in_for_the_working_tree_and_files_sections: "labelled-fields",
    a_line_labelled_model_that_names_a_family_is_the_callout: "model-labels",
    without_a_phase_column_the_first_other_column_names_the_phases: "no-phase-column",
    line_numbers_are_dropped_and_bare_paths_listed_together_each_count: "line-numbers-and-bare-lists",
    without_a_phase_table_a_list_of_links_to_the_phase_files_is_read: "list-of-phases",
    a_depends_on_label_or_section_lists_the_dependencies: "depends-on-lists",
    labels_on_the_lines_of_one_paragraph_and_a_files_section_are_read: "paragraph-of-labels",
    a_depends_on_cell_of_phase_names_names_those_phases: "dependency-names",
    touches_items_parted_by_a_spaced_plus_each_count: "plus-separated-touches",
    the_front_matters_files_list_stands_in_for_a_files_section: "files-in-front-matter",
    steps_sharing_a_number_are_named_by_their_phase_cells: "steps-named-by-their-cells",
    a_label_before_bare_paths_is_not_a_path: "labelled-touches",
    a_provider_and_model_label_is_a_model_label: "provider-and-model-label",
    a_files_section_may_list_its_paths_in_a_code_fence: "files-in-a-code-fence",
    a_files_in_scope_section_lists_the_files_and_files_out_of_scope_do_not_count: "files-in-scope",
    a_dependencies_section_names_the_phases_its_items_open_with: "dependencies-sections",
    a_dependencies_label_names_the_phases_it_opens_with: "dependencies-labels",
    labels_that_say_what_a_phase_waits_for_name_its_dependencies: "waits-for-labels",
    the_files_of_a_plans_tasks_are_its_files: "tasks-with-files",
    a_callout_headings_section_may_give_the_effort_in_a_fence: "reasoning-effort-in-a-fence",
    newer_model_names_and_efforts_are_read: "newer-model-names",
    a_callout_naming_a_gpt_model_is_a_codex_callout: "model-named-callout",
    a_working_tree_that_says_it_is_the_plans_repository_is_the_primary_one: "working-tree-says-same-repo",
    a_slug_table_without_depends_on_reads_the_links_and_what_rows_depend_on: "slugs-and-stated-dependencies",
    the_repository_as_checked_out_on_another_machine_is_the_primary_tree: "working-tree-from-another-machine",
    a_files_touched_section_and_a_table_of_files_list_the_files: "files-touched-sections",
    a_phase_file_without_a_callout_takes_the_readmes_model_column: "model-column",
    sub_phases_sharing_a_number_are_numbered_in_table_order: "sub-phases",
    sections_one_level_down_are_read: "level-three-sections",
    all_previous_phases_are_dependencies_on_each_of_them: "depends-on-all",
    code_spans_listed_on_one_bullet_are_each_a_file: "listed-code-spans",
    section_headings_may_end_in_a_remark: "section-remarks",
    a_file_bullet_that_wraps_after_a_comma_keeps_its_later_files: "wrapped-file-bullet",
    a_paragraph_that_lists_the_files_stands_in_for_a_list: "files-in-a-paragraph",
    a_link_named_by_its_path_from_the_repository_root_is_that_path: "links-named-from-the-repository-root",
    a_link_before_a_code_span_names_the_file: "link-before-a-code-span",
    a_code_span_that_reads_as_a_path_wins_over_the_names_before_it: "names-before-the-path",
    a_clause_after_a_semicolon_that_starts_with_prose_names_no_phase: "prose-after-a-semicolon",
    a_sub_phase_whose_phase_cell_goes_on_in_prose_is_named_by_its_number: "sub-phases-named-in-prose",
    rows_of_which_only_some_hold_a_number_are_numbered_in_order: "partly-numbered-phases",
    every_section_of_files_to_create_or_modify_lists_the_files: "files-to-create-and-files-to-modify",
    a_spec_column_of_file_names_names_the_phase_files: "spec-column-of-file-names",
    phase_files_sharing_a_name_take_their_folders_name: "phase-files-sharing-a-name",
    a_lettered_number_in_depends_on_names_the_row_it_numbers: "lettered-numbers-name-their-rows",
    without_a_depends_on_column_the_phase_files_say_what_they_depend_on: "depends-on-in-the-phase-files",
    a_later_table_with_the_same_columns_goes_on_with_the_phase_table: "phase-table-in-two-parts",
    a_table_of_the_phases_without_files_names_the_numbered_files_beside_it: "phase-table-without-files",
    files_owned_by_a_phase_are_the_files_it_touches: "files-owned",
    a_line_labelled_with_the_agent_is_read_as_a_callout: "agent-labels",
    a_flowchart_of_the_phases_in_the_readme_draws_their_order: "flowchart-of-phases",
    a_model_in_a_fence_under_a_callout_heading_is_read: "model-in-a-fence",
    prerequisite_phases_are_what_a_phase_depends_on: "prerequisite-phases",
    a_label_later_on_the_line_ends_what_depends_on_says: "blocks-after-depends-on",
    a_touches_label_lists_the_files: "touches-label",
    a_repository_line_with_a_path_gives_the_working_tree: "repository-lines",
    a_predecessors_column_is_the_depends_on_column: "predecessors-column",
    a_file_cell_names_its_phase_file_beside_web_links_and_remarks: "file-cell-remarks",
    a_phase_folder_without_a_readme_reads_its_plan_file: "phase-folders-with-plan-files",
    a_readme_named_in_lower_case_is_the_readme: "lower-case-readme",
    a_link_in_another_case_than_its_file_finds_it: "links-in-another-case",
    a_phase_heading_that_links_its_file_reads_the_file: "phase-headings-with-links",
    a_file_column_of_code_files_is_what_the_phases_touch: "file-column-of-code-files",
    a_dependency_said_in_parentheses_ends_with_them: "dependencies-in-parentheses",
    a_list_may_name_the_phase_files_in_code_spans: "phase-files-in-code-spans",
    prose_that_names_the_phase_itself_is_no_self_dependency: "prose-that-names-the-phase-itself",
    a_row_that_names_no_phase_file_is_a_phase_without_one: "phase-without-a-file",
    a_later_sentence_that_starts_with_prose_names_no_phase: "sentences-after-the-dependencies",
    a_link_to_a_phase_file_names_its_phase_whatever_its_text: "blocked-by-links",
    columns_and_separators_written_in_chinese_are_read: "columns-in-chinese",
    columns_named_in_spanish_are_read: "columns-in-spanish",
    what_a_phase_file_says_in_chinese_is_read: "phase-files-in-chinese",
    a_tasks_file_line_names_a_file_its_phase_touches: "one-file-to-a-task",
    a_plan_md_with_related_code_files_is_read_as_a_readme_and_its_files_sections: "plan-md-and-related-code-files",
    sentences_of_the_readme_say_what_phases_depend_on: "dependencies-in-sentences",
    lines_of_the_readme_that_chain_phases_with_arrows_say_what_they_depend_on: "dependencies-as-arrows",
}

#[test]
fn init_writes_the_sidecar_once_and_force_rewrites_it_byte_for_byte() {
    let env = Env::new();
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    let run = env.ok(&["calibration", "init", &dir]);
    let sidecar = Path::new(&dir).join(".calibration.json");
    assert_eq!(run.stdout().lines().next().unwrap(), format!("wrote {}", sidecar.display()));
    assert!(run
        .stdout()
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("meta_heuristics_fired: [\"threshold-proximity\""));
    let first = std::fs::read(&sidecar).unwrap();

    let refused = env.run(&["calibration", "init", &dir]);
    assert_eq!(refused.code(), 5);
    assert!(refused.stderr().contains("refusing to overwrite"), "{}", refused.stderr());
    assert_eq!(std::fs::read(&sidecar).unwrap(), first);

    env.ok(&["calibration", "init", "--force", &dir]);
    let second = std::fs::read(&sidecar).unwrap();
    env.ok(&["calibration", "init", "--force", &dir]);
    assert_eq!(std::fs::read(&sidecar).unwrap(), second, "two --force runs in a row differ");
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "a temporary file was left: {names:?}");
    assert!(!env.default_db().exists(), "init created a database");
}

#[test]
fn force_keeps_id_creation_time_worktype_user_tags_and_verify_and_recomputes_auto_tags() {
    let env = Env::new();
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    env.ok(&["calibration", "init", &dir]);
    let path = Path::new(&dir).join(".calibration.json");
    let mut sidecar: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    sidecar["plan"]["id"] = "stable-id".into();
    sidecar["plan"]["created_at"] = 1_700_000_000.into();
    sidecar["plan"]["worktype"] = "feature".into();
    sidecar["tags"]["owner"] = "calibration".into();
    sidecar["tags"]["risk"] = "low".into();
    sidecar["verify"] = serde_json::json!({
        "verified_at": 1_700_100_000, "elapsed_seconds": 3, "outcome": "partial",
        "phase_outcomes": {"foundation": "passed"}, "emergency_changes": null,
        "surprises": "missed-signal: hidden-prerequisite: fixture"
    });
    std::fs::write(&path, serde_json::to_string_pretty(&sidecar).unwrap()).unwrap();

    env.ok(&["calibration", "init", "--force", &dir]);
    let forced: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(forced["plan"]["id"], "stable-id");
    assert_eq!(forced["plan"]["created_at"], 1_700_000_000);
    assert_eq!(forced["plan"]["worktype"], "feature");
    assert_eq!(forced["tags"]["owner"], "calibration");
    assert_eq!(forced["tags"]["worktype"], "feature");
    assert_eq!(forced["tags"]["risk"], "high", "auto tags are recomputed");
    assert_eq!(forced["verify"], sidecar["verify"]);
    let fired = forced["meta_heuristics_fired"].as_array().unwrap();
    assert!(fired.contains(&"verify-surprise".into()), "the kept verify block is read: {fired:?}");
}

#[test]
fn uniform_random_takes_about_seven_percent_of_new_ids_and_always_the_same_way() {
    use skillnet_core::plan_dir::shape_hash::uniform_sample;
    let ids: Vec<String> = (0..10_000).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let taken = ids.iter().filter(|id| uniform_sample(id)).count();
    assert!((550..=850).contains(&taken), "{taken} of 10000");
    assert_eq!(ids.iter().filter(|id| uniform_sample(id)).count(), taken);

    // Through the CLI: the plan's own id decides, on every run.
    let env = Env::new();
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    env.ok(&["calibration", "init", &dir]);
    let id = serde_json::from_str::<Value>(
        &std::fs::read_to_string(Path::new(&dir).join(".calibration.json")).unwrap(),
    )
    .unwrap()["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..3 {
        let out = env.ok(&["calibration", "meta-heuristics", &dir]).json();
        let fired = out["fired"].as_array().unwrap().contains(&"uniform-random".into());
        assert_eq!(fired, uniform_sample(&id));
    }
}

#[test]
fn novelty_and_thresholds_come_from_the_history_read_only() {
    let env = Env::new();
    let helper = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    let fired = |env: &Env, dir: &str| -> Vec<Value> {
        env.ok(&["calibration", "meta-heuristics", dir]).json()["fired"].as_array().unwrap().clone()
    };
    assert!(
        fired(&env, &helper).contains(&"novel-shape-signature".into()),
        "no history: every shape is novel"
    );
    assert!(!env.default_db().exists());
    let offline = env.ok(&["calibration", "meta-heuristics", "--offline", &helper]).json();
    assert!(!offline["fired"].as_array().unwrap().contains(&"novel-shape-signature".into()));

    env.ok(&["calibration", "init", &helper]);
    env.ok(&["calibration", "record", &helper]);
    let before = std::fs::read(env.default_db()).unwrap();
    assert!(!fired(&env, &helper).contains(&"novel-shape-signature".into()), "its shape is recorded now");
    let other = plan_in_repo(&env, &fixtures().join("clean/serial-chain.plan"), utf8);
    assert!(fired(&env, &other).contains(&"novel-shape-signature".into()));

    let eval = env.ok(&["calibration", "eval", &helper]).json();
    assert_eq!(eval.as_array().unwrap().len(), 15);
    assert_eq!(eval[0]["threshold_source"], serde_json::json!({"type": "default"}));
    let table = env.ok(&["calibration", "eval", "--format", "table", &helper]).stdout();
    assert!(table.starts_with(
        "NAME                             CATEGORY            INPUT  THRESHOLD FIRED     SECTION\n"
    ));
    assert!(table.contains("\nshared-file-contention           coordination         2.00       2.00 true      Shared-file lockstep\n"));
    assert_eq!(std::fs::read(env.default_db()).unwrap(), before, "the front half wrote to the database");
}

#[test]
fn shape_hash_needs_no_configuration_or_database() {
    let env = Env::new()
        .set("SKILLNET_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .set("SKILLNET_CONFIG", "/nonexistent/skillnet.toml");
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    let run = env.ok(&["calibration", "shape-hash", &dir]);
    assert_eq!(run.stdout(), "38cbf138b63566bbfb49525ce67c5ab95c0471de06b3a75ad365f9e9b74b3b6f\n");
}

#[test]
fn meta_heuristics_read_a_verify_block_from_a_sidecar_a_bare_block_or_nothing() {
    let env = Env::new();
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    let verify =
        r#"{"verified_at": 1, "outcome": "shipped", "surprises": "re-routing: phase 2 executed at max"}"#;
    std::fs::write(env.path("verify.json"), verify).unwrap();
    let out = env
        .ok(&[
            "calibration",
            "meta-heuristics",
            &dir,
            "--sidecar",
            &env.path("verify.json").display().to_string(),
        ])
        .json();
    assert!(out["fired"].as_array().unwrap().contains(&"rerouting-event".into()), "{out}");
    let out = env.ok(&["calibration", "meta-heuristics", &dir, "--sidecar", "/dev/null"]).json();
    assert!(out["not_fired"].as_array().unwrap().contains(&"verify-surprise".into()));
    assert_eq!(out["fired"].as_array().unwrap().len() + out["not_fired"].as_array().unwrap().len(), 8);
}

/// A plan directory of `files` in the test's home.
fn plan_of(env: &Env, files: &[(&str, &[u8])]) -> String {
    let dir = env.path("bad-plan");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir.display().to_string()
}

/// A bad plan: what is wrong, its files, the exit code, and what the message says.
type BadPlan<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>, i32, &'a str);

#[test]
fn bad_plans_are_refused_with_one_line_and_nothing_written() {
    const TABLE: &str = "| Phase | File | Depends on |\n|---|---|---|\n";
    let row = |o: &str, deps: &str| format!("| {o} | {o}-p.md | {deps} |\n");
    let cases: Vec<BadPlan<'_>> = vec![
        ("no README", vec![("notes.md", b"x".to_vec())], 4, "README.md: no plan README here"),
        ("no phase table", vec![("README.md", b"# P\n\nprose\n".to_vec())], 3, "no phase table"),
        ("an empty table", vec![("README.md", TABLE.as_bytes().to_vec())], 3, "no phase rows"),
        (
            "a duplicate ordinal",
            vec![
                ("README.md", format!("{TABLE}{}{}", row("01", "-"), row("01", "-")).into_bytes()),
                ("01-p.md", vec![]),
            ],
            3,
            "README.md:4: duplicate phase ordinal 1 (rows at lines 3 and 4)",
        ),
        (
            "a self-dependency",
            vec![("README.md", format!("{TABLE}{}", row("01", "01")).into_bytes()), ("01-p.md", vec![])],
            3,
            "README.md:3: phase 1 depends on itself",
        ),
        (
            "a cycle",
            vec![
                ("README.md", format!("{TABLE}{}{}", row("01", "02"), row("02", "01")).into_bytes()),
                ("01-p.md", vec![]),
                ("02-p.md", vec![]),
            ],
            3,
            "dependency cycle among phases 1, 2",
        ),
        (
            "a missing phase file",
            vec![("README.md", format!("{TABLE}{}", row("01", "-")).into_bytes())],
            3,
            "README.md:3: phase 1 names a phase file that does not exist:",
        ),
        (
            "a phase file that is not UTF-8",
            vec![
                ("README.md", format!("{TABLE}{}", row("01", "-")).into_bytes()),
                ("01-p.md", b"## Files likely touched\n\n- \xff\n".to_vec()),
            ],
            3,
            "01-p.md: not UTF-8 text (invalid byte at offset 27)",
        ),
        (
            "a README that is half a unit short of UTF-16",
            vec![("README.md", b"\xff\xfe#\0 \0P\0\n".to_vec())],
            3,
            "README.md: not UTF-16 text (invalid byte at offset 8)",
        ),
        (
            "a README with half a surrogate pair",
            vec![("README.md", b"\xfe\xff\0#\xd8\x3d\0P".to_vec())],
            3,
            "README.md: not UTF-16 text (invalid byte at offset 4)",
        ),
    ];
    for (what, files, code, message) in cases {
        let env = Env::new();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_slice())).collect();
        let dir = plan_of(&env, &files);
        for command in
            [&["init"][..], &["init", "--stdout"], &["eval"], &["meta-heuristics"], &["shape-hash"]]
        {
            let mut args = vec!["calibration"];
            args.extend_from_slice(command);
            args.push(&dir);
            let run = env.run(&args);
            assert_eq!(run.code(), code, "{what}, {command:?}: {}", run.stderr());
            assert_eq!(run.stderr().lines().count(), 1, "{what}: {}", run.stderr());
            assert!(run.stderr().contains(message), "{what}: {}", run.stderr());
            assert!(run.stdout().is_empty(), "{what}: {}", run.stdout());
        }
        assert!(!Path::new(&dir).join(".calibration.json").exists(), "{what}: a sidecar was written");
        assert!(!env.default_db().exists(), "{what}: a database was created");
    }
    let env = Env::new();
    let run = env.run(&["calibration", "init", &env.path("nowhere").display().to_string()]);
    assert_eq!(run.code(), 4);
    assert!(
        run.stderr().contains("plan directory") && run.stderr().contains("not found"),
        "{}",
        run.stderr()
    );
    // A plan's file given for its directory is named as a file, not as missing.
    let file = env.path("plan.md");
    std::fs::write(&file, "# Plan\n").unwrap();
    let run = env.run(&["calibration", "init", &file.display().to_string()]);
    assert_eq!(run.code(), 4);
    let expected = format!("{} is a file, not a plan directory (a folder with a README.md)", file.display());
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
}

#[test]
fn a_reference_to_a_phase_that_does_not_exist_is_a_hidden_prerequisite() {
    let env = Env::new();
    let readme =
        b"| Phase | File | Depends on |\n|---|---|---|\n| 01 | 01-a.md | - |\n| 02 | 02-b.md | 01, 07 |\n";
    let dir = plan_of(&env, &[("README.md", readme), ("01-a.md", b""), ("02-b.md", b"")]);
    let eval = env.ok(&["calibration", "eval", "--offline", &dir]).json();
    let hidden = eval.as_array().unwrap().iter().find(|r| r["name"] == "hidden-prerequisite").unwrap();
    assert_eq!(hidden["input_value"], 1.0);
    assert_eq!(hidden["fired"], true);
    let chain = eval.as_array().unwrap().iter().find(|r| r["name"] == "long-serial-chain").unwrap();
    assert_eq!(chain["input_value"], 2.0);
}

#[test]
fn a_feature_folder_of_spec_kit_reads_its_tasks_as_its_phases() {
    let env = Env::new();
    let tasks = "# Tasks: Search\n\n## Phase 1: Setup (Shared Infrastructure)\n\n\
                 - [ ] T001 Create the app in src/app.py\n\n## Phase 2: Foundational (Blocking Prerequisites)\n\n\
                 - [ ] T002 [P] Add the store in src/store.py, src/schema.py\n\n\
                 ## Phase 3: User Story 1 - Index (Priority: P1) 🎯 MVP\n\n- [ ] T003 [US1] Index in src/index.py\n\n\
                 ## Phase 4: User Story 2 - Query (Priority: P2)\n\n- [ ] T004 [US2] Query in `src/query.py`\n\n\
                 ## Phase 5: Polish & Cross-Cutting Concerns\n\n- [ ] T005 Document it in docs/search.md\n\n\
                 ## Dependencies & Execution Order\n\n### Phase Dependencies\n\n\
                 - **Setup (Phase 1)**: No dependencies - can start immediately\n\
                 - **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories\n\
                 - **User Stories (Phase 3+)**: All depend on Foundational phase completion\n\
                 - **Polish (Final Phase)**: Depends on all desired user stories being complete\n";
    let files: [(&str, &[u8]); 3] = [
        ("spec.md", b"# Feature Specification: Search\n"),
        ("plan.md", b"# Implementation Plan\n"),
        ("tasks.md", tasks.as_bytes()),
    ];
    let dir = plan_of(&env, &files);
    let sidecar = env.ok(&["calibration", "init", "--stdout", &dir]).json();
    assert_eq!(
        (sidecar["plan"]["name"].as_str(), sidecar["plan"]["wave_count"].as_i64()),
        (Some("Tasks: Search"), Some(4))
    );
    let phases: Vec<(&str, Vec<&str>)> = sidecar["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["slug"].as_str().unwrap(),
                p["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            ("phase-1-setup", vec!["src/app.py"]),
            ("phase-2-foundational", vec!["src/schema.py", "src/store.py"]),
            ("phase-3-user-story-1-index", vec!["src/index.py"]),
            ("phase-4-user-story-2-query", vec!["src/query.py"]),
            ("phase-5-polish-cross-cutting-concerns", vec!["docs/search.md"]),
        ]
    );
    // Without its tasks, the feature is not a plan yet.
    let env = Env::new();
    let dir = plan_of(&env, &files[..2]);
    let refused = env.run(&["calibration", "init", "--stdout", &dir]);
    assert_eq!(refused.code(), 4);
    assert!(refused.stderr().contains("tasks.md: no tasks here yet"), "{}", refused.stderr());
}

#[test]
fn a_feature_folder_of_agent_os_reads_its_task_groups_as_its_phases() {
    let env = Env::new();
    let tasks = "# Task Breakdown: Todos\n\n## Task List\n\n### Database Layer\n\n\
                 #### Task Group 1: Todos Table Migration\n**Dependencies:** None\n\n- [ ] 1.0 Migrate\n\n\
                 ### API Layer\n\n#### Task Group 2: Todo Endpoints\n**Dependencies:** Task Group 1\n\n\
                 - [ ] 2.0 Serve\n\n### Frontend\n\n#### Task Group 3: Todo List\n**Dependencies:** Task Group 1\n\n\
                 ### Testing\n\n#### Task Group 4: Test Review\n**Dependencies:** Task Groups 2 and 3\n";
    let files: [(&str, &[u8]); 2] =
        [("spec.md", b"# Specification: Todos\n"), ("tasks.md", tasks.as_bytes())];
    let dir = plan_of(&env, &files);
    let sidecar = env.ok(&["calibration", "init", "--stdout", &dir]).json();
    assert_eq!(
        (sidecar["plan"]["phase_count"].as_i64(), sidecar["plan"]["wave_count"].as_i64()),
        (Some(4), Some(3))
    );
    let slugs: Vec<&str> =
        sidecar["phases"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        [
            "task-group-1-todos-table-migration",
            "task-group-2-todo-endpoints",
            "task-group-3-todo-list",
            "task-group-4-test-review"
        ]
    );
}

#[test]
fn a_spec_folder_of_kiro_reads_its_checklist_of_tasks_as_phases_done_in_order() {
    let env = Env::new();
    let tasks = "# Implementation Plan\n\n- [x] 1. Set up the project\n  - _Requirements: 1.1_\n\n\
                 - [-] 2. Build the parser\n  - [x] 2.1 Write the lexer in `src/lexer.rs`\n  \
                 - [ ]* 2.2 Write property tests\n\n- [ ] 3. Checkpoint - Ensure all tests pass\n";
    let files: [(&str, &[u8]); 3] = [
        ("requirements.md", b"# Requirements Document\n"),
        ("design.md", b"# Design Document\n"),
        ("tasks.md", tasks.as_bytes()),
    ];
    let dir = plan_of(&env, &files);
    let run = env.ok(&["calibration", "init", &dir]);
    assert!(run.stdout().starts_with("wrote "), "{}", run.stdout());
    let sidecar: Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(&dir).join(".calibration.json")).unwrap())
            .unwrap();
    let plan = &sidecar["plan"];
    assert_eq!(
        (plan["phase_count"].as_i64(), plan["wave_count"].as_i64(), plan["max_chain_depth"].as_i64()),
        (Some(3), Some(3), Some(3))
    );
    let phases = sidecar["phases"].as_array().unwrap();
    let slugs: Vec<&str> = phases.iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["set-up-the-project", "build-the-parser", "checkpoint-ensure-all-tests-pass"]);
    assert_eq!(phases[1]["files"], serde_json::json!(["src/lexer.rs"]));
}

#[test]
fn a_cursor_plan_and_an_openspec_change_read_their_todos_and_sections_as_phases() {
    let env = Env::new();
    let cursor = "---\nname: Queue\ntodos:\n  - id: schema\n    content: Create db/schema.sql\n    \
                  status: pending\n  - id: api\n    content: \"src/api.ts: the endpoints\"\n    \
                  dependencies:\n      - schema\n  - id: docs\n    content: Write the docs\n    \
                  dependencies: [schema]\n---\n\n# Queue\n";
    let dir = plan_of(&env, &[("queue_1a2b.plan.md", cursor.as_bytes())]);
    let sidecar = env.ok(&["calibration", "init", "--stdout", &dir]).json();
    let phases = sidecar["phases"].as_array().unwrap();
    let read: Vec<(&str, &Value)> =
        phases.iter().map(|p| (p["slug"].as_str().unwrap(), &p["files"])).collect();
    assert_eq!(
        read,
        [
            ("schema", &serde_json::json!(["db/schema.sql"])),
            ("api", &serde_json::json!(["src/api.ts"])),
            ("docs", &serde_json::json!([]))
        ]
    );
    assert_eq!(
        (sidecar["plan"]["wave_count"].as_i64(), sidecar["plan"]["name"].as_str()),
        (Some(2), Some("Queue"))
    );
    let env = Env::new();
    let tasks =
        "## 1. Implementation\n- [ ] 1.1 Add `src/mirror.rs`\n\n## 2. Testing\n- [ ] 2.1 Run the suite\n";
    let dir = plan_of(&env, &[("proposal.md", b"# Change: Mirror\n"), ("tasks.md", tasks.as_bytes())]);
    let sidecar = env.ok(&["calibration", "init", "--stdout", &dir]).json();
    let slugs: Vec<&str> =
        sidecar["phases"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!((slugs, sidecar["plan"]["wave_count"].as_i64()), (vec!["implementation", "testing"], Some(2)));
}

#[test]
fn record_keeps_which_skillnet_wrote_the_sidecar() {
    let env = Env::new();
    let dir = plan_in_repo(&env, &fixtures().join("clean/helper.plan"), utf8);
    env.ok(&["calibration", "init", &dir]);
    env.ok(&["calibration", "record", &dir]);
    let sidecar: Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(&dir).join(".calibration.json")).unwrap())
            .unwrap();
    let id = sidecar["plan"]["id"].as_str().unwrap();
    let generator = format!("skillnet {}", env!("CARGO_PKG_VERSION"));
    assert_eq!(sidecar["generator"], generator.as_str());
    assert_eq!(
        env.ok(&["calibration", "show", id, "--format", "json"]).json()["generator"],
        generator.as_str()
    );

    // A sidecar 0.6 wrote says nothing about its writer.
    let old = fixtures().join("clean/helper.expected.json");
    let old_dir = env.path("old-plan");
    std::fs::create_dir_all(&old_dir).unwrap();
    std::fs::copy(old, old_dir.join(".calibration.json")).unwrap();
    env.ok(&["calibration", "record", &old_dir.display().to_string()]);
    let old_id: Value =
        serde_json::from_str(&std::fs::read_to_string(old_dir.join(".calibration.json")).unwrap()).unwrap();
    let shown =
        env.ok(&["calibration", "show", old_id["plan"]["id"].as_str().unwrap(), "--format", "json"]).json();
    assert_eq!(shown["generator"], Value::Null);
}
