//! From files to a [`PlanShape`]: reading the README and each phase file (or sub-layered phase
//! folder), then the dependency graph's waves and depth, the working trees and the flavor.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::depends;
use super::heading_name::name_anchor;
use super::markdown::{heading_anchor, links_as_their_text, Outline};
use super::phase_file::{self, Family, PhaseFile};
use super::readme::{self, Row};
use super::{Entry, PhaseShape, PlanDirError, PlanDirErrorKind, PlanFiles, PlanShape};

/// The plan's README, relative to the plan directory.
pub(super) const README: &str = "README.md";

/// A file's text: UTF-8 checked, byte-order mark dropped, line endings made LF.
fn text_of(files: &dyn PlanFiles, path: &str, bytes: Vec<u8>) -> Result<String, PlanDirError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        PlanDirError::malformed(
            &files.display(path),
            None,
            format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() })
}

/// Reads the file at `path`: `Ok(None)` when it is a folder.
fn read_file(files: &dyn PlanFiles, path: &str) -> Result<Option<String>, ReadFailure> {
    match files.read(path) {
        Ok(Entry::File(bytes)) => Ok(Some(text_of(files, path, bytes).map_err(ReadFailure::Invalid)?)),
        Ok(Entry::Dir(_)) => Ok(None),
        Ok(Entry::Missing) => Err(ReadFailure::Missing),
        Err(reason) => Err(ReadFailure::Unreadable(reason)),
    }
}

enum ReadFailure {
    Missing,
    Unreadable(String),
    Invalid(PlanDirError),
}

pub fn parse(files: &dyn PlanFiles) -> Result<PlanShape, PlanDirError> {
    let readme_path = readme_path(files);
    let readme_name = files.display(&readme_path);
    let readme_text = match read_file(files, &readme_path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(PlanDirError::malformed(&readme_name, None, "is a folder, not the plan's README"))
        }
        Err(ReadFailure::Missing) => {
            return Err(PlanDirError {
                kind: PlanDirErrorKind::NotFound,
                file: readme_name,
                line: None,
                message: "no plan README here".into(),
            })
        }
        Err(ReadFailure::Unreadable(reason)) => {
            return Err(PlanDirError::malformed(&readme_name, None, reason))
        }
        Err(ReadFailure::Invalid(e)) => return Err(e),
    };
    let readme = readme::parse(&readme_text, &readme_name, || numbered_entries(files))?;
    let refs = depends::PhaseRefs::of(&readme.rows, readme.renumbered);
    let drawn = refs.drawn(&readme.flowcharts);
    let folder_slugs = folder_slugs(&readme.rows);
    let mut sectioned = SectionedFiles::default();
    if readme.rows.iter().any(|row| row.target == README) {
        sectioned.hold(README, readme_text.clone());
    }
    let mut linked = BTreeMap::<&str, usize>::new();
    for row in &readme.rows {
        *linked.entry(row.target.as_str()).or_default() += 1;
    }
    let mut phases = Vec::with_capacity(readme.rows.len());
    for row in &readme.rows {
        // Without a Depends on column, a row that says nothing leaves it to its phase file.
        let from_file = !readme.depends_column && row.depends.trim().is_empty();
        // A file several rows link, each at an anchor, holds their phases one section each; so
        // does the README, whose whole text is never one phase's.
        let shared = linked[row.target.as_str()] > 1 || row.target == README;
        let section = (shared && !row.anchor.is_empty()).then_some(row.anchor.as_str());
        let in_section = section.and_then(|anchor| {
            let text = sectioned.section(files, &row.target, anchor)?;
            Some((phase_reader(from_file)(text), slug_of(anchor, &row.key)))
        });
        let (file, slug) = match in_section {
            Some(read) => read,
            // A row that names no phase file is the whole of its phase.
            None if row.target.is_empty() => (phase_file::parse(""), String::new()),
            None => {
                let (file, slug) = read_phase(files, row, &readme_name, from_file)?;
                (file, folder_slugs.get(row.target.as_str()).cloned().unwrap_or(slug))
            }
        };
        let depends = file.depends.as_deref().unwrap_or(&row.depends);
        let mut phase_files = if file.files.is_empty() { row.touches.clone() } else { file.files };
        phase_files.sort();
        phase_files.dedup();
        // A phase file without a callout takes the tier the README's Model column gives it.
        let (routing_tier, family) = match (file.family, phase_file::model_cell(&row.model)) {
            (None, Some((tier, family))) => (tier.to_owned(), family),
            (family, _) => (file.routing_tier, family),
        };
        phases.push(PhaseShape {
            ordinal: row.ordinal,
            slug: if slug.is_empty() { format!("phase-{}", row.ordinal) } else { slug },
            routing_tier,
            files: phase_files,
            working_trees: file.working_trees.into_iter().filter(|tree| !is_repo_root(files, tree)).collect(),
            // A phase of which nothing says what it depends on takes what a flowchart draws.
            depends_on: match depends.trim().is_empty() {
                true => drawn.get(&row.ordinal).cloned().unwrap_or_default(),
                false => refs.depends_on(depends, row.ordinal),
            },
            family,
        });
    }
    phases.sort_by_key(|p| p.ordinal);
    let lines: BTreeMap<i64, Option<usize>> = readme.rows.iter().map(|r| (r.ordinal, r.line)).collect();
    assemble(readme.name, flavor(&phases, &readme_text), phases).map_err(|(ordinal, message)| {
        PlanDirError::malformed(&readme_name, ordinal.and_then(|o| lines.get(&o).copied().flatten()), message)
    })
}

/// Where the plan's README is in the plan directory: `README.md`, else the name it holds that
/// is `README.md` in another case (`readme.md`, `Readme.md`).
fn readme_path(files: &dyn PlanFiles) -> String {
    if files.exists(README) {
        return README.to_owned();
    }
    let Ok(Entry::Dir(names)) = files.read("") else { return README.to_owned() };
    names.into_iter().find(|name| name.eq_ignore_ascii_case(README)).unwrap_or_else(|| README.to_owned())
}

/// The numbered phase files and folders of the plan directory ([`readme::entry_number`]),
/// folders with their `/`: a folder counts when it holds a phase file ([`folder_phase_file`]).
fn numbered_entries(files: &dyn PlanFiles) -> Vec<String> {
    let Ok(Entry::Dir(names)) = files.read("") else { return Vec::new() };
    let entry = |name: String| match is_markdown(&name) {
        true => readme::entry_number(&name).map(|_| name),
        false => {
            let folder = format!("{name}/");
            let holds_phase_file = || match files.read(&name) {
                Ok(Entry::Dir(inside)) => folder_phase_file(&inside).is_some(),
                _ => false,
            };
            (readme::entry_number(&folder).is_some() && holds_phase_file()).then_some(folder)
        }
    };
    names.into_iter().filter_map(entry).collect()
}

/// Whether a working tree's path is the plan's own repository: its root, or, for an absolute
/// or home path that does not exist here, a path ending in the root's folder name (the
/// repository as checked out on the machine the plan was written on: `/data/me/Projects/simit`
/// for a clone in `~/src/simit`), so that a plan reads the same on every machine.
fn is_repo_root(files: &dyn PlanFiles, tree: &str) -> bool {
    let Some(root) = files.repo_root() else { return false };
    let root = root.trim_end_matches('/');
    if tree == root {
        return true;
    }
    match files.canonicalize(tree) {
        Some(canonical) => canonical.trim_end_matches('/') == root,
        None => {
            fn folder(path: &str) -> &str {
                path.trim_end_matches('/').rsplit('/').next().unwrap_or_default()
            }
            (tree.starts_with('/') || tree.starts_with("~/"))
                && !folder(root).is_empty()
                && folder(tree) == folder(root)
        }
    }
}

/// The slugs of phase files that share their name with another row's in another folder
/// (`specs/split/spec.md`, `specs/eval/spec.md`), by target: their folder's (`split`), and their
/// own after it when the folder holds several phase files (`track-a/01-api.md` is
/// `track-a-api` beside `track-b/01-api.md`).
fn folder_slugs(rows: &[Row]) -> BTreeMap<&str, String> {
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
fn slug_of(name: &str, key: &str) -> String {
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

/// The path a row names as the plan directory holds it: the path itself, or when nothing is
/// there, its longest tail that is, so that a link written from the repository's root
/// (`docs/plan/01-a.md`, `/docs/plan/01-a.md`) finds `01-a.md` in the plan directory `docs/plan`;
/// failing both, the path or tail that is there in another case ([`in_another_case`]).
fn held_path<'a>(files: &dyn PlanFiles, target: &'a str) -> Cow<'a, str> {
    if files.exists(target) {
        return Cow::Borrowed(target);
    }
    let tails =
        || target.match_indices('/').map(|(slash, _)| &target[slash + 1..]).filter(|tail| !tail.is_empty());
    if let Some(tail) = tails().find(|tail| files.exists(tail)) {
        return Cow::Borrowed(tail);
    }
    let found = std::iter::once(target).chain(tails()).find_map(|path| in_another_case(files, path));
    found.map_or(Cow::Borrowed(target), Cow::Owned)
}

/// The path the plan directory holds under `path` written in another case (`01-core.md` for
/// `01-Core.md`), as a plan written on a file system that ignores case may link it: each part
/// matched, ignoring ASCII case, among the names its folder holds.
fn in_another_case(files: &dyn PlanFiles, path: &str) -> Option<String> {
    let mut held = String::new();
    for part in path.split('/').filter(|part| !part.is_empty() && *part != ".") {
        let Ok(Entry::Dir(names)) = files.read(&held) else { return None };
        let name = names.into_iter().find(|name| name.eq_ignore_ascii_case(part))?;
        if !held.is_empty() {
            held.push('/');
        }
        held.push_str(&name);
    }
    (!held.is_empty()).then_some(held)
}

/// The phase file or folder of a row that names only a slug (a Slug column the README links
/// nowhere): `NN-slug.md`, `N-slug.md` or `slug.md`, or a folder `NN-slug` or `slug`.
fn named_by_slug(files: &dyn PlanFiles, row: &Row) -> Option<String> {
    let slug = row.target.as_str();
    if slug.is_empty() || slug.contains(['/', '.']) || files.exists(slug) {
        return None;
    }
    let stems = [format!("{:02}-{slug}", row.ordinal), format!("{}-{slug}", row.ordinal), slug.to_owned()];
    let candidates = stems.iter().flat_map(|stem| [format!("{stem}.md"), stem.clone()]);
    candidates.into_iter().find(|c| files.exists(c))
}

/// Reads the phase file a row names, or the sub-layered phase folder: its phase file
/// ([`folder_phase_file`]) is the phase file, its name the slug, and its other `*.md` files add
/// their files.
/// With `dependencies`, the phase file's `Depends on:` line is read too.
fn read_phase(
    files: &dyn PlanFiles,
    row: &Row,
    readme_name: &str,
    dependencies: bool,
) -> Result<(PhaseFile, String), PlanDirError> {
    let parse = phase_reader(dependencies);
    let named = named_by_slug(files, row);
    let held = held_path(files, named.as_deref().unwrap_or(row.target.trim_end_matches('/')));
    let target = held.as_ref();
    let stem = target.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
    let missing = |path: &str, why: &str| {
        PlanDirError::malformed(
            readme_name,
            row.line,
            format!("phase {} names {why} `{}`", row.ordinal, files.display(path)),
        )
    };
    // A link to a folder's README.md or index.md names the folder; anything else is read once
    // and is either the phase file or the folder itself.
    let folder = match target.rsplit_once('/') {
        Some((dir, _)) if stem == "readme.md" || stem == "index.md" => dir.to_owned(),
        _ => match read_file(files, target) {
            Ok(Some(text)) => return Ok((parse(&text), slug_of(target, &row.key))),
            Ok(None) => target.to_owned(),
            // Words that name nothing held (`Phase 1-4` among links to phase files) are no file.
            Err(ReadFailure::Missing) if is_words(target) => {
                return Ok((phase_file::parse(""), String::new()))
            }
            Err(ReadFailure::Missing) => return Err(missing(target, "a phase file that does not exist:")),
            Err(ReadFailure::Unreadable(reason)) => {
                return Err(missing(target, &format!("an unreadable phase file ({reason}):")))
            }
            Err(ReadFailure::Invalid(e)) => return Err(e),
        },
    };
    let names = match files.read(&folder) {
        Ok(Entry::Dir(names)) => names,
        _ => return Err(missing(&folder, "a phase folder that does not exist:")),
    };
    let main = folder_phase_file(&names).ok_or_else(|| {
        missing(&folder, "a phase folder without README.md, index.md, plan.md or one Markdown file:")
    })?;
    let main_path = format!("{folder}/{main}");
    let text = match read_file(files, &main_path) {
        Ok(Some(text)) => text,
        Err(ReadFailure::Invalid(e)) => return Err(e),
        _ => return Err(missing(&main_path, "an unreadable phase file:")),
    };
    let mut file = parse(&text);
    let mut sub_files = Vec::new();
    let mut subs: Vec<&String> = names.iter().filter(|n| is_markdown(n) && n.as_str() != main).collect();
    subs.sort();
    for sub in subs {
        let path = format!("{folder}/{sub}");
        match read_file(files, &path) {
            Ok(Some(text)) => sub_files.extend(phase_file::files(&Outline::parse(&text))),
            Ok(None) => {}
            Err(ReadFailure::Invalid(e)) => return Err(e),
            Err(_) => return Err(missing(&path, "an unreadable sub-phase file:")),
        }
    }
    file.files.extend(sub_files);
    Ok((file, slug_of(&folder, &row.key)))
}

/// Whether a row's target is words rather than a file's or folder's name: it holds white
/// space, and neither ends as a Markdown file nor as a folder (`Phase 1-4`; not `01 set up.md`).
fn is_words(target: &str) -> bool {
    target.contains(char::is_whitespace) && !is_markdown(target) && !target.ends_with('/')
}

/// The phase file of a phase folder, among the names it holds: its `README.md` or `index.md`,
/// else its `plan.md` (`phase.md`, `spec.md`; any case), else its one Markdown file.
fn folder_phase_file(names: &[String]) -> Option<&str> {
    let named = |wanted: &str| names.iter().find(|name| name.eq_ignore_ascii_case(wanted));
    let main = ["README.md", "index.md", "plan.md", "phase.md", "spec.md"].into_iter().find_map(named);
    let only = || {
        let mut markdown = names.iter().filter(|name| is_markdown(name));
        markdown.next().filter(|_| markdown.next().is_none())
    };
    main.or_else(only).map(String::as_str)
}

/// Whether a file name is a Markdown file's (`.md`, any case).
fn is_markdown(name: &str) -> bool {
    name.len() > 3
        && name.get(name.len() - 3..).is_some_and(|extension| extension.eq_ignore_ascii_case(".md"))
}

/// How a phase file is read: with its `Depends on:` line (`dependencies`), or without.
fn phase_reader(dependencies: bool) -> fn(&str) -> PhaseFile {
    if dependencies {
        phase_file::parse_with_dependencies
    } else {
        phase_file::parse
    }
}

/// The files that hold several phases, one section each: each read and outlined once (`None`
/// for a path that is not a readable text file).
#[derive(Default)]
struct SectionedFiles(BTreeMap<String, Option<SectionedFile>>);

/// A file's text, and where the section under each of its headings lies, by the heading's
/// anchor.
struct SectionedFile {
    text: String,
    sections: BTreeMap<String, Range<usize>>,
}

impl SectionedFiles {
    /// Holds `text` as the file at `path`, already read (the README, whose own sections may
    /// be phases).
    fn hold(&mut self, path: &str, text: String) {
        let sections = sections_by_anchor(&text);
        self.0.insert(path.to_owned(), Some(SectionedFile { text, sections }));
    }

    /// The section of file `path` under the heading `anchor` names (GitHub's anchor of its
    /// title): from the heading to the next heading of its level or above. The whole file when
    /// no heading has that anchor; `None` when `path` is not a readable text file.
    fn section(&mut self, files: &dyn PlanFiles, path: &str, anchor: &str) -> Option<&str> {
        let read = self.0.entry(path.to_owned()).or_insert_with(|| {
            let text = read_file(files, path).ok()??;
            let sections = sections_by_anchor(&text);
            Some(SectionedFile { text, sections })
        });
        let SectionedFile { text, sections } = read.as_ref()?;
        Some(sections.get(anchor).map_or(text.as_str(), |range| &text[range.clone()]))
    }
}

/// Where the section under each heading of `text` lies, by the heading's anchor and by the
/// anchor of what it names without the status it reports ([`name_anchor`]), so that a link
/// written before the status was finds it (the first heading with an anchor has it; GitHub's
/// anchors first).
fn sections_by_anchor(text: &str) -> BTreeMap<String, Range<usize>> {
    let headings = Outline::parse(text).headings;
    let mut sections = BTreeMap::new();
    let mut names = Vec::with_capacity(headings.len());
    for (at, heading) in headings.iter().enumerate() {
        let next = headings[at + 1..].iter().find(|next| next.level <= heading.level);
        let range = heading.start..next.map_or(text.len(), |next| next.start);
        let title = links_as_their_text(&heading.title);
        names.push((name_anchor(&title), range.clone()));
        sections.entry(heading_anchor(&title)).or_insert(range);
    }
    for (anchor, range) in names {
        sections.entry(anchor).or_insert(range);
    }
    sections
}

/// The flavor from the phases' callouts (all Codex `codex`, all Claude `claude`, both `mixed`);
/// without any callout, 0.6's rule on the README text.
fn flavor(phases: &[PhaseShape], readme: &str) -> String {
    let families: BTreeSet<Family> = phases.iter().filter_map(|p| p.family).collect();
    let flavor = match (families.contains(&Family::Codex), families.contains(&Family::Claude)) {
        (true, true) => "mixed",
        (true, false) => "codex",
        (false, true) => "claude",
        (false, false) => {
            let lower = readme.to_lowercase();
            if lower.contains("claude") {
                "claude"
            } else if lower.contains("mixed") {
                "mixed"
            } else {
                "codex"
            }
        }
    };
    flavor.to_owned()
}

/// Builds the shape from phases in ordinal order: waves by Kahn layering over the dependencies
/// that name existing phases, the longest chain, the distinct working trees and the tier counts.
/// A self-dependency or a cycle is an error naming the phases (with the first phase's ordinal).
fn assemble(
    name: String,
    flavor: String,
    phases: Vec<PhaseShape>,
) -> Result<PlanShape, (Option<i64>, String)> {
    let ordinals: BTreeSet<i64> = phases.iter().map(|p| p.ordinal).collect();
    if let Some(p) = phases.iter().find(|p| p.depends_on.contains(&p.ordinal)) {
        return Err((Some(p.ordinal), format!("phase {} depends on itself", p.ordinal)));
    }
    let deps: BTreeMap<i64, Vec<i64>> = phases
        .iter()
        .map(|p| (p.ordinal, p.depends_on.iter().copied().filter(|d| ordinals.contains(d)).collect()))
        .collect();
    let waves = depends::waves(&deps).map_err(|stuck| {
        let listed: Vec<String> = stuck.iter().map(i64::to_string).collect();
        (stuck.first().copied(), format!("dependency cycle among phases {}", listed.join(", ")))
    })?;
    let mut depth: BTreeMap<i64, i64> = BTreeMap::new();
    for wave in &waves {
        for o in wave {
            let d = 1 + deps[o].iter().map(|p| depth[p]).max().unwrap_or(0);
            depth.insert(*o, d);
        }
    }
    let trees: BTreeSet<&str> = phases.iter().flat_map(|p| &p.working_trees).map(String::as_str).collect();
    let mut routing_dist = BTreeMap::new();
    for p in &phases {
        *routing_dist.entry(p.routing_tier.clone()).or_insert(0) += 1;
    }
    Ok(PlanShape {
        name,
        flavor,
        phase_count: count(phases.len()),
        wave_count: count(waves.len()),
        max_chain_depth: depth.values().copied().max().unwrap_or(0),
        repo_spread: count(trees.len()) + 1,
        routing_dist,
        waves,
        phases,
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            phases,
            [("core", &["src/core.rs".to_owned()][..]), ("cli", &["src/cli.rs".to_owned()][..])]
        );
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
        let plan =
            super::super::MemoryPlan::new([("README.md", readme), ("01-a.md", "# A\n"), ("04-d.md", "")]);
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
            let plan =
                super::super::MemoryPlan::new([("README.md", readme.as_str()), ("m8_kit.md", "# A\n")]);
            let phase = &parse(&plan).unwrap().phases[0];
            assert_eq!(
                (phase.routing_tier.as_str(), phase.family),
                ("low", Some(Family::Claude)),
                "{header}"
            );
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
        let same = "| Phase | File | Depends on |\n|---|---|---|\n| 3 | [a](03-a.md) | — |\n| 3 | [b](03-b.md) | — |\n";
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
            assert!(
                parse(&super::super::MemoryPlan::new([("README.md", twice.as_str())])).is_err(),
                "{a} {b}"
            );
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
        assert_eq!(
            phases,
            [(1, &[][..]), (2, &[][..]), (3, &[2][..]), (4, &[1, 3][..]), (5, &[1, 2, 3, 4][..])]
        );
    }

    #[test]
    fn phase_files_that_share_a_name_take_their_folders_name_as_the_slug() {
        let readme =
            "| Phase | Spec | Depends on |\n|---|---|---|\n| 1 | [a](specs/01-split/spec.md) | — |\n\
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
        let readme =
            "| Phase | File | Depends on |\n|---|---|---|\n| 1 | 01-a.md | — |\n| 2 | 02-b.md | 1 |\n\
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
            format!("# P\n\n> **Recommended Codex model: GPT 5.5 {tier}**\n\n## Files likely touched\n\n- `{file}`\n")
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
        let read: Vec<(&str, &str, &[String])> = shape
            .phases
            .iter()
            .map(|p| (p.slug.as_str(), p.routing_tier.as_str(), p.files.as_slice()))
            .collect();
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
        let beside =
            [("README.md", table), ("01-one/plan.md", plan.as_str()), ("02-two/only.md", only.as_str())];
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
            let shape =
                parse(&super::super::MemoryPlan::new([(name, readme), ("01-a.md", "# a\n")])).unwrap();
            assert_eq!((shape.name.as_str(), shape.phase_count), ("Lower", 1), "{name}");
        }
        let missing = parse(&super::super::MemoryPlan::new([("01-a.md", "# a\n")])).unwrap_err();
        assert_eq!(missing.kind, PlanDirErrorKind::NotFound);
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
}
