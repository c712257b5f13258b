//! Plan directories: a `README.md` with the phase table and one Markdown file per phase, read
//! into a [`PlanShape`] from which the heuristics ([`heuristics`]), the meta-heuristics
//! ([`meta`]), the shape hash ([`shape_hash`]) and a new sidecar ([`init`]) are computed.
//!
//! The parser does no I/O: it asks a [`PlanFiles`] for the files it needs, so the CLI reads them
//! from disk and tests from memory. It reads plans as skillnet 0.6 did on a cleanly written plan,
//! and reads messy ones as 0.6 would have read their clean twin: paths without their commentary,
//! brace lists expanded, callouts of either agent family, tables without outer pipes, code fences
//! respected, CRLF files, sub-layered phases, and dependencies on phases that do not exist kept
//! for `hidden-prerequisite` instead of refused.
//!
//! ```
//! use skillnet_core::plan_dir::{self, MemoryPlan};
//!
//! let plan = MemoryPlan::new([
//!     ("README.md", "# Demo\n\n| Phase | File | Depends on |\n|---|---|---|\n| 01 | [a](01-a.md) | — |\n| 02 | [b](02-b.md) | 01 |\n"),
//!     ("01-a.md", "> **Recommended Codex model: GPT 5.5 high**\n"),
//!     ("02-b.md", "## Files likely touched\n\n- `src/lib.rs` (the entry point)\n"),
//! ]);
//! let shape = plan_dir::parse(&plan).unwrap();
//! assert_eq!(shape.name, "Demo");
//! assert_eq!((shape.phase_count, shape.wave_count, shape.max_chain_depth), (2, 2, 2));
//! assert_eq!(shape.phases[1].files, ["src/lib.rs"]);
//! assert_eq!(shape.routing_dist["high"], 1);
//! ```

mod columns;
mod depends;
mod heading_name;
pub mod heuristics;
pub mod init;
mod markdown;
mod mermaid;
pub mod meta;
mod paths;
mod phase_file;
mod readme;
pub mod shape_hash;
mod structure;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use phase_file::Family;
pub use readme::DEFAULT_NAME;

/// An entry of a plan directory, as [`PlanFiles::read`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file, with its bytes.
    File(Vec<u8>),
    /// A folder, with the names of its entries.
    Dir(Vec<String>),
    /// Nothing is there.
    Missing,
}

/// Where the parser reads a plan directory from. Paths are relative to the plan directory and
/// use `/`; `""` is the plan directory itself (listed only for a README whose table of the
/// phases has no File column).
pub trait PlanFiles {
    /// Reads the entry at `path`; `Err` carries the reason it could not be read.
    fn read(&self, path: &str) -> Result<Entry, String>;

    /// Whether anything is at `path` (default: whatever [`PlanFiles::read`] finds there); an
    /// implementation may answer without reading the entry.
    fn exists(&self, path: &str) -> bool {
        !matches!(self.read(path), Ok(Entry::Missing))
    }

    /// How to name `path` in messages (default: as it is).
    fn display(&self, path: &str) -> String {
        path.to_owned()
    }

    /// The root of the repository the plan directory belongs to, canonical, when known: a
    /// working tree at that path is the primary one.
    fn repo_root(&self) -> Option<String> {
        None
    }

    /// The canonical form of a working tree's path, when it exists.
    fn canonicalize(&self, path: &str) -> Option<String> {
        let _ = path;
        None
    }
}

/// A plan directory held in memory: for tests and examples.
#[derive(Debug, Clone, Default)]
pub struct MemoryPlan {
    files: BTreeMap<String, String>,
    repo_root: Option<String>,
}

impl MemoryPlan {
    /// A plan of `(path, text)` files.
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            files: files.into_iter().map(|(p, t)| (p.to_owned(), t.to_owned())).collect(),
            repo_root: None,
        }
    }

    /// The same plan inside the repository rooted at `root`.
    pub fn in_repo(mut self, root: &str) -> Self {
        self.repo_root = Some(root.to_owned());
        self
    }
}

impl PlanFiles for MemoryPlan {
    fn read(&self, path: &str) -> Result<Entry, String> {
        if let Some(text) = self.files.get(path) {
            return Ok(Entry::File(text.clone().into_bytes()));
        }
        // The plan directory itself is `""`.
        let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
        let names: BTreeSet<String> = self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or_default().to_owned())
            .collect();
        Ok(if names.is_empty() { Entry::Missing } else { Entry::Dir(names.into_iter().collect()) })
    }

    fn repo_root(&self) -> Option<String> {
        self.repo_root.clone()
    }

    /// Only the repository's root exists outside the plan directory.
    fn canonicalize(&self, path: &str) -> Option<String> {
        let path = path.trim_end_matches('/');
        self.repo_root.as_deref().filter(|root| root.trim_end_matches('/') == path).map(str::to_owned)
    }
}

/// A plan directory that cannot be read as a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDirError {
    /// Whether the plan is missing or malformed.
    pub kind: PlanDirErrorKind,
    /// The file at fault, as [`PlanFiles::display`] names it.
    pub file: String,
    /// The line at fault, when there is one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The two ways a plan directory fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanDirErrorKind {
    /// The README is not there.
    NotFound,
    /// Something in the plan breaks the format.
    Malformed,
}

impl PlanDirError {
    fn malformed(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self { kind: PlanDirErrorKind::Malformed, file: file.to_owned(), line, message: message.into() }
    }
}

impl fmt::Display for PlanDirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for PlanDirError {}

/// One phase as the plan directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseShape {
    /// Its number in the phase table.
    pub ordinal: i64,
    /// Its file's stem without the leading number (`phase-N` when nothing is left).
    pub slug: String,
    /// `low`, `medium`, `high` or `max`.
    pub routing_tier: String,
    /// Files it expects to touch: sorted, without repeats.
    pub files: Vec<String>,
    /// Its working trees that are not the plan's own repository (none for a phase that works
    /// only there).
    pub working_trees: Vec<String>,
    /// Every phase it depends on, including numbers no phase has.
    pub depends_on: Vec<i64>,
    /// The agent family of its model callout.
    pub family: Option<Family>,
}

/// A parsed plan directory with the measures the sidecar and the heuristics use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanShape {
    /// The README's first H1, else its front matter's `title:`, else [`DEFAULT_NAME`].
    pub name: String,
    /// `codex`, `claude` or `mixed`.
    pub flavor: String,
    /// Phases in ordinal order.
    pub phases: Vec<PhaseShape>,
    /// Groups of phases that may run together, in order (Kahn layering).
    pub waves: Vec<Vec<i64>>,
    /// Number of phases.
    pub phase_count: i64,
    /// Number of waves.
    pub wave_count: i64,
    /// Phases in the longest dependency chain (equal to `wave_count` in any acyclic plan).
    pub max_chain_depth: i64,
    /// Distinct working trees, the primary one counted once.
    pub repo_spread: i64,
    /// Phases per routing tier.
    pub routing_dist: BTreeMap<String, i64>,
}

/// Reads the plan directory `files` gives access to.
pub fn parse(files: &dyn PlanFiles) -> Result<PlanShape, PlanDirError> {
    structure::parse(files)
}
