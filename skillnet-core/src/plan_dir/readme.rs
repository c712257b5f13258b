//! The plan's README: its name and its phase table, row by row.

use std::collections::BTreeMap;

use super::markdown::{plain_text, Outline, Piece, Table};
use super::paths::{link_target, paths_of, strip_dot_slash, touches_items};
use super::PlanDirError;

/// The name a plan gets when its README has no H1.
pub const DEFAULT_NAME: &str = "multi-phase plan";

/// One row of the phase table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line of the row in the README.
    pub line: usize,
    pub ordinal: i64,
    /// The Phase cell as written (for lettered references such as `A`).
    pub label: String,
    /// The phase file or folder, relative to the plan directory.
    pub target: String,
    /// The Depends on cell's text, link targets left out.
    pub depends: String,
    /// Paths from the Touches cell.
    pub touches: Vec<String>,
}

/// The README as the parser needs it.
#[derive(Debug, Clone)]
pub struct Readme {
    pub name: String,
    pub rows: Vec<Row>,
}

/// A header's normal form: ASCII letters and digits, lower case.
fn normalise(header: &str) -> String {
    header.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Where the phase table's columns are.
struct Columns {
    /// The Phase column, or the `#` column of a table without one.
    phase: usize,
    /// A `#` column beside the Phase column: the ordinal when the Phase cell holds no number.
    number: Option<usize>,
    file: FileColumn,
    /// Without a Depends on column, a row's dependencies are what its cells say after
    /// "depends on".
    depends: Option<usize>,
    touches: Option<usize>,
}

/// The column that names each row's phase file.
#[derive(Clone, Copy)]
enum FileColumn {
    /// File cells (or a column of links): the link target, else the code span, else the text.
    Targets(usize),
    /// Slug cells without links: the phase file is the README's link whose name is the slug.
    Slugs(usize),
}

/// The columns every phase table has, as messages name them.
const REQUIRED: [&str; 3] = ["Phase", "File", "Depends on"];

/// The columns of this table as a phase table (the Depends on column may be missing), or the
/// required columns it lacks.
fn columns(table: &Table) -> Result<Columns, Vec<&'static str>> {
    let written: Vec<String> = table.header.iter().map(|cell| plain_text(cell).trim().to_owned()).collect();
    let names: Vec<String> = written.iter().map(|h| normalise(h)).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let number = written.iter().position(|h| h == "#");
    let phase = find(&["phase"]).or(number);
    let depends = find(&[
        "dependson",
        "depends",
        "dependsupon",
        "dependencies",
        "deps",
        "prerequisites",
        "prereqs",
        "blockedby",
    ]);
    // Without a File column, the column that links the phase files (a Slug, Plan or Name
    // column) stands in for it, and failing that a Slug column.
    let file = find(&["file", "phasefile"])
        .or_else(|| link_column(table, depends))
        .map(FileColumn::Targets)
        .or_else(|| find(&["slug"]).map(FileColumn::Slugs));
    let (Some(phase), Some(file)) = (phase, file) else {
        return Err(missing_columns(phase.is_some(), file.is_some(), depends.is_some()));
    };
    Ok(Columns {
        phase,
        number: number.filter(|&n| n != phase),
        file,
        depends,
        touches: find(&["touches", "files", "fileslikelytouched", "filelikelytouched", "filestouched"]),
    })
}

/// The names of the required columns not found.
fn missing_columns(phase: bool, file: bool, depends: bool) -> Vec<&'static str> {
    REQUIRED.iter().zip([phase, file, depends]).filter(|(_, found)| !found).map(|(name, _)| *name).collect()
}

/// The first column but `skip` in which most rows name a phase file: a link to a Markdown
/// file or a folder inside the repository, or a code span naming a Markdown file.
fn link_column(table: &Table, skip: Option<usize>) -> Option<usize> {
    let links_a_phase_file = |cell: &[Piece]| {
        cell.iter().any(|p| match p {
            Piece::Link(target) => is_phase_file_target(&link_target(target)),
            Piece::Code(code) => code.trim().to_ascii_lowercase().ends_with(".md"),
            _ => false,
        })
    };
    (0..table.header.len())
        .filter(|&i| Some(i) != skip)
        .find(|&i| most_rows(table, |cells| cells.get(i).is_some_and(|c| links_a_phase_file(c))))
}

/// Whether a target can be a phase file: a Markdown file or a folder, inside the repository.
fn is_phase_file_target(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !lower.contains("://") && (lower.ends_with(".md") || lower.ends_with('/'))
}

/// Whether more than half of a table's rows (and at least one) pass `test`.
fn most_rows(table: &Table, test: impl Fn(&[Vec<Piece>]) -> bool) -> bool {
    let passed = table.rows.iter().filter(|(_, cells)| test(cells)).count();
    passed > 0 && 2 * passed > table.rows.len()
}

/// Why no table of the README is its phase table: the first table that lacks only one of the
/// required columns is named, with its columns, as the likely one.
fn no_phase_table(outline: &Outline, origin: &str) -> PlanDirError {
    let expected = "a phase table needs Phase (or #), File and Depends on columns";
    let nearest = outline.tables.iter().find_map(|t| {
        let missing = match columns(t) {
            Ok(cols) => missing_columns(true, true, cols.depends.is_some()),
            Err(missing) => missing,
        };
        (missing.len() == 1).then(|| (t, missing[0]))
    });
    let Some((table, missing)) = nearest else {
        return PlanDirError::malformed(
            origin,
            None,
            format!("unrecognized README format: no phase table; {expected}"),
        );
    };
    let header: Vec<String> = table.header.iter().map(|cell| plain_text(cell).trim().to_owned()).collect();
    PlanDirError::malformed(
        origin,
        Some(outline.line_of(table.start)),
        format!(
            "unrecognized README format: the table here has no {missing} column (its columns: {}); {expected}",
            header.join(", ")
        ),
    )
}

/// The Markdown files and folders the README links to, by slug (the name without its leading
/// number; a folder's name for its `README.md` or `index.md`), lower case.
fn linked_phase_files(outline: &Outline) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for piece in outline.blocks.iter().flat_map(|b| &b.pieces) {
        let Piece::Link(target) = piece else { continue };
        let target = link_target(target);
        if !is_phase_file_target(&target) {
            continue;
        }
        let lower = target.trim_end_matches('/').to_ascii_lowercase();
        let mut parts = lower.rsplit('/');
        let last = parts.next().unwrap_or_default();
        let name = match last {
            "readme.md" | "index.md" => parts.next().unwrap_or_default(),
            _ => last.strip_suffix(".md").unwrap_or(last),
        };
        let slug = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        links.entry(slug.to_owned()).or_insert(target);
    }
    links
}

/// A Slug cell's slug, lower case.
fn cell_slug(cell: &[Piece]) -> String {
    plain_text(cell).trim().trim_matches('`').to_lowercase()
}

/// The phase file a Slug cell names: the README's link with that slug, else the cell's text.
fn slug_target(cell: &[Piece], links: &BTreeMap<String, String>) -> String {
    links
        .get(&cell_slug(cell))
        .cloned()
        .unwrap_or_else(|| plain_text(cell).trim().trim_matches('`').to_owned())
}

/// Whether most rows of a table (one without a Depends on column) name a phase file: a
/// Markdown file or folder, or a slug the README links.
fn names_phase_files(table: &Table, cols: &Columns, links: &BTreeMap<String, String>) -> bool {
    most_rows(table, |cells| match cols.file {
        FileColumn::Targets(i) => cells.get(i).is_some_and(|c| is_phase_file_target(&file_target(c))),
        FileColumn::Slugs(i) => cells.get(i).is_some_and(|c| links.contains_key(&cell_slug(c))),
    })
}

/// What a row of a table without a Depends on column says it depends on: the text after each
/// "depends on" in its cells (`foundational; depends on 01` gives `01`).
fn stated_dependencies(cells: &[Vec<Piece>]) -> String {
    let mut stated = Vec::new();
    for cell in cells {
        let text = plain_text(cell).to_lowercase();
        for (at, phrase) in text.match_indices("depends on") {
            let rest = &text[at + phrase.len()..];
            let end = rest.find([';', '.']).unwrap_or(rest.len());
            stated.push(rest[..end].trim().to_owned());
        }
    }
    stated.join(", ")
}

/// The first integer in `text`, when it has one that fits.
pub fn first_integer(text: &str) -> Option<i64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    (digits.len() <= 9).then(|| digits.parse().ok()).flatten()
}

/// The target a File cell names: its link target, else its code span, else its text.
fn file_target(cell: &[Piece]) -> String {
    let link = cell.iter().find_map(|p| match p {
        Piece::Link(target) => Some(link_target(target)),
        _ => None,
    });
    let code = cell.iter().find_map(|p| match p {
        Piece::Code(code) => Some(strip_dot_slash(code.trim()).to_owned()),
        _ => None,
    });
    link.or(code).unwrap_or_else(|| strip_dot_slash(plain_text(cell).trim()).to_owned())
}

/// Reads the README's name and phase table.
pub fn parse(text: &str, origin: &str) -> Result<Readme, PlanDirError> {
    let outline = Outline::parse(text);
    let name = outline
        .headings
        .iter()
        .find(|h| h.level == 1 && !h.title.is_empty())
        .map_or_else(|| DEFAULT_NAME.to_owned(), |h| h.title.clone());
    let links = linked_phase_files(&outline);
    // The first table with every required column; failing that, the first whose rows name
    // phase files without a Depends on column.
    let strict =
        outline.tables.iter().find_map(|t| Some((t, columns(t).ok().filter(|c| c.depends.is_some())?)));
    let relaxed = || {
        outline.tables.iter().find_map(|t| {
            let cols = columns(t).ok()?;
            names_phase_files(t, &cols, &links).then_some((t, cols))
        })
    };
    let Some((table, cols)) = strict.or_else(relaxed) else {
        return Err(no_phase_table(&outline, origin));
    };
    let empty = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for (offset, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).unwrap_or(&empty);
        let line = outline.line_of(*offset);
        let target = match cols.file {
            FileColumn::Targets(i) => file_target(cell(i)),
            FileColumn::Slugs(i) => slug_target(cell(i), &links),
        };
        if target.is_empty() {
            continue;
        }
        let label = plain_text(cell(cols.phase)).trim().to_owned();
        let file_name = target.rsplit('/').next().unwrap_or_default();
        let number = cols.number.map(|i| plain_text(cell(i)));
        let ordinal = first_integer(&label)
            .or_else(|| number.as_deref().and_then(first_integer))
            .or_else(|| first_integer(file_name));
        let Some(ordinal) = ordinal else {
            return Err(PlanDirError::malformed(
                origin,
                Some(line),
                format!("cannot tell the phase number of the row for `{target}`: neither the Phase cell nor the file name holds one"),
            ));
        };
        if let Some(first) = seen.insert(ordinal, line) {
            return Err(PlanDirError::malformed(
                origin,
                Some(line),
                format!("duplicate phase ordinal {ordinal} (rows at lines {first} and {line})"),
            ));
        }
        let touches = cols
            .touches
            .map(|i| touches_items(cell(i)).iter().flat_map(|item| paths_of(item)).collect())
            .unwrap_or_default();
        let depends = match cols.depends {
            Some(i) => plain_text(cell(i)),
            None => stated_dependencies(cells),
        };
        rows.push(Row { line, ordinal, label, target, depends, touches });
    }
    if rows.is_empty() {
        return Err(PlanDirError::malformed(
            origin,
            None,
            "unrecognized README format: the phase table has no phase rows",
        ));
    }
    Ok(Readme { name, rows })
}

/// What the Depends on cells of a phase table can name: its rows' labels and ordinals.
#[derive(Debug, Clone)]
pub struct PhaseRefs {
    /// Each row's label (its Phase cell), lower case, with the row's ordinal.
    labels: BTreeMap<String, i64>,
    ordinals: Vec<i64>,
}

impl PhaseRefs {
    /// The references the rows of one table define.
    pub fn of(rows: &[Row]) -> Self {
        let labels = rows.iter().filter(|r| !r.label.is_empty()).map(|r| (r.label.to_lowercase(), r.ordinal));
        Self { labels: labels.collect(), ordinals: rows.iter().map(|r| r.ordinal).collect() }
    }

    /// The phases the Depends on cell of phase `ordinal` names: references separated by
    /// commas, spaces or `and`; ranges (`01–03`, `1-3`) expanded; text in parentheses ignored;
    /// `-`, `—`, `n/a`, `none` mean none, and `all` (`all previous phases`, `all of the
    /// above`, ...) every phase numbered below it. A reference is a number (`02`, `Phase 2`,
    /// `#2`, `02.1` is 2) or the label of a row (`A` when the Phase cell says `A`). Sorted,
    /// without repeats.
    pub fn depends_on(&self, text: &str, ordinal: i64) -> Vec<i64> {
        let mut without_parens = String::new();
        let mut depth = 0_u32;
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => without_parens.push(c),
                _ => {}
            }
        }
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
        for token in joined.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '+')) {
            let token = token.trim_matches(|c: char| matches!(c, '*' | '_' | '`' | '.' | ':' | '"'));
            if token.is_empty() || token.eq_ignore_ascii_case("and") {
                continue;
            }
            let range = ["–", "—", "..", "-"].iter().find_map(|dash| {
                let (low, high) = token.split_once(dash)?;
                Some((self.reference(low)?, self.reference(high)?))
            });
            match range {
                Some((low, high)) if low <= high && high - low < 1000 => refs.extend(low..=high),
                _ => refs.extend(self.reference(token)),
            }
        }
        refs.sort_unstable();
        refs.dedup();
        refs
    }

    /// One phase reference: a number after an optional `phase`, `p` or `#`, or a row's label.
    fn reference(&self, token: &str) -> Option<i64> {
        if let Some(&ordinal) = self.labels.get(&token.to_lowercase()) {
            return Some(ordinal);
        }
        let lower = token.to_ascii_lowercase();
        let rest = ["phase", "p", "#"].iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        first_integer(rest)
    }
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
        let (target, depends, touches) = (String::new(), String::new(), Vec::new());
        Row { line: 1, ordinal, label: label.to_owned(), target, depends, touches }
    }

    fn deps(text: &str) -> Vec<i64> {
        PhaseRefs::of(&[row(1, "A"), row(2, "B"), row(3, "C")]).depends_on(text, 3)
    }

    #[test]
    fn references_ranges_labels_and_prose() {
        assert_eq!(deps("01, 02"), [1, 2]);
        assert_eq!(deps("01 and 03"), [1, 3]);
        assert_eq!(deps("01–03"), [1, 2, 3]);
        assert_eq!(deps("1 - 3"), [1, 2, 3]);
        assert_eq!(deps("02 (file-level conflict on src/cli/args.rs)"), [2]);
        assert_eq!(deps("02.1"), [2]);
        assert_eq!(deps("A, B"), [1, 2]);
        assert_eq!(deps("Phase 2"), [2]);
        for none in ["", "—", "-", "n/a", "None", "none"] {
            assert!(deps(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn the_first_integer_fits_or_is_none() {
        assert_eq!(first_integer("Phase 2a"), Some(2));
        assert_eq!(first_integer("1.5"), Some(1));
        assert_eq!(first_integer("x"), None);
        assert_eq!(first_integer("99999999999999999999"), None);
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
        assert_eq!(PhaseRefs::of(&[row(0, "0"), row(4, "4"), row(6, "6")]).depends_on("all", 6), [0, 4]);
    }

    fn ordinals_and_targets(readme: &str) -> Vec<(i64, String)> {
        let parsed = parse(readme, "README.md").unwrap();
        parsed.rows.into_iter().map(|r| (r.ordinal, r.target)).collect()
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
                      | 1 | [Canvas](phase-1-canvas.md) | — | done |\n\
                      | 2 | [Visuals](phase-2-visuals.md) | [Phase 1](phase-1-canvas.md) | not started |\n\
                      | 3 | [Chat input](./phase-3-chat/) | Phases 1-2 | not started |\n";
        assert_eq!(
            ordinals_and_targets(readme),
            [(1, "phase-1-canvas.md".into()), (2, "phase-2-visuals.md".into()), (3, "phase-3-chat/".into())]
        );
        let code = "| Phase | Doc | Depends on |\n|---|---|---|\n| 1 | `01-a.md` | — |\n";
        assert_eq!(ordinals_and_targets(code), [(1, "01-a.md".into())]);
        let outside =
            "| Phase | Plan | Depends on |\n|---|---|---|\n| 1 | [spec](https://example.com/spec.md) | — |\n";
        let error = parse(outside, "README.md").unwrap_err().to_string();
        assert!(error.contains("the table here has no File column"), "{error}");
    }

    #[test]
    fn a_dependencies_column_is_the_depends_on_column() {
        for header in ["Dependencies", "Deps", "Prerequisites", "Blocked by", "Depends upon"] {
            let readme = format!(
                "| Phase | File | {header} |\n|---|---|---|\n| 01 | [a](phases/phase-01-a.md) | none |\n\
                 | 02 | [b](phases/phase-02-b.md) | Phase 01 |\n"
            );
            let parsed = parse(&readme, "README.md").unwrap();
            assert_eq!(parsed.rows[1].depends, "Phase 01", "{header}");
        }
    }

    #[test]
    fn without_a_depends_on_column_the_rows_say_what_they_depend_on() {
        let readme = "# Fleet\n\n| # | Slug | Layout | Model | Blocking? |\n|---|---|---|---|---|\n\
                      | 01 | persist-ci-options | flat | 5.4 / medium | foundational; blocks 02, 04 sub-01 |\n\
                      | 02 | unify-drift | flat | 5.5 / high | depends on 01 |\n\
                      | 03 | ux-polish | dir | mixed | sub-01 depends on 01; sub-02 is free. |\n\n\
                      [Phase 01](./01-persist-ci-options.md)\n[Phase 02](./02-unify-drift.md)\n\
                      [Phase 03](./03-ux-polish/README.md)\n";
        let parsed = parse(readme, "README.md").unwrap();
        let rows: Vec<(i64, &str, &str)> =
            parsed.rows.iter().map(|r| (r.ordinal, r.target.as_str(), r.depends.as_str())).collect();
        assert_eq!(
            rows,
            [
                (1, "01-persist-ci-options.md", ""),
                (2, "02-unify-drift.md", "01"),
                (3, "03-ux-polish/README.md", "01")
            ]
        );
    }

    #[test]
    fn a_table_with_every_column_wins_over_one_without_depends_on() {
        let readme = "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n\n\
                      | # | Notes |\n|---|---|\n| 1 | [a](01-a.md) |\n\n\
                      | Phase | File | Depends on |\n|---|---|---|\n| 1 | [b](01-b.md) | — |\n";
        assert_eq!(ordinals_and_targets(readme), [(1, "01-b.md".into())]);
        let without = "| # | File | Purpose |\n|---|---|---|\n| 1 | `src/main.rs` | entry |\n";
        let error = parse(without, "README.md").unwrap_err().to_string();
        assert!(error.contains("the table here has no Depends on column"), "{error}");
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
            error.ends_with("no phase table; a phase table needs Phase (or #), File and Depends on columns"),
            "{error}"
        );
    }
}
