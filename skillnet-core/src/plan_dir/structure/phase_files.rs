//! Reading the files a README row names: a phase file, a sub-layered phase folder, or a section
//! of a file that holds several phases, found also where a row names it by a slug, from the
//! repository's root or in another case.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use super::slugs::slug_of;
use crate::plan_dir::heading_name::name_anchor;
use crate::plan_dir::markdown::{heading_anchor, links_as_their_text, Outline};
use crate::plan_dir::phase_file::{self, PhaseFile};
use crate::plan_dir::readme::{reference_key, Row};
use crate::plan_dir::{Entry, PlanDirError, PlanFiles};

/// A file's text: UTF-8, or UTF-16 after its byte-order mark (as Windows PowerShell's
/// `Out-File` writes it), checked; a byte-order mark dropped, line endings made LF.
fn text_of(files: &dyn PlanFiles, path: &str, bytes: Vec<u8>) -> Result<String, PlanDirError> {
    let decoded = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => utf16(&bytes[2..], u16::from_le_bytes),
        Some([0xFE, 0xFF]) => utf16(&bytes[2..], u16::from_be_bytes),
        _ => String::from_utf8(bytes)
            .map_err(|e| format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to())),
    };
    let text = decoded.map_err(|message| PlanDirError::malformed(&files.display(path), None, message))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() })
}

/// The text of UTF-16 `bytes` after their byte-order mark, each unit read by `unit`; the offset
/// of the first byte that is not UTF-16 (half a unit, half a surrogate pair) when there is one.
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let invalid = |at: usize| format!("not UTF-16 text (invalid byte at offset {})", at + 2);
    if bytes.len() % 2 == 1 {
        return Err(invalid(bytes.len() - 1));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len());
    for c in char::decode_utf16(units) {
        text.push(c.map_err(|_| invalid(2 * text.encode_utf16().count()))?);
    }
    Ok(text)
}

/// Reads the file at `path`: `Ok(None)` when it is a folder.
pub(super) fn read_file(files: &dyn PlanFiles, path: &str) -> Result<Option<String>, ReadFailure> {
    match files.read(path) {
        Ok(Entry::File(bytes)) => Ok(Some(text_of(files, path, bytes).map_err(ReadFailure::Invalid)?)),
        Ok(Entry::Dir(_)) => Ok(None),
        Ok(Entry::Missing) => Err(ReadFailure::Missing),
        Err(reason) => Err(ReadFailure::Unreadable(reason)),
    }
}

/// Why a file could not be read.
pub(super) enum ReadFailure {
    Missing,
    Unreadable(String),
    Invalid(PlanDirError),
}

/// How a phase file is read: with its `Depends on:` line (`dependencies`), or without; in a
/// plan whose phases are numbered by the words of `unit` (`task group`), with them.
pub(super) fn phase_reader(dependencies: bool, unit: Option<&str>) -> impl Fn(&str) -> PhaseFile + '_ {
    move |text| match (dependencies, unit) {
        (false, _) => phase_file::parse(text),
        (true, None) => phase_file::parse_with_dependencies(text),
        (true, Some(unit)) => phase_file::parse_with_dependencies_numbered_by(text, unit),
    }
}

/// The folder of a planning directory that holds each phase's folder of plans, beside its
/// `ROADMAP.md`.
const PHASES: &str = "phases";

/// The files the plans of phase `key` say they change, for a phase the README's headings name:
/// the plans (`01-01-PLAN.md`, `PLAN.md`) in its numbered folder under `phases/`
/// (`phases/01-foundation/` for phase 1, `phases/02.1-hotfix/` for 2.1), each read as a phase
/// file is (`files_modified:` in its front matter). Empty when there is no such folder; a plan
/// that cannot be read adds nothing.
pub(super) fn planned_files(files: &dyn PlanFiles, key: &str) -> Vec<String> {
    let Ok(Entry::Dir(folders)) = files.read(PHASES) else { return Vec::new() };
    let numbered =
        |name: &&String| name.starts_with(|c: char| c.is_ascii_digit()) && reference_key(name) == key;
    let Some(folder) = folders.iter().find(numbered) else { return Vec::new() };
    let folder = format!("{PHASES}/{folder}");
    let Ok(Entry::Dir(names)) = files.read(&folder) else { return Vec::new() };
    let is_plan = |name: &&String| {
        let lower = name.to_ascii_lowercase();
        lower == "plan.md" || lower.ends_with("-plan.md")
    };
    let texts =
        names.iter().filter(is_plan).filter_map(|name| read_file(files, &format!("{folder}/{name}")).ok()?);
    texts.flat_map(|text| phase_file::parse(&text).files).collect()
}

/// Reads the phase file a row names, or the sub-layered phase folder: its phase file
/// ([`folder_phase_file`]) is the phase file, its name the slug, and its other `*.md` files add
/// their files.
/// With `dependencies`, the phase file's `Depends on:` line is read too.
pub(super) fn read_phase(
    files: &dyn PlanFiles,
    row: &Row,
    readme_name: &str,
    dependencies: bool,
) -> Result<(PhaseFile, String), PlanDirError> {
    let parse = phase_reader(dependencies, None);
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

/// Whether a row's target is words rather than a file's or folder's name: it holds white
/// space, and neither ends as a Markdown file nor as a folder (`Phase 1-4`; not `01 set up.md`).
fn is_words(target: &str) -> bool {
    target.contains(char::is_whitespace) && !is_markdown(target) && !target.ends_with('/')
}

/// The phase file of a phase folder, among the names it holds: its `README.md` or `index.md`,
/// else its `plan.md` (`phase.md`, `spec.md`; any case), else its one Markdown file.
pub(super) fn folder_phase_file(names: &[String]) -> Option<&str> {
    let named = |wanted: &str| names.iter().find(|name| name.eq_ignore_ascii_case(wanted));
    let main = ["README.md", "index.md", "plan.md", "phase.md", "spec.md"].into_iter().find_map(named);
    let only = || {
        let mut markdown = names.iter().filter(|name| is_markdown(name));
        markdown.next().filter(|_| markdown.next().is_none())
    };
    main.or_else(only).map(String::as_str)
}

/// Whether a file name is a Markdown file's (`.md`, any case).
pub(super) fn is_markdown(name: &str) -> bool {
    name.len() > 3
        && name.get(name.len() - 3..).is_some_and(|extension| extension.eq_ignore_ascii_case(".md"))
}

/// The files that hold several phases, one section each: each read and outlined once (`None`
/// for a path that is not a readable text file).
#[derive(Default)]
pub(super) struct SectionedFiles(BTreeMap<String, Option<SectionedFile>>);

/// A file's text, and where the section under each of its headings lies, by the heading's
/// anchor.
struct SectionedFile {
    text: String,
    sections: BTreeMap<String, Range<usize>>,
}

impl SectionedFiles {
    /// Holds `text` as the file at `path`, already read (the README, whose own sections may
    /// be phases).
    pub(super) fn hold(&mut self, path: &str, text: String) {
        let sections = sections_by_anchor(&text);
        self.0.insert(path.to_owned(), Some(SectionedFile { text, sections }));
    }

    /// The section of file `path` under the heading `anchor` names (GitHub's anchor of its
    /// title): from the heading to the next heading of its level or above. The whole file when
    /// no heading has that anchor; `None` when `path` is not a readable text file.
    pub(super) fn section(&mut self, files: &dyn PlanFiles, path: &str, anchor: &str) -> Option<&str> {
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
