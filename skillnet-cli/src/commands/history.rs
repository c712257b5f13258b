//! `calibration export` and `calibration import`: the whole history as JSON Lines, one plan
//! (with everything it owns) per line, `{"kind": "plan", ...}`.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;

use skillnet_store::{DatabaseUrl, OpenOptions, StoreError};

use super::{count, Context};
use crate::{input, output, progress};

/// Writes the history to `file`, or stdout.
pub fn export(ctx: &Context, file: Option<&Path>) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let out: Box<dyn Write> = match file {
        Some(path) => Box::new(match std::fs::File::create_new(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(crate::exit_codes::ConflictError(format!(
                    "refusing to overwrite existing export file {}",
                    path.display()
                ))
                .into())
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
        }),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let mut n = 0;
    let mut io_error = None;
    store
        .export(&mut |item| {
            let written = serde_json::to_writer(&mut out, &item)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out));
            if let Err(e) = written {
                io_error = Some(e);
                return Err(skillnet_store::StoreError::Backend("export interrupted".into()));
            }
            n += 1;
            Ok(())
        })
        .map_err(|e| match io_error.take() {
            Some(io) => anyhow::Error::new(io),
            None => e.into(),
        })?;
    out.flush()?;
    output::note(ctx.quiet, format!("exported {}", count(n, "plan")));
    Ok(())
}

/// Reads a history from `file` (or stdin) into the store.
pub fn import(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let items = input::read_history(file)?;
    let store = ctx.store()?;
    let bar = progress::bar(items.len(), "importing");
    let n = store.import(&items, &mut |n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    output::note(ctx.quiet, format!("imported {}", count(n, "plan")));
    Ok(())
}

/// Copies every plan of `from` into `to`, in one transaction on `to`. A target that already
/// holds plans is refused unless `force`.
pub fn copy(ctx: &Context, from: &str, to: &str, force: bool) -> anyhow::Result<()> {
    let open = |url: &str, role: &str| -> anyhow::Result<_> {
        let parsed = DatabaseUrl::parse(url).with_context(|| format!("the {role} URL is invalid"))?;
        skillnet_store::open_with(&parsed, &OpenOptions::default())
            .with_context(|| format!("cannot open the {role} database {parsed}"))
    };
    let source = open(from, "source")?;
    let target = open(to, "target")?;
    let existing = target.counts()?.plans;
    if existing > 0 && !force {
        return Err(StoreError::Conflict(format!(
            "the target {} already holds {}; pass --force to copy into it anyway",
            target.url(),
            count(existing as usize, "plan")
        ))
        .into());
    }
    let mut items = Vec::new();
    source.export(&mut |item| {
        items.push(item);
        Ok(())
    })?;
    let bar = progress::bar(items.len(), "copying");
    let n = target.import(&items, &mut |n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    output::note(ctx.quiet, format!("copied {} from {} to {}", count(n, "plan"), source.url(), target.url()));
    Ok(())
}
