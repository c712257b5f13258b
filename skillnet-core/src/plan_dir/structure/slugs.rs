//! The slug of a phase: its file's name without its number, or its folder's where files share
//! a name.

use std::collections::{BTreeMap, BTreeSet};

use crate::plan_dir::readme::Row;

/// The slugs of phase files that share their name with another row's in another folder
/// (`specs/split/spec.md`, `specs/eval/spec.md`), by target: their folder's (`split`), and their
/// own after it when the folder holds several phase files (`track-a/01-api.md` is
/// `track-a-api` beside `track-b/01-api.md`).
pub(super) fn folder_slugs(rows: &[Row]) -> BTreeMap<&str, String> {
    fn split(row: &Row) -> (&str, &str) {
        let target = row.target.trim_end_matches('/');
        target.rsplit_once('/').unwrap_or(("", target))
    }
    let mut names: Vec<&str> = rows.iter().map(|row| split(row).1).collect();
    names.sort_unstable();
    if names.windows(2).all(|pair| pair[0] != pair[1]) {
        return BTreeMap::new();
    }
    let mut folders_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut names_in: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for row in rows {
        let (folder, name) = split(row);
        folders_of.entry(name).or_default().insert(folder);
        names_in.entry(folder).or_default().insert(name);
    }
    let mut slugs = BTreeMap::new();
    for row in rows {
        let (folder, name) = split(row);
        if folder.is_empty() || folders_of[name].len() < 2 {
            continue;
        }
        let own = slug_of(folder, &row.key);
        let slug =
            if names_in[folder].len() > 1 { format!("{own}-{}", slug_of(name, &row.key)) } else { own };
        slugs.insert(row.target.as_str(), slug);
    }
    slugs
}

/// The stem of a path's last component without its leading digits, `-`, `_` and spaces, its
/// other spaces as `-`; when the row's numbering text mixes digits and letters (a sub-phase
/// `4b`, a lettered `d1`), without that text (`04b-ingestion.md` is `ingestion`,
/// `d1_storage.md` is `storage`).
pub(super) fn slug_of(name: &str, key: &str) -> String {
    let stem = name.rsplit('/').next().unwrap_or_default();
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| if s.is_empty() { stem } else { s });
    let sub_phase = key.contains(|c: char| c.is_ascii_digit()) && !key.chars().all(|c| c.is_ascii_digit());
    let unpadded = stem.trim_start_matches('0');
    let stem = match unpadded.get(..key.len()) {
        Some(head) if sub_phase && head.eq_ignore_ascii_case(key) => &unpadded[key.len()..],
        _ => stem,
    };
    let slug = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_' || c == ' ');
    // A name with spaces (`01 set up.md`) reads as its dashed twin (`01-set-up.md`).
    match slug.contains(char::is_whitespace) {
        true => slug.split_whitespace().collect::<Vec<_>>().join("-"),
        false => slug.to_owned(),
    }
}
