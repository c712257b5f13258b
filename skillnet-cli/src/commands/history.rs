//! `calibration export` and `calibration import`: the whole history as JSON Lines, one plan
//! (with everything it owns) per line, `{"kind": "plan", ...}`.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;

use super::{count, Context};
use crate::{input, output, progress};

/// Writes the history to `file`, or stdout.
pub fn export(ctx: &Context, file: Option<&Path>) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let out: Box<dyn Write> = match file {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
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
