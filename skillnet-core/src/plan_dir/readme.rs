//! The plan's README: its name and its phase table, row by row.

use std::collections::BTreeMap;

use super::markdown::{plain_text, Outline, Piece};
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

struct Columns {
    phase: usize,
    file: usize,
    depends: usize,
    touches: Option<usize>,
}

fn columns(header: &[Vec<Piece>]) -> Option<Columns> {
    let names: Vec<String> = header.iter().map(|cell| normalise(&plain_text(cell))).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    Some(Columns {
        phase: find(&["phase"])?,
        file: find(&["file"])?,
        depends: find(&["dependson", "depends"])?,
        touches: find(&["touches", "files", "fileslikelytouched", "filelikelytouched", "filestouched"]),
    })
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
    let Some((table, cols)) = outline.tables.iter().find_map(|t| Some((t, columns(&t.header)?))) else {
        return Err(PlanDirError::malformed(
            origin,
            None,
            "unrecognized README format: expected a phase table with Phase, File and Depends on columns",
        ));
    };
    let empty = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for (offset, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).unwrap_or(&empty);
        let line = outline.line_of(*offset);
        let target = file_target(cell(cols.file));
        if target.is_empty() {
            continue;
        }
        let label = plain_text(cell(cols.phase)).trim().to_owned();
        let file_name = target.rsplit('/').next().unwrap_or_default();
        let Some(ordinal) = first_integer(&label).or_else(|| first_integer(file_name)) else {
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
        let depends = plain_text(cell(cols.depends));
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

/// The phases a Depends on cell names: references separated by commas, spaces or `and`;
/// ranges (`01–03`, `1-3`) expanded; text in parentheses ignored; `-`, `—`, `n/a`, `none` mean
/// none. A reference is a number (`02`, `Phase 2`, `#2`, `02.1` is 2) or the label of a row
/// (`A` when the Phase cell says `A`). Sorted, without repeats.
pub fn depends_on(text: &str, labels: &BTreeMap<String, i64>) -> Vec<i64> {
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
            Some((reference(low, labels)?, reference(high, labels)?))
        });
        match range {
            Some((low, high)) if low <= high && high - low < 1000 => refs.extend(low..=high),
            _ => refs.extend(reference(token, labels)),
        }
    }
    refs.sort_unstable();
    refs.dedup();
    refs
}

/// One phase reference: a number after an optional `phase`, `p` or `#`, or a row's label.
fn reference(token: &str, labels: &BTreeMap<String, i64>) -> Option<i64> {
    if let Some(&ordinal) = labels.get(&token.to_lowercase()) {
        return Some(ordinal);
    }
    let lower = token.to_ascii_lowercase();
    let rest = ["phase", "p", "#"].iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    first_integer(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(text: &str) -> Vec<i64> {
        depends_on(text, &BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]))
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
}
