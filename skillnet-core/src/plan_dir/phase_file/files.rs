//! The files a phase file expects its phase to touch.

use super::front_matter_value;
use crate::plan_dir::markdown::{plain_text, BlockKind, Outline, Piece};
use crate::plan_dir::paths::{looks_like_path, paths_of, paths_of_text, starts_with_path, touches_paths};
use crate::plan_dir::readme::{after_checkbox, opening_task, opening_word};

/// The paths a file's files sections list: SPEC's `## Files likely touched`, else every section
/// whose title says it lists the files the phase touches ([`names_touched_files`]); in each,
/// its list items and tables of files, else its paragraphs that begin with a path (`` `a/**`,
/// `b.rs`, and the docs ``), else the lines of its code fences that do. Without one, the lines
/// labelled so (`**Files touched:**`), then the front matter's list ([`FILES_KEYS`]:
/// `files_modified: [a.rs]`); failing those, the sections titled only `Files` (`Key files`,
/// `File list`), then the lines so labelled (a plan's tasks, each with its `**Files:**` or
/// `**File:**`), and last the files its task lines say they are done in ([`task_files`]).
/// Used for sub-phase files too.
pub fn files(outline: &Outline) -> Vec<String> {
    let in_sections = match outline.section("files likely touched") {
        Some(spec) => files_in(outline, spec),
        None => outline
            .sections(names_touched_files)
            .into_iter()
            .flat_map(|range| files_in(outline, range))
            .collect(),
    };
    if !in_sections.is_empty() {
        return in_sections;
    }
    // No section: a label names them (`**Files likely touched:**` over a list, or
    // `- **Files touched:** `a.rs`, `b.rs``).
    let labelled = labelled_files(outline, names_touched_files);
    if !labelled.is_empty() {
        return labelled;
    }
    // Nor a label: the front matter's list (`files_modified:`, as GSD-style plans keep it).
    let stated = front_matter_value(outline, &FILES_KEYS).unwrap_or_default();
    let stated: Vec<String> = stated.split(", ").flat_map(paths_of_text).collect();
    if !stated.is_empty() {
        return stated;
    }
    // Nor the front matter: a section of the files related to the phase, read for what it
    // says the phase changes.
    let related = related_code_files(outline);
    if !related.is_empty() {
        return related;
    }
    // Nor that: what only says Files, a section, else a label (a task's `**File:**` too, one
    // file to a task).
    let only_files =
        |title: &str| matches!(title.to_lowercase().as_str(), "files" | "file" | "key files" | "file list");
    let sections: Vec<String> =
        outline.sections(only_files).into_iter().flat_map(|range| files_in(outline, range)).collect();
    if !sections.is_empty() {
        return sections;
    }
    let labelled = labelled_files(outline, only_files);
    if !labelled.is_empty() {
        return labelled;
    }
    // Nor that: the files the tasks say they are done in.
    outline.blocks.iter().filter(|b| b.kind == BlockKind::Item).flat_map(|b| task_files(&b.pieces)).collect()
}

/// The files a task's line says it is done in (spec-kit's `- [ ] T012 [P] [US1] Create the
/// model in src/models/user.py`): the paths after the first `in` that a path follows (`` in
/// `README.md` and `docs/api.md` ``, `in a.py, b.py`), else after `into` or `to`, not in
/// parentheses (`(Protocol in workflow.md)`), in a list item that opens with the task's id
/// (`T012`) or label (Conductor's `Task: Register the server`), or Agent OS's sub-task number
/// (`1.2`), after its checkbox; a task by its id or label that opens with a word of change
/// names the path it changes first ([`paths_changed`]: `` T016 Update `docs/api.md` ``, ``
/// Task: Create `a.sh` from the template in `workflow.md` ``); none in any other line.
fn task_files(pieces: &[Piece]) -> Vec<String> {
    let Some(Piece::Text(first)) = pieces.first() else { return Vec::new() };
    let labelled = opening_word(first).is_some_and(|word| word.eq_ignore_ascii_case("task:"));
    let by_id = labelled || opening_task(first).is_some();
    if !by_id && !opens_with_sub_task_number(first) {
        return Vec::new();
    }
    // A sub-task leaves the files it changes to its task's steps ([`files_changed_in_steps`]).
    if let Some(changed) = paths_changed(pieces).filter(|_| by_id) {
        return changed;
    }
    for (at, piece) in pieces.iter().enumerate() {
        let Piece::Text(text) = piece else { continue };
        for word in [" in ", " into ", " to "] {
            for (found, _) in text.match_indices(word) {
                let before = &text[..found];
                if before.matches('(').count() > before.matches(')').count() {
                    continue;
                }
                let rest = &text[found + word.len()..];
                // The path is written bare, in this text, or as the code spans that follow it.
                let named = match rest.trim().is_empty() {
                    true => pieces[at + 1..].to_vec(),
                    false => vec![Piece::Text(rest.to_owned())],
                };
                if starts_with_path(&named) {
                    return paths_of(&named);
                }
            }
        }
    }
    Vec::new()
}

/// The files the steps of a text say they change, for a phase that lists none: the paths in
/// the first code spans of its list items that open with a word of change, after a checkbox,
/// a sub-task's number or a check mark (`` - Create `src/Editor.tsx` with a skeleton ``, `` -
/// Add the type to `src/storage.ts` ``, `` - [x] 2.1 Delete `a.rs` ``), and of the sentences
/// of its paragraphs that do, after a word that orders them (`` First, add `a.graphql` ``, ``
/// Then update `schema.json` ``); not a package's name (`` Add `@nestjs/common` ``), nor a code
/// span that is not a path (`` Create `UserService` ``).
pub fn files_changed_in_steps(text: &str) -> Vec<String> {
    let outline = Outline::parse(text);
    let steps = outline.blocks.iter().flat_map(|block| match block.kind {
        BlockKind::Item => vec![block.pieces.clone()],
        BlockKind::Paragraph => sentences(&block.pieces),
    });
    steps.filter_map(|step| paths_changed(&step)).flatten().collect()
}

/// The paths a step that opens with a word of change names in its first code span that reads
/// as a path, and those listed with it (`` Create `a.rs` and `b.rs` ``); `None` for a step that
/// opens otherwise, or names no such path (`` Create `UserService` ``, `` Add `@nestjs/common`
/// ``).
fn paths_changed(step: &[Piece]) -> Option<Vec<String>> {
    let Some(Piece::Text(first)) = step.first() else { return None };
    if !opens_with_change(after_checkbox(first)) {
        return None;
    }
    let path_span = |piece: &Piece| match piece {
        Piece::Code(code) => looks_like_path(code.trim()) && !code.trim().starts_with('@'),
        _ => false,
    };
    Some(paths_of(&step[step.iter().position(path_span)?..]))
}

/// Whether a step opens with a word of change ([`DOING`]), in the present or the future too
/// (`adds`, `modifies`, `will update`), after a number or a mark (`2.1`, `✅`, `[P]`), a task's id
/// or label (`T016`, `Task:`), the words that order steps (`First,`, `Then`) and what numbers a
/// milestone's paragraph (`Milestone 2`).
fn opens_with_change(text: &str) -> bool {
    const PASSED: [&str; 13] = [
        "first",
        "second",
        "third",
        "then",
        "next",
        "finally",
        "also",
        "now",
        "and",
        "will",
        "milestone",
        "step",
        "phase",
    ];
    let bare = |word: &str| word.trim_end_matches([',', ':']).to_lowercase();
    let passed = |word: &&str| {
        let mark = word.starts_with(|c: char| c.is_ascii_digit()) || !word.starts_with(char::is_alphanumeric);
        let task = word.eq_ignore_ascii_case("task:") || opening_task(word).is_some();
        mark || task || PASSED.contains(&bare(word).as_str())
    };
    let Some(word) = text.split_whitespace().find(|word| !passed(word)).map(bare) else { return false };
    // The word itself, or its present tense (`adds`, `touches`, `modifies`).
    let change = |form: Option<&str>| form.is_some_and(|form| DOING.contains(&form));
    let modifies = word.strip_suffix("ies").map(|stem| format!("{stem}y"));
    change(Some(&word))
        || change(word.strip_suffix('s'))
        || change(word.strip_suffix("es"))
        || change(modifies.as_deref())
}

/// The sentences and clauses of a paragraph, each its pieces: a text piece is cut after each
/// `. `, `; ` or `: ` and at each line break.
fn sentences(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let mut sentences = vec![Vec::new()];
    for piece in pieces {
        let Piece::Text(text) = piece else {
            sentences.last_mut().expect("one sentence at least").push(piece.clone());
            continue;
        };
        let mut from = 0;
        for (at, c) in text.char_indices() {
            let ends = match c {
                '.' | ';' | ':' => text[at + 1..].starts_with(char::is_whitespace),
                '\n' => true,
                _ => false,
            };
            if ends {
                let sentence = sentences.last_mut().expect("one sentence at least");
                sentence.push(Piece::Text(text[from..=at].to_owned()));
                sentences.push(Vec::new());
                from = at + 1;
            }
        }
        if from < text.len() {
            sentences.last_mut().expect("one sentence at least").push(Piece::Text(text[from..].to_owned()));
        }
    }
    sentences
}

/// Whether a list item's text opens with the number of a sub-task, after its checkbox: its
/// task's number, a dot and its own (`1.2` of `[x] 1.2 Create the model in a.cs`; `2.3.1`).
fn opens_with_sub_task_number(text: &str) -> bool {
    let number = opening_word(text).unwrap_or_default();
    let mut parts = number.split('.');
    let numbered = parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    numbered && number.contains('.')
}

/// The paths the lines with a label that passes `wanted` give: a label over a list or a table
/// (`**Files likely touched:**`), or followed by the paths (`- **Files touched:** `a.rs``);
/// else the rows of tables of fields so labelled (`| Files touched | `a.rs`, `b.rs` |`).
fn labelled_files(outline: &Outline, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let fields = outline.fields(&wanted).into_iter();
    let lines: Vec<String> = fields
        .flat_map(|field| match field.value.is_empty() {
            true => files_in(outline, field.body),
            false if starts_with_path(&field.value) => paths_of(&field.value),
            false => Vec::new(),
        })
        .collect();
    if !lines.is_empty() {
        return lines;
    }
    let values = outline.table_fields(wanted).into_iter().flatten();
    values.filter(|cell| starts_with_path(cell)).flat_map(|cell| touches_paths(cell)).collect()
}

/// The front matter keys that list the files a phase touches, in the order they are looked for.
const FILES_KEYS: [&str; 7] = [
    "files_likely_touched",
    "files_touched",
    "files_modified",
    "files_changed",
    "file_ownership",
    "touches",
    "files",
];

/// The files a `## Related Code Files` section says the phase changes: what its words of change
/// stand over (`- Modify: `a.ts``, `Create:` or `**Modify (1)**` over a list, `### Delete`), not
/// what other words do (`Reference:`, `Inspect:`, `**Do NOT modify**`). A section of which no
/// part is labelled is a plain list of the phase's files (`- `a.ts` (new)`).
fn related_code_files(outline: &Outline) -> Vec<String> {
    let mut files = Vec::new();
    for range in outline.sections(|title| title.eq_ignore_ascii_case("related code files")) {
        let inside = |body: &std::ops::Range<usize>| range.contains(&body.start);
        let fields = outline.fields(says_change).into_iter().filter(|field| inside(&field.body));
        let mut changed: Vec<String> = fields
            .flat_map(|field| match field.value.is_empty() {
                true => files_in(outline, field.body),
                false => paths_of(&field.value),
            })
            .collect();
        let bodies = outline.subsections(range.clone(), says_change).into_iter();
        let bodies = bodies.chain(outline.lone_labels(says_change).into_iter().filter(inside));
        changed.extend(bodies.flat_map(|body| files_in(outline, body)));
        let labelled = || {
            !outline.subsections(range.clone(), |_| true).is_empty()
                || outline.fields(is_short_label).iter().any(|field| inside(&field.body))
                || outline.lone_labels(is_short_label).iter().any(inside)
        };
        match changed.is_empty() && !labelled() {
            true => files.extend(files_in(outline, range.clone())),
            false => files.extend(changed),
        }
    }
    files
}

/// Whether a label says what follows is changed: it opens with a word of change (`Modify`,
/// `Create new`, `Modify as needed`, `New`), as [`names_touched_files`] reads them.
fn says_change(label: &str) -> bool {
    let first = label.split_whitespace().next().unwrap_or_default();
    DOING.contains(&first) || matches!(first, "new" | "modified" | "created" | "updated" | "deleted")
}

/// Whether what an Action cell says (lower case) leaves its file as it is: `Reference`, `Read
/// only`, `Link to`, `No change`, `Keep`.
fn says_only_read(action: &str) -> bool {
    const READING: [&str; 12] = [
        "read",
        "reference",
        "inspect",
        "review",
        "consult",
        "link",
        "keep",
        "preserve",
        "unchanged",
        "none",
        "no",
        "do",
    ];
    let first =
        action.split(|c: char| !c.is_alphanumeric()).find(|word| !word.is_empty()).unwrap_or_default();
    READING.contains(&first)
}

/// Whether a label is a short phrase of words (`Reference`, `Do not modify`), not a path or a
/// sentence.
fn is_short_label(label: &str) -> bool {
    let words = label.split_whitespace().count();
    (1..=3).contains(&words) && label.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
}

/// The words that say a file is changed, as a verb (`Files to modify`).
pub const DOING: [&str; 12] = [
    "touch", "create", "modify", "change", "edit", "add", "update", "delete", "remove", "rename", "move",
    "write",
];

/// The paths one files section lists.
fn files_in(outline: &Outline, range: std::ops::Range<usize>) -> Vec<String> {
    let blocks = || outline.blocks_in(range.clone());
    let items = blocks().filter(|b| b.kind == BlockKind::Item).flat_map(|b| paths_of(&b.pieces));
    // A table of files (`| File | Change |`): its File (or Path) column, else its first; not
    // the rows its Action column says are only read (`| `a.md` | Reference |`).
    let rows = outline.tables.iter().filter(|t| range.contains(&t.start)).flat_map(|table| {
        let header = |wanted: &[&str]| {
            let named =
                |cell: &Vec<Piece>| wanted.contains(&plain_text(cell).trim().to_ascii_lowercase().as_str());
            table.header.iter().position(named)
        };
        let column = header(&["file", "files", "path", "paths"]).unwrap_or(0);
        let action = header(&["action", "actions", "operation"]);
        let changed = move |cells: &[Vec<Piece>]| {
            let said = action.and_then(|at| cells.get(at)).map(|cell| plain_text(cell).to_lowercase());
            !said.is_some_and(|said| says_only_read(&said))
        };
        let rows = table.rows.iter().filter(move |(_, cells)| changed(cells));
        rows.filter_map(move |(_, cells)| cells.get(column)).flat_map(|cell| paths_of(cell))
    });
    let listed: Vec<String> = items.chain(rows).collect();
    if !listed.is_empty() {
        return listed;
    }
    // No list and no table: the paths are written inline, as a paragraph that starts with them,
    // else one to a line in a code fence (`src/a.rs   # the parser`).
    let inline: Vec<String> = blocks()
        .filter(|b| b.kind == BlockKind::Paragraph && starts_with_path(&b.pieces))
        .flat_map(|b| paths_of(&b.pieces))
        .collect();
    if !inline.is_empty() {
        return inline;
    }
    let fenced = outline.code_blocks.iter().filter(|code| range.contains(&code.start));
    // An indented line is a tree's branch (`src/` over `  lib.rs`), not a path of its own.
    let lines = fenced.flat_map(|code| code.text.lines()).filter(|line| !line.starts_with([' ', '\t']));
    lines.flat_map(paths_of_text).collect()
}

/// Whether a section title says the section lists the files a phase touches: `Files touched`,
/// `Files to create or modify`, `Files to Create/Change`, `Affected files`, `New and modified
/// files`, `File changes`, `Files in scope`, `Key files to modify`, `Files owned by this
/// subagent`, `Touches` (as the README's column says it), `涉及文件` ([`names_changed_files_in_cjk`]);
/// not `Files` or `Key files` (see [`files`]), `Files to read`, `Reference files`, `Files out of
/// scope` or `Files owned by other phases`.
fn names_touched_files(title: &str) -> bool {
    const DONE: [&str; 15] = [
        "touched", "created", "modified", "changed", "edited", "added", "updated", "deleted", "removed",
        "renamed", "moved", "written", "affected", "new", "owned",
    ];
    let lower = title.to_lowercase();
    if names_changed_files_in_cjk(&lower) {
        return true;
    }
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '&'))
        .filter(|w| !w.is_empty() && !matches!(*w, "or" | "and" | "likely"))
        .collect();
    // `Files owned by this subagent` says what `Files owned` says.
    if let [.., "by", "this", _] = words.as_slice() {
        words.truncate(words.len() - 3);
    }
    // `Key files to modify` says what `Files to modify` says.
    if matches!(words.as_slice(), ["key" | "main" | "core", "files" | "file", "to", ..]) {
        words.remove(0);
    }
    let all_in = |words: &[&str], list: &[&str]| !words.is_empty() && words.iter().all(|w| list.contains(w));
    match words.as_slice() {
        ["files" | "file", "to", doing @ ..] => all_in(doing, &DOING),
        ["touches"]
        | ["file", "changes"]
        | ["files" | "file", "in", "scope"]
        | ["in-scope", "files" | "file"] => true,
        ["files" | "file", done @ ..] => all_in(done, &DONE),
        [done @ .., "files" | "file"] => all_in(done, &DONE),
        _ => false,
    }
}

/// Whether a title in Chinese, Japanese or Korean names the files a phase changes: a word for
/// files and one for changing them (`涉及文件`, `修改的文件`, `変更するファイル`, `수정할 파일`);
/// not files to read (`参考文件`, `相关文件`).
fn names_changed_files_in_cjk(title: &str) -> bool {
    const FILES: [&str; 3] = ["文件", "ファイル", "파일"];
    const CHANGING: [&str; 18] = [
        "涉及", "修改", "变更", "改动", "新增", "创建", "影响", "删除", "変更", "作成", "修正", "追加",
        "削除", "변경", "수정", "생성", "추가", "삭제",
    ];
    FILES.iter().any(|word| title.contains(word)) && CHANGING.iter().any(|word| title.contains(word))
}

#[cfg(test)]
mod tests {
    use crate::plan_dir::phase_file::parse;

    #[test]
    fn a_files_touched_section_or_a_table_of_files_lists_the_files() {
        let file = parse("# P\n\n## Files Touched\n\n- `a.rs` — why\n\n## Next\n\n- `b.rs`\n");
        assert_eq!(file.files, ["a.rs"]);
        let table = "# P\n\n## Files likely touched\n\n| Area | File | Change |\n|---|---|---|\n\
                     | core | `src/a.rs` | new |\n| cli | `src/b.rs`, `src/c.rs` | edit |\n";
        assert_eq!(parse(table).files, ["src/a.rs", "src/b.rs", "src/c.rs"]);
        let first = "# P\n\n## Files to modify\n\n| | |\n|---|---|\n| `x/y.c` | pool |\n";
        assert_eq!(parse(first).files, ["x/y.c"]);
        let both = "# P\n\n## Files touched\n\n- `t.rs`\n\n## Files likely touched\n\n- `l.rs`\n";
        assert_eq!(parse(both).files, ["l.rs"]);
    }

    #[test]
    fn sections_of_the_files_a_phase_changes_titled_in_chinese_japanese_or_korean_list_them() {
        for title in
            ["涉及文件", "修改的文件", "新增/修改文件", "文件变更", "変更するファイル", "수정할 파일"]
        {
            let file =
                parse(&format!("# 阶段 1\n\n## {title}\n\n- `src/a.rs`\n\n## 参考文件\n\n- `docs/b.md`\n"));
            assert_eq!(file.files, ["src/a.rs"], "{title}");
        }
        // Files to read are not files the phase changes.
        for title in ["参考文件", "相关文件", "参照ファイル", "참고 파일"] {
            assert!(parse(&format!("# P\n\n## {title}\n\n- `docs/b.md`\n")).files.is_empty(), "{title}");
        }
        let labelled = parse("# P\n\n**涉及文件**：`src/a.rs`、`src/b.rs`\n");
        assert_eq!(labelled.files, ["src/a.rs", "src/b.rs"]);
    }

    #[test]
    fn every_section_of_files_to_create_or_modify_lists_the_files() {
        for title in [
            "Files to Create or Modify",
            "Files To Create Or Modify",
            "Files to create/modify",
            "Files changed",
            "Files in scope",
            "Files In Scope (per brief)",
            "In-scope files",
            "Key Files to Modify",
            "Key files to modify / create",
            "Files owned",
            "Owned files",
            "Files owned by this subagent",
            "Files touched by this phase",
        ] {
            assert_eq!(parse(&format!("# P\n\n## {title}\n\n- `a.rs`\n")).files, ["a.rs"], "{title}");
        }
        let split = "# P\n\n## Files to Create\n\n- `new.rs`\n\n## Files to Read\n\n- `context.rs`\n\n\
                     ## Files to Modify\n\n| File | Change |\n|---|---|\n| `old.rs` | edit |\n";
        assert_eq!(parse(split).files, ["new.rs", "old.rs"]);
        let nested = "# P\n\n## Critical Files\n\n### Files to Create (2)\n\n1. `a.ts` - client\n\n\
                      ### New and modified files\n\n- `b.ts`\n\n### Key files\n\n- `c.ts`\n";
        assert_eq!(parse(nested).files, ["a.ts", "b.ts"]);
        for other in [
            "Files to read",
            "Reference files",
            "Related files",
            "Files out of scope",
            "Key Files to Modify When Adding Components",
            "Files owned by other phases",
        ] {
            assert!(parse(&format!("# P\n\n## {other}\n\n- `a.rs`\n")).files.is_empty(), "{other}");
        }
        // Without any, a section that only says Files (or Key files) lists them.
        for last in ["Files", "Key files", "File list"] {
            assert_eq!(parse(&format!("# P\n\n## {last}\n\n- `a.rs`\n")).files, ["a.rs"], "{last}");
            let touched = format!("# P\n\n## {last}\n\n- `a.rs`\n\n## Files to modify\n\n- `b.rs`\n");
            assert_eq!(parse(&touched).files, ["b.rs"], "{last}");
        }
    }

    #[test]
    fn a_bullet_that_wraps_after_a_comma_keeps_its_later_paths() {
        let file = parse("## Files likely touched\n\n- `src/a.rs`,\n  `src/b.rs` and\n  `src/c.rs` (new)\n");
        assert_eq!(file.files, ["src/a.rs", "src/b.rs", "src/c.rs"]);
    }

    #[test]
    fn a_section_without_a_list_reads_the_paragraphs_that_list_paths() {
        let text =
            "## Files likely touched\n\n`gateway/cmd/kaiak/**`, `gateway/internal/{control,limits}/**`,\n\
                    `scripts/smoke.sh`, and the sample's page comment if it names `x.go`.\n\n\
                    [docs/GATEWAY.md](../docs/GATEWAY.md)\n\n\
                    Mostly prose about `src/other.rs`, which is not a list of paths.\n";
        // A trailing `**` loses its stars, as in a list item: the path names the folder.
        assert_eq!(
            parse(text).files,
            [
                "gateway/cmd/kaiak/",
                "gateway/internal/control/",
                "gateway/internal/limits/",
                "scripts/smoke.sh",
                "docs/GATEWAY.md"
            ]
        );
        // Beside a list, a paragraph is the list's introduction.
        let intro = "## Files likely touched\n\n`src/` mostly:\n\n- `src/a.rs`\n";
        assert_eq!(parse(intro).files, ["src/a.rs"]);
    }

    #[test]
    fn a_labelled_line_stands_in_for_a_files_section() {
        let over_a_list = "# P\n\n**Files likely touched:**\n\n- `src/a.rs`\n- `src/b.rs` (new)\n\n\
                           Then run the tests in `tests/c.rs`.\n\n- `not/this.rs`\n";
        assert_eq!(parse(over_a_list).files, ["src/a.rs", "src/b.rs"]);
        let tight = "# P\n\nFiles to modify:\n- `x.rs`\n\n## Steps\n\n- `y.rs`\n";
        assert_eq!(parse(tight).files, ["x.rs"]);
        let inline = "# P\n\n- **Files touched:** `src/a.rs`, `src/b.rs`\n- **Risk:** low\n";
        assert_eq!(parse(inline).files, ["src/a.rs", "src/b.rs"]);
        let table = "# P\n\n**Files to change**:\n\n| File | Why |\n|---|---|\n| `t.rs` | x |\n";
        assert_eq!(parse(table).files, ["t.rs"]);
        // `Touches`, as the README's column says it.
        let touches = "# P\n\n**Touches:** `src/db.ts`, `src/pay.ts`. **Code only — no migration.**\n";
        assert_eq!(parse(touches).files, ["src/db.ts", "src/pay.ts"]);
        assert!(parse("# P\n\n**Touches:** Claude Code CLI, ADR-0001 (parts)\n").files.is_empty());
        // A section wins; a label that is not about touched files is not one.
        let both = "# P\n\n**Files touched:** `label.rs`\n\n## Files likely touched\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
        for other in ["**Files to read:**\n\n- `a.rs`", "Note: files touched: `a.rs`"] {
            assert!(parse(&format!("# P\n\n{other}\n")).files.is_empty(), "{other}");
        }
    }

    #[test]
    fn a_row_of_a_table_of_fields_may_name_the_files() {
        let fields = "# P\n\n| Field | Value |\n|---|---|\n| Model | GPT-5.5 high |\n\
                      | **Files touched** | `src/a.rs` <br> `src/b.rs` |\n| Depends on | 01 |\n";
        assert_eq!(parse(fields).files, ["src/a.rs", "src/b.rs"]);
        let attributes = "# P\n\n| Attribute | Value |\n|---|---|\n| **Phase** | 1 |\n\
                          | **Files** | `src/x/runtime.py`, `src/y/runtime.py` |\n";
        assert_eq!(parse(attributes).files, ["src/x/runtime.py", "src/y/runtime.py"]);
        // A row whose value is not paths names none; a section wins.
        let prose =
            "# P\n\n| Category | Format |\n|---|---|\n| **Files** | kebab-case with a role suffix |\n";
        assert!(parse(prose).files.is_empty());
        let both = "# P\n\n| | |\n|---|---|\n| Files | `row.rs` |\n\n## Files to modify\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
    }

    #[test]
    fn tasks_labelled_files_name_them_when_nothing_else_does() {
        // A plan of tasks, each with its files (`Create:`, `Modify:`, `Test:`).
        let tasks = "# P\n\n### Task 1: Config\n\n**Files:**\n- Create: `app/triggers.yaml`\n\
                     - Modify: `app/lib/config.ts:123-145`\n- Test: `tests/config_test.ts`\n\n\
                     - [ ] **Step 1:** Write the failing test\n\n### Task 2: Wire\n\n\
                     **Files:** `app/main.ts`, `app/cli.ts`\n";
        assert_eq!(
            parse(tasks).files,
            ["app/triggers.yaml", "app/lib/config.ts", "tests/config_test.ts", "app/main.ts", "app/cli.ts"]
        );
        // Anything that names the files the phase touches wins over them.
        let both = "# P\n\n**Files:** `task.rs`\n\n## Files likely touched\n\n- `section.rs`\n";
        assert_eq!(parse(both).files, ["section.rs"]);
        let section = "# P\n\n**Files:** `task.rs`\n\n## Files\n\n- `section.rs`\n";
        assert_eq!(parse(section).files, ["section.rs"]);
        // One file to a task (`#### 1.1: Update pyproject.toml` over `**File:** `pyproject.toml``).
        let one_each = "# P\n\n#### 1.1: Update pyproject.toml\n**File:** `pyproject.toml`\n\n\
                        **Changes:** add a dependency.\n\n#### 1.2: Settings\n**File:** `src/settings.py`\n";
        assert_eq!(parse(one_each).files, ["pyproject.toml", "src/settings.py"]);
        // What is not a path is not a file (`**File:** the one the runbook names`).
        assert!(parse("# P\n\n**File:** the one the runbook names\n").files.is_empty());
    }

    #[test]
    fn task_lines_name_the_files_they_say_the_work_is_in_when_nothing_else_does() {
        // Spec-kit's tasks: `- [ ] T012 [P] [US1] Description in path`.
        let tasks = "## Phase 2: Foundational\n\n- [X] T007 Setup the connection in backend/db/connection.py\n\
                     - [ ] T011 [P] Create models (requests, replies) in backend/models/a.py, backend/models/b.py\n\
                     - [ ] T012 [P] [US1] Add a translation/summarization switch to `website/src/switch.tsx` for US1\n\
                     - [ ] T013 Run database migrations in Neon PostgreSQL per data-model.md\n\
                     - [ ] T014 Document the API in `README.md` and `docs/api.md`\n\
                     - [ ] T015 [US2] Create the profile page in website/src/pages/ (or auth components)\n\
                     - Update notes in docs/notes.md\n\n**Checkpoint**: ready in src/later.rs\n";
        assert_eq!(
            parse(tasks).files,
            [
                "backend/db/connection.py",
                "backend/models/a.py",
                "backend/models/b.py",
                "website/src/switch.tsx",
                "README.md",
                "docs/api.md",
                "website/src/pages/",
            ]
        );
        // Agent OS's sub-tasks, numbered with their task group's number.
        let groups = "#### Task Group 1: Models\n\n- [x] 1.0 Complete the models\n  - [x] 1.1 Write 2-8 tests\n\
                      - [x] 1.2 Create the Section model in `Models/Section.cs`\n    - Reuse the pattern in `Vehicle.cs`\n\
                      - [ ] 1.3 Register it in `App/Services.cs`\n  - [ ] 1.4.1 Run it in src/nested.rs\n";
        assert_eq!(parse(groups).files, ["Models/Section.cs", "App/Services.cs", "src/nested.rs"]);
        // A section of the files the phase touches wins over them.
        let both = "# P\n\n## Files touched\n\n- `section.rs`\n\n- [ ] T001 Create it in task.rs\n";
        assert_eq!(parse(both).files, ["section.rs"]);
        // Conductor's tasks, labelled `Task:`; a task that opens with a word of change names the
        // file it changes, `in` or not; what a task says in parentheses is a remark.
        let conductor = "## Phase 1: Server\n- [ ] Task: Implement the handler in `src/server.ps1`\n    \
                         - [ ] Write Tests\n- [ ] Task: Create `src/ensemble.py`\n- [ ] T016 [P] Update \
                         `docs/api.md` for US1\n- [ ] Task: Conductor - User Manual Verification 'Phase 1: \
                         Server' (Protocol in workflow.md)\n- [x] Task: Create a script `scripts/lxc.sh` \
                         from the template in `workflow.md`\n";
        assert_eq!(
            parse(conductor).files,
            ["src/server.ps1", "src/ensemble.py", "docs/api.md", "scripts/lxc.sh"]
        );
    }

    #[test]
    fn a_files_section_may_list_its_paths_in_a_code_fence() {
        let fenced = "# P\n\n## Files likely touched\n\n```text\nsrc/a.rs\nserver/b.py      # unchanged if the API holds\n\
                      tests/component/... (export screen)\n├── not-a-path\ncargo test\n```\n\n## Steps\n\n```\nsrc/c.rs\n```\n";
        assert_eq!(parse(fenced).files, ["src/a.rs", "server/b.py", "tests/component/"]);
        // A list wins over a fence beside it (then the fence shows commands or code).
        let both = "# P\n\n## Files likely touched\n\n- `src/a.rs`\n\n```sh\nsrc/b.rs --check\n```\n";
        assert_eq!(parse(both).files, ["src/a.rs"]);
        let labelled = "# P\n\n**Files likely touched:**\n\n```\nsrc/a.rs\n```\n";
        assert_eq!(parse(labelled).files, ["src/a.rs"]);
        let tree = "# P\n\n## Files to create\n\n```\nsrc/cli/\n  mod.rs\n  args.rs\n```\n";
        assert_eq!(parse(tree).files, ["src/cli/"]);
    }

    #[test]
    fn front_matter_names_the_files_when_no_section_or_label_does() {
        let listed =
            "---\nphase: 03-design\nwave: 2\nfiles_modified:\n  - src/a.ts\n  - \"src/b.ts\"\n---\n\n# P\n";
        assert_eq!(parse(listed).files, ["src/a.ts", "src/b.ts"]);
        let flow = "---\nfiles_touched: [src/a.rs, `src/b.rs` (new)]\n---\n# P\n";
        assert_eq!(parse(flow).files, ["src/a.rs", "src/b.rs"]);
        // A section or a label wins; a count or an empty list names none.
        let section = "---\nfiles_modified: [fm.rs]\n---\n# P\n\n## Files likely touched\n\n- `s.rs`\n";
        assert_eq!(parse(section).files, ["s.rs"]);
        let label = "---\nfiles_modified: [fm.rs]\n---\n# P\n\n**Files touched:** `l.rs`\n";
        assert_eq!(parse(label).files, ["l.rs"]);
        for none in ["files_modified: 24", "files_modified: []  # decided in task 1"] {
            assert!(parse(&format!("---\n{none}\n---\n# P\n")).files.is_empty(), "{none}");
        }
    }

    #[test]
    fn front_matter_may_name_the_files_a_phase_owns() {
        let owned =
            "---\nphase: 4\ndependencies: [1]\nfile_ownership: [\"apps/web/thread-b.ts\"]\n---\n# P\n";
        assert_eq!(parse(owned).files, ["apps/web/thread-b.ts"]);
    }

    #[test]
    fn a_related_code_files_section_lists_what_its_words_of_change_name() {
        // Each line says what is done to its files; only changing them counts.
        let lines = "# P\n\n## Related Code Files\n\n- Modify: `src/a.ts` — why\n- Create: `src/b.ts`\n\
                     - Reference (no modificar): `src/c.ts`, `src/d.ts`\n- Delete: none\n\
                     - **Modify as needed:** `test/e.test.ts`\n- Inspect: `package.json`\n";
        assert_eq!(parse(lines).files, ["src/a.ts", "src/b.ts", "test/e.test.ts"]);
        // A label over a list, with a colon or without (`**Modify (1)**`), or a heading.
        let over = "# P\n\n## Related Code Files\n\nModify:\n\n- `src/a.ts`\n- `src/b.ts`\n\n\
                    **Create (1)**\n- `src/c.ts`\n\n**Do NOT modify**\n- `src/d.ts`\n- Shared files\n\n\
                    ## Implementation Steps\n\n1. Audit `src/z.ts`.\n";
        assert_eq!(parse(over).files, ["src/a.ts", "src/b.ts", "src/c.ts"]);
        let headings = "# P\n\n## Related Code Files\n\n### Modify\n- `app/Booking.php` - selector\n\n\
                        ### Create\n- `app/Wallet.php`\n\n### Reference\n- `app/Old.php`\n\n## Steps\n";
        assert_eq!(parse(headings).files, ["app/Booking.php", "app/Wallet.php"]);
        // With no word of change anywhere, the section is the list of the phase's files.
        let plain = "# P\n\n## Related Code Files\n\n- `src/guard.tsx` (new)\n\
                     - `src/app/*/page.tsx` (update all pages)\n\n## Steps\n\n- `src/z.ts`\n";
        assert_eq!(parse(plain).files, ["src/guard.tsx", "src/app/*/page.tsx"]);
        // A section of files to read says nothing of what the phase changes.
        assert!(parse("# P\n\n## Related Code Files\n\n- Reference: `src/c.ts`\n").files.is_empty());
        assert!(parse("# P\n\n## Related files\n\n- `docs/background.md`\n").files.is_empty());
        // A table's Action column says which rows are only read.
        let table = "# P\n\n## Related Code Files\n\n| File | Action |\n|---|---|\n\
                     | `src/a.tsx` | **Modify** |\n| `src/b.ts` | Create |\n| `docs/c.md` | Link to |\n\
                     | `src/d.ts` | Read only |\n| `src/e.ts` | No change |\n| `src/f.ts` | Remove 4 imports |\n";
        assert_eq!(parse(table).files, ["src/a.tsx", "src/b.ts", "src/f.ts"]);
        // A section titled for the files changed wins.
        let both = "# P\n\n## Related Code Files\n\n- Modify: `r.ts`\n\n## Files to modify\n\n- `m.ts`\n";
        assert_eq!(parse(both).files, ["m.ts"]);
    }

    #[test]
    fn file_lists_take_every_list_marker() {
        let file = parse(
            "# P\n\n## Files likely touched\n\n- `a.rs` — why\n* b.rs\n+ c.rs\n1. d.rs\n\n---\n\nprose e.rs\n",
        );
        assert_eq!(file.files, ["a.rs", "b.rs", "c.rs", "d.rs"]);
    }

    #[test]
    fn the_sentences_of_prose_that_open_with_a_word_of_change_name_the_files_changed() {
        use crate::plan_dir::phase_file::files_changed_in_steps;
        let prose = "First, add authentication. Edit `internal/types.go` and `internal/config.go`, \
                     reading `docs/auth.md`.\n\nThen update the schema in `schema.json`; reuse \
                     `src/git.rs` as it is.\n\nThird, build the CLI: create `cmd/ctl/main.go`.\n\n\
                     The parser reads `src/parse.rs`. Read `docs/notes.md` first.\n";
        assert_eq!(
            files_changed_in_steps(prose),
            ["internal/types.go", "internal/config.go", "schema.json", "cmd/ctl/main.go"]
        );
        // A milestone's paragraph says what it changes after its number, in the present or the
        // future (`Milestone 2 adds`, `will update`).
        let milestones = "Milestone 1 will update `src/structure.cljs` so it returns markers.\n\n\
                          Milestone 2 adds `docs/markers.md` and modifies `src/registry.cljs`.\n\n\
                          Milestone 3 introduces `src/schema.cljs`.\n";
        assert_eq!(files_changed_in_steps(milestones), ["src/structure.cljs", "docs/markers.md"]);
        // Steps are read as before.
        let steps =
            "- [x] 2.1 Delete `a.rs`\n- Create `src/Editor.tsx` with a skeleton\n- Add `@scope/kit`\n";
        assert_eq!(files_changed_in_steps(steps), ["a.rs", "src/Editor.tsx"]);
    }
}
