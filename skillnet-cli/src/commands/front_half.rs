//! The front half of the loop, from a plan directory: `init` writes its sidecar, `eval` previews
//! the triggers, `meta-heuristics` says whether it is worth recording, `shape-hash` fingerprints
//! it. The files are read here; parsing and every rule live in `skillnet_core::plan_dir`.
//! The store is only read, and only when a database already exists: these commands never
//! create or write one.

use std::path::{Path, PathBuf};

use serde::Serialize;
use skillnet_core::catalog::{self, Category};
use skillnet_core::plan_dir::meta::{self, HistoryFacts, MetaInputs};
use skillnet_core::plan_dir::shape_hash::{shape_hash, shape_signature};
use skillnet_core::plan_dir::{self, heuristics, init, Entry, PlanFiles, PlanShape};
use skillnet_core::{Trigger, Verification};
use skillnet_store::{ActiveThreshold, CalibrationStore, DatabaseUrl, OpenOptions};

use super::heuristics::{Source, ZeroSixSource};
use super::Context;
use crate::cli::{EvalArgs, Format, InitArgs, MetaArgs};
use crate::exit_codes::{ConflictError, NotFoundError};
use crate::input::{InputError, SIDECAR_FILE};
use crate::output;
use skillnet_core::threshold::{in_force, InForce};

/// A plan directory on disk.
struct DiskPlan {
    root: PathBuf,
    repo_root: Option<String>,
}

impl DiskPlan {
    /// The plan directory at `dir`; a missing one is "not found", and so is a file.
    fn open(dir: &Path) -> anyhow::Result<Self> {
        if dir.is_file() {
            let message =
                format!("{} is a file, not a plan directory (a folder with a README.md)", dir.display());
            return Err(NotFoundError(message).into());
        }
        if !dir.is_dir() {
            return Err(NotFoundError(format!("plan directory {} not found", dir.display())).into());
        }
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let repo_root =
            canonical.ancestors().find(|a| a.join(".git").exists()).map(|root| root.display().to_string());
        Ok(Self { root: dir.to_path_buf(), repo_root })
    }

    fn parse(&self) -> anyhow::Result<PlanShape> {
        Ok(plan_dir::parse(self)?)
    }
}

impl PlanFiles for DiskPlan {
    fn read(&self, path: &str) -> Result<Entry, String> {
        let full = self.root.join(path);
        match std::fs::metadata(&full) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Entry::Missing),
            Err(e) => Err(e.to_string()),
            Ok(meta) if meta.is_dir() => {
                let names = std::fs::read_dir(&full)
                    .map_err(|e| e.to_string())?
                    .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                    .collect();
                Ok(Entry::Dir(names))
            }
            Ok(_) => std::fs::read(&full).map(Entry::File).map_err(|e| e.to_string()),
        }
    }

    fn exists(&self, path: &str) -> bool {
        !matches!(std::fs::metadata(self.root.join(path)), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    fn display(&self, path: &str) -> String {
        self.root.join(path).display().to_string()
    }

    fn repo_root(&self) -> Option<String> {
        self.repo_root.clone()
    }

    fn canonicalize(&self, path: &str) -> Option<String> {
        let path = Path::new(path);
        let path = if path.is_absolute() { path.to_path_buf() } else { self.root.join(path) };
        std::fs::canonicalize(path).ok().map(|p| p.display().to_string())
    }
}

/// The history these commands read: thresholds in force and what the recorded plans say.
struct History {
    thresholds: Vec<ActiveThreshold>,
    /// `None` when the history is not consulted (`--offline`, or a database not migrated yet).
    store: Option<Box<dyn CalibrationStore>>,
    offline: bool,
}

impl History {
    /// Opens the configured database read-only, if it exists; never creates or migrates one.
    fn open(ctx: &Context, offline: bool) -> anyhow::Result<Self> {
        let none = |offline| Self { thresholds: Vec::new(), store: None, offline };
        if offline {
            return Ok(none(true));
        }
        let resolved = ctx.resolve()?;
        if let DatabaseUrl::Sqlite(path) = &resolved.url {
            if !path.exists() {
                return Ok(none(false));
            }
        }
        let options = OpenOptions { migrate: false, pool_size: 1, ..OpenOptions::default() };
        let store = ctx.store_at(&resolved, &options)?;
        if !store.migration_status()?.pending.is_empty() {
            output::warn(format!(
                "the database chosen by {} is not migrated yet: using the catalog defaults and no history \
                 (`skillnet calibration migrate` migrates it)",
                resolved.source
            ));
            return Ok(none(true));
        }
        Ok(Self { thresholds: store.thresholds()?, store: Some(store), offline: false })
    }

    /// The threshold in force for a catalog heuristic, and where it comes from.
    fn threshold(&self, name: &str) -> (f64, Source) {
        match in_force(&self.thresholds, name, &[]) {
            InForce::Accepted(t) => (t.threshold, Source::of(t)),
            InForce::Default(threshold) => (threshold, Source::Default),
            InForce::Recorded => (0.0, Source::Recorded),
        }
    }

    fn triggers(&self, shape: &PlanShape) -> Vec<Trigger> {
        heuristics::evaluate(shape, |h| self.threshold(h.name).0)
    }

    /// The history facts for `shape`: `None` offline; an empty history when there is no database.
    fn facts(&self, shape: &PlanShape) -> anyhow::Result<Option<HistoryFacts>> {
        if self.offline {
            return Ok(None);
        }
        let Some(store) = &self.store else { return Ok(Some(HistoryFacts::default())) };
        let signature =
            shape_signature(shape.phase_count, shape.max_chain_depth, shape.repo_spread, &shape.routing_dist);
        let slugs: Vec<String> = shape.phases.iter().map(|p| p.slug.clone()).collect();
        Ok(Some(store.shape_history(&signature, &slugs)?))
    }
}

/// `calibration init`: each plan directory in turn.
pub fn init(ctx: &Context, args: &InitArgs) -> anyhow::Result<()> {
    let mut history = None;
    for dir in &args.plan_dirs {
        init_one(ctx, args, dir, &mut history)?;
    }
    Ok(())
}

fn init_one(ctx: &Context, args: &InitArgs, dir: &Path, history: &mut Option<History>) -> anyhow::Result<()> {
    let plan = DiskPlan::open(dir)?;
    let path = dir.join(SIDECAR_FILE);
    let exists = path.exists();
    if exists && !args.force && !args.stdout {
        return Err(ConflictError(format!(
            "refusing to overwrite existing sidecar {}; pass --force to replace it",
            path.display()
        ))
        .into());
    }
    let kept = if args.force && exists { kept_from(&path)? } else { init::Kept::default() };
    let shape = plan.parse()?;
    if history.is_none() {
        *history = Some(History::open(ctx, args.offline)?);
    }
    let history = history.as_ref().expect("opened above");
    let triggers = history.triggers(&shape);
    let id = kept.id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let facts = history.facts(&shape)?;
    let fired = meta::evaluate(&MetaInputs {
        plan: &shape,
        triggers: &triggers,
        verify: kept.verify.as_ref(),
        plan_id: Some(&id),
        history: facts.as_ref(),
    })
    .fired;
    let created_at = kept.created_at.unwrap_or_else(output::now);
    let generator = Some(format!("skillnet {}", env!("CARGO_PKG_VERSION")));
    let sidecar = init::sidecar(&shape, triggers, fired.clone(), id, created_at, kept, generator);
    let text = init::render(&sidecar);
    if args.stdout {
        return output::text(text.trim_end());
    }
    write_atomically(&path, &text)?;
    output::text(format!(
        "wrote {}\nmeta_heuristics_fired: {}",
        path.display(),
        serde_json::to_string(&fired)?
    ))
}

/// What an existing sidecar keeps under `--force`.
fn kept_from(path: &Path) -> anyhow::Result<init::Kept> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError(format!("cannot read the existing sidecar {}: {e}", path.display())))?;
    Ok(init::Kept::from_sidecar(&text, &path.display().to_string())?)
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a sidecar.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".calibration.json.{}.tmp", std::process::id()));
    let write = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = write {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("failed to write sidecar {}: {e}", path.display());
    }
    Ok(())
}

/// One line of `eval`: 0.6's fields, in its order.
#[derive(Debug, Serialize)]
struct EvalRow {
    name: &'static str,
    category: Category,
    input_value: f64,
    threshold: f64,
    threshold_source: ZeroSixSource,
    fired: bool,
    section_added: Option<String>,
}

/// `calibration eval`.
pub fn eval(ctx: &Context, args: &EvalArgs) -> anyhow::Result<()> {
    let shape = DiskPlan::open(&args.plan_dir)?.parse()?;
    let history = History::open(ctx, args.offline)?;
    let rows: Vec<EvalRow> = catalog::CATALOG
        .iter()
        .zip(history.triggers(&shape))
        .map(|(h, t)| EvalRow {
            name: h.name,
            category: h.category,
            input_value: t.input_value,
            threshold: t.threshold,
            threshold_source: ZeroSixSource::from(&history.threshold(h.name).1),
            fired: t.fired,
            section_added: t.section_added,
        })
        .collect();
    match args.format.format {
        Format::Json => output::json(&rows),
        Format::Table => {
            let mut text = format!(
                "{:<32} {:<14} {:>10} {:>10} {:<9} SECTION\n",
                "NAME", "CATEGORY", "INPUT", "THRESHOLD", "FIRED"
            );
            for r in &rows {
                text.push_str(&format!(
                    "{:<32} {:<14} {:>10.2} {:>10.2} {:<9} {}\n",
                    r.name,
                    r.category.as_str(),
                    r.input_value,
                    r.threshold,
                    r.fired,
                    r.section_added.as_deref().unwrap_or("")
                ));
            }
            output::text(text.trim_end_matches('\n'))
        }
    }
}

/// `calibration meta-heuristics`.
pub fn meta_heuristics(ctx: &Context, args: &MetaArgs) -> anyhow::Result<()> {
    let plan = DiskPlan::open(&args.plan_dir)?;
    let shape = plan.parse()?;
    let (verify, sidecar_id) = match &args.sidecar {
        Some(path) => verify_from(path)?,
        None => (None, None),
    };
    // The plan's id, for the deterministic sample: from --sidecar, else the plan's own sidecar.
    let own = args.plan_dir.join(SIDECAR_FILE);
    let id = sidecar_id.or_else(|| {
        let text = std::fs::read_to_string(&own).ok()?;
        init::Kept::from_sidecar(&text, "").ok()?.id
    });
    let history = History::open(ctx, args.offline)?;
    let triggers = history.triggers(&shape);
    let facts = history.facts(&shape)?;
    let outcome = meta::evaluate(&MetaInputs {
        plan: &shape,
        triggers: &triggers,
        verify: verify.as_ref(),
        plan_id: id.as_deref(),
        history: facts.as_ref(),
    });
    output::json(&outcome)
}

/// The verification in `--sidecar FILE`: a whole sidecar, a bare verify object, or nothing at
/// all (an empty file such as `/dev/null`); and the plan id when a whole sidecar names one.
fn verify_from(path: &Path) -> anyhow::Result<(Option<Verification>, Option<String>)> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError(format!("failed to read sidecar {origin}: {e}")))?;
    if text.trim().is_empty() {
        return Ok((None, None));
    }
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| InputError(format!("malformed sidecar {origin}: {e}")))?;
    if value.get("plan").is_some() || value.get("schema_version").is_some() {
        let kept = init::Kept::from_sidecar(&text, &origin)?;
        return Ok((kept.verify, kept.id));
    }
    let verify = serde_json::from_value(value).map_err(|e| {
        InputError(format!("malformed sidecar {origin}: not a sidecar nor a verify block: {e}"))
    })?;
    Ok((Some(verify), None))
}

/// `calibration shape-hash`: no configuration, no database.
pub fn shape_hash_of(plan_dir: &Path) -> anyhow::Result<()> {
    let shape = DiskPlan::open(plan_dir)?.parse()?;
    output::text(shape_hash(&shape))
}
