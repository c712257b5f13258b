//! From files to a [`PlanShape`]: reading the README and each phase file (or sub-layered phase
//! folder), then the dependency graph's waves and depth, the working trees and the flavor.

mod phase_files;
mod slugs;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use super::depends;
use super::phase_file::{self, Family, PhaseFile};
use super::readme;
use super::{Entry, PhaseShape, PlanDirError, PlanDirErrorKind, PlanFiles, PlanShape};
use phase_files::{
    folder_phase_file, is_markdown, phase_reader, planned_files, read_file, read_phase, ReadFailure,
    SectionedFiles,
};
use slugs::{folder_slugs, slug_of};

/// The plan's README, relative to the plan directory.
pub(super) const README: &str = "README.md";

/// Reads the plan directory `files` holds into its shape.
pub fn parse(files: &dyn PlanFiles) -> Result<PlanShape, PlanDirError> {
    let readme_path = readme_path(files);
    match parse_from(files, &readme_path) {
        // A spec's folder whose README only says what the spec is (Kiro's, OpenSpec's,
        // spec-kit's): its tasks are the plan.
        Err(error) if readme_path == README && readme::finds_no_phases(&error) && holds_spec_tasks(files) => {
            parse_from(files, FEATURE_TASKS)
        }
        read => read,
    }
}

/// Whether the plan directory is a spec's folder with its tasks: a `tasks.md` beside a
/// `spec.md`, a `requirements.md`, a `design.md` or a `proposal.md`.
fn holds_spec_tasks(files: &dyn PlanFiles) -> bool {
    let Ok(Entry::Dir(names)) = files.read("") else { return false };
    let named = |wanted: &str| names.iter().any(|name| name.eq_ignore_ascii_case(wanted));
    named(FEATURE_TASKS) && ["spec.md", "requirements.md", "design.md", "proposal.md"].into_iter().any(named)
}

/// Reads the plan directory `files` holds into its shape, from its index at `readme_path`.
fn parse_from(files: &dyn PlanFiles, readme_path: &str) -> Result<PlanShape, PlanDirError> {
    let readme_name = files.display(readme_path);
    let readme_text = match read_file(files, readme_path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(PlanDirError::malformed(&readme_name, None, "is a folder, not the plan's README"))
        }
        Err(ReadFailure::Missing) => {
            return Err(PlanDirError {
                kind: PlanDirErrorKind::NotFound,
                file: readme_name,
                line: None,
                message: why_no_index(files, readme_path),
            })
        }
        Err(ReadFailure::Unreadable(reason)) => {
            return Err(PlanDirError::malformed(&readme_name, None, reason))
        }
        Err(ReadFailure::Invalid(e)) => return Err(e),
    };
    let readme = readme::parse(&readme_text, &readme_name, || numbered_entries(files))?;
    let refs = depends::PhaseRefs::of(&readme.rows, readme.renumbered).numbered_by(readme.unit);
    // What nothing else says a phase depends on, the README's sentences say, else its
    // flowcharts draw, else the arrows of its text, else the order of its tasks.
    let drawn = refs.drawn(&readme.flowcharts);
    let chained = refs.drawn(&readme.arrow_chains);
    let stated = refs.stated(&readme.statements);
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
        // A phase that is a part of the README and lists no files: the files its steps change.
        let in_readme = row.target == README || row.target.is_empty();
        let changed_in_steps = |file: &PhaseFile, text: &str| match in_readme && file.files.is_empty() {
            true => phase_file::files_changed_in_steps(text),
            false => Vec::new(),
        };
        let in_section = section.and_then(|anchor| {
            let text = sectioned.section(files, &row.target, anchor)?;
            let file = phase_reader(from_file, readme.unit)(text);
            let changed = changed_in_steps(&file, text);
            Some((file, slug_of(anchor, &row.key), changed))
        });
        let (file, slug, changed) = match in_section {
            Some(read) => read,
            // A row that names no phase file is the whole of its phase, named by its anchor
            // when it has one (a list item of a task), with the text it holds (a checklist's).
            None if row.target.is_empty() => {
                let own_text = &readme_text[row.own_text.clone()];
                let file = phase_file::parse(own_text);
                let changed = changed_in_steps(&file, own_text);
                (file, row.anchor.clone(), changed)
            }
            None => {
                let (file, slug) = read_phase(files, row, &readme_name, from_file)?;
                (file, folder_slugs.get(row.target.as_str()).cloned().unwrap_or(slug), Vec::new())
            }
        };
        let depends = file.depends.as_deref().unwrap_or(&row.depends);
        let mut phase_files = match (file.files.is_empty(), row.touches.is_empty()) {
            (false, _) => file.files,
            (true, false) => row.touches.clone(),
            // A phase of the README's own sections whose plans lie in a folder of their own.
            (true, true) if row.target == README => {
                Some(planned_files(files, &row.key)).filter(|planned| !planned.is_empty()).unwrap_or(changed)
            }
            (true, true) => changed,
        };
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
            depends_on: match depends.trim().is_empty() {
                true => {
                    let sources = [&stated, &drawn, &chained, &readme.task_order];
                    let said = sources.into_iter().find_map(|said| said.get(&row.ordinal));
                    said.cloned().unwrap_or_default()
                }
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

/// Where the plan's README is in the plan directory: `README.md`, else the plan's index by
/// another name ([`INDEX_NAMES`]: `plan.md`, as plans written over `phase-01-....md` files name
/// it, or a planning directory's `ROADMAP.md`), or beside a `spec.md` the feature's `tasks.md`,
/// each in any case (`readme.md`, `PLAN.md`), else the one file named a plan
/// ([`named_a_plan`]), else a `tasks.md` (Kiro's, OpenSpec's); `README.md` when there is none
/// (`tasks.md` beside a `spec.md`, a `requirements.md`, a `design.md` or a `proposal.md`).
fn readme_path(files: &dyn PlanFiles) -> String {
    if files.exists(README) {
        return README.to_owned();
    }
    let Ok(Entry::Dir(names)) = files.read("") else { return README.to_owned() };
    let named = |wanted: &str| names.iter().find(|name| name.eq_ignore_ascii_case(wanted)).cloned();
    // Beside a `spec.md`, the folder is a feature's (spec-kit's): its phases are those of its
    // `tasks.md`, and its `plan.md` is its technical plan, whose `## Phase 0: Outline &
    // Research` is a step of writing it, not a phase of the work. Without a `tasks.md`, a
    // folder that also holds a `metadata.json` is Conductor's track, whose `plan.md` is its
    // plan of phases.
    if named("spec.md").is_some() {
        let track =
            || named("metadata.json").map(|_| named(TRACK_PLAN).unwrap_or_else(|| TRACK_PLAN.to_owned()));
        return named(FEATURE_TASKS).or_else(track).unwrap_or_else(|| FEATURE_TASKS.to_owned());
    }
    INDEX_NAMES
        .iter()
        .copied()
        .find_map(named)
        .or_else(|| named_a_plan(&names))
        // Kiro's spec folder (requirements.md, design.md and the implementation plan's
        // tasks.md), OpenSpec's change (proposal.md and tasks.md): its tasks not there yet when
        // only the others are.
        .or_else(|| named(FEATURE_TASKS))
        .or_else(|| {
            ["requirements.md", "design.md", "proposal.md"]
                .into_iter()
                .find_map(named)
                .map(|_| FEATURE_TASKS.to_owned())
        })
        .unwrap_or_else(|| README.to_owned())
}

/// Why the plan directory has no index at `readme_path`: a feature's folder without its tasks
/// yet, a track without its plan yet, a folder of several plans (as Cursor keeps them), or none
/// of the names an index goes by.
fn why_no_index(files: &dyn PlanFiles, readme_path: &str) -> String {
    if readme_path == FEATURE_TASKS {
        return "no tasks here yet: a spec's folder (beside its spec.md, Kiro's requirements.md and design.md, or OpenSpec's proposal.md) is read from its tasks.md"
            .to_owned();
    }
    if readme_path == TRACK_PLAN {
        return "no plan here yet: a Conductor track (beside its spec.md and metadata.json) is read from its plan.md"
            .to_owned();
    }
    let names = match files.read("") {
        Ok(Entry::Dir(names)) => names,
        _ => Vec::new(),
    };
    match plans_named(&names)[..] {
        ref plans @ [_, _, ..] => {
            let listed: Vec<&str> = plans.iter().map(|name| name.as_str()).collect();
            format!(
                "no plan README here, and {} files named a plan ({}): a plan directory holds one plan",
                plans.len(),
                listed.join(", ")
            )
        }
        _ => "no plan README here".to_owned(),
    }
}

/// The one Markdown file among `names` whose name says it is a plan, a word of it
/// (`IMPLEMENTATION_PLAN.md`, `auth-migration-plan.md`, a product requirement prompt's
/// `faq_agent_prp.md`, an ExecPlan's `auth-execplan.md`; not `explanation.md`), other than a
/// numbered phase file
/// (`phase-01-plan.md`); `None` when there is none, or more than one.
fn named_a_plan(names: &[String]) -> Option<String> {
    let mut plans = plans_named(names).into_iter();
    plans.next().filter(|_| plans.next().is_none()).cloned()
}

/// The Markdown files among `names` whose name says it is a plan, as [`named_a_plan`] reads it.
fn plans_named(names: &[String]) -> Vec<&String> {
    let says_plan = |name: &str| {
        let stem = &name[..name.len() - ".md".len()];
        let plan =
            |word: &str| ["plan", "prp", "execplan"].iter().any(|plan| word.eq_ignore_ascii_case(plan));
        stem.split(|c: char| !c.is_alphanumeric()).any(plan)
    };
    let named = |name: &&String| is_markdown(name) && says_plan(name) && readme::entry_number(name).is_none();
    names.iter().filter(named).collect()
}

/// The index of a feature's folder beside its `spec.md`: the phases of its tasks.
const FEATURE_TASKS: &str = "tasks.md";

/// The index of Conductor's track, beside its `spec.md` and `metadata.json`.
const TRACK_PLAN: &str = "plan.md";

/// The names a plan's README goes by, in the order they are looked for.
const INDEX_NAMES: [&str; 4] = [README, "plan.md", "index.md", "roadmap.md"];

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
