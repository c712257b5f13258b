//! `calibration backup` and `calibration restore`: the whole history in one gzip-compressed
//! file of export lines (`gunzip` gives what `export` writes), taken from one snapshot while
//! other processes go on writing, and restored into an empty database on either backend.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use flate2::write::GzEncoder;

use super::history::Tally;
use super::Context;
use crate::exit_codes::ConflictError;
use crate::{output, progress};

/// Writes a snapshot of the history to `path`, which must not exist: first to a hidden file
/// beside it, then moved into place whole, so `path` never holds half a backup.
pub fn backup(ctx: &Context, path: &Path) -> anyhow::Result<()> {
    let exists = || ConflictError(format!("refusing to overwrite the existing file {}", path.display()));
    if path.exists() {
        return Err(exists().into());
    }
    let store = ctx.store()?;
    let partial = partial_name(path);
    let written = write_snapshot(&*store, &partial);
    let moved = written.and_then(|n| {
        // A link fails where `path` appeared meanwhile, where a rename would replace it; a file
        // system without hard links gets the rename.
        let linked = std::fs::hard_link(&partial, path).or_else(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Err(e),
            _ if path.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
            _ => std::fs::rename(&partial, path),
        });
        linked
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => exists().into(),
                _ => anyhow::Error::new(e).context(format!("cannot write {}", path.display())),
            })
            .map(|()| n)
    });
    let _ = std::fs::remove_file(&partial);
    let n = moved?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or_default();
    output::note(ctx.quiet, format!("backed up {n} to {} ({})", path.display(), bytes(size)));
    Ok(())
}

/// The export lines of one snapshot of `store`, gzip-compressed, into a new file `partial`,
/// synced; returns what they held.
fn write_snapshot(store: &dyn skillnet_store::CalibrationStore, partial: &Path) -> anyhow::Result<Tally> {
    let file =
        std::fs::File::create_new(partial).with_context(|| format!("cannot create {}", partial.display()))?;
    // Lines are written in many small pieces: buffer them before the compressor, which is slow
    // on small inputs.
    let mut out = BufWriter::with_capacity(1 << 16, GzEncoder::new(file, flate2::Compression::default()));
    let bar = progress::counter("backing up");
    let n = super::history::write_lines(store, &mut out, || bar.inc(1)).map_err(|e| {
        if e.is::<std::io::Error>() {
            e.context(format!("cannot write {}", partial.display()))
        } else {
            e
        }
    })?;
    bar.finish_and_clear();
    let file = out.into_inner().map_err(|e| e.into_error())?.finish()?;
    file.sync_all()?;
    Ok(n)
}

/// `.NAME.partial-PID` beside `path`.
fn partial_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Restores a backup (or an export) into the database, which must hold nothing unless `force`.
pub fn restore(ctx: &Context, path: &Path, force: bool) -> anyhow::Result<()> {
    super::history::import_checked(ctx, path, |store| {
        let held = Tally::held_by(store)?;
        if force || held.is_empty() {
            return Ok(());
        }
        Err(ConflictError(format!(
            "the database {} already holds {held}; restore into an empty one, or pass --force to restore \
             into it anyway (items with the same ids are replaced)",
            store.url()
        ))
        .into())
    })
}

/// A byte size for people: `812 B`, `3.4 MiB`.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
