//! `calibration export` and `calibration import`: the whole history as JSON Lines, one plan
//! (with everything it owns) per line, `{"kind": "plan", ...}`.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;

use skillnet_store::{CalibrationStore, DatabaseUrl, HistoryItem, OpenOptions, StoreError};

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
    let n = write_lines(&*store, &mut out, || {})?;
    out.flush()?;
    output::note(ctx.quiet, format!("exported {n}"));
    Ok(())
}

/// Writes the export lines of one snapshot of `store` to `out`, calling `each` after each line;
/// returns what they held. A failure to write is the I/O error itself, stopping the export.
pub fn write_lines(
    store: &dyn CalibrationStore,
    out: &mut impl Write,
    mut each: impl FnMut(),
) -> anyhow::Result<Tally> {
    let mut n = Tally::default();
    let mut io_error = None;
    store
        .export(&mut |item| {
            let written = serde_json::to_writer(&mut *out, &item)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out));
            if let Err(e) = written {
                io_error = Some(e);
                return Err(StoreError::backend("export interrupted"));
            }
            n.add(&item);
            each();
            Ok(())
        })
        .map_err(|e| match io_error.take() {
            Some(io) => anyhow::Error::new(io),
            None => e.into(),
        })?;
    Ok(n)
}

/// Reads a history from `file` (or stdin) into the store, one line at a time, in one
/// transaction: a bad line anywhere writes nothing. The first item is read before the store is
/// opened, so a file that is not a history at all does not even create a database.
pub fn import(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    import_checked(ctx, file, |_| Ok(()))
}

/// [`import`], with `check` deciding, once the store is open and before anything is written,
/// whether it may go on.
pub fn import_checked(
    ctx: &Context,
    file: &Path,
    check: impl FnOnce(&dyn CalibrationStore) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut items = input::history_items(file)?.peekable();
    if let Some(Err(_)) = items.peek() {
        return Err(items.next().expect("peeked").expect_err("peeked an error"));
    }
    let store = ctx.store()?;
    check(&*store)?;
    let bar = progress::counter("importing");
    let mut bad_input = None;
    let mut tally = Tally::default();
    // The store stops at the first error; the line's own error is the one to report.
    let mut checked = items.map(|item| {
        item.inspect(|item| tally.add(item)).map_err(|e| {
            bad_input = Some(e);
            StoreError::InvalidInput("the history has a bad line".into())
        })
    });
    let imported = store.import_with_progress(&mut checked, &mut |n| bar.inc(n as u64));
    bar.finish_and_clear();
    match (imported, bad_input) {
        (Err(_), Some(e)) => return Err(e),
        (result, _) => result?,
    };
    output::note(ctx.quiet, format!("imported {tally}"));
    Ok(())
}

/// Copies every plan of `from` into `to`, in one transaction on `to`. A target that already
/// holds plans is refused unless `force`. The history streams from one database into the other
/// through a short queue, so memory does not grow with it.
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
    let total = source.counts()?;
    let bar = progress::bar((total.plans + total.proposals + total.skill_uses) as usize, "copying");
    let (sender, receiver) = std::sync::mpsc::sync_channel(COPY_QUEUE);
    let mut tally = Tally::default();
    let target_stopped = std::sync::atomic::AtomicBool::new(false);
    let (exported, imported) = std::thread::scope(|scope| {
        let (source, target_stopped) = (&source, &target_stopped);
        let reader = scope.spawn(move || {
            let exported = source.export(&mut |item| {
                sender.send(Ok(item)).map_err(|_| {
                    target_stopped.store(true, std::sync::atomic::Ordering::Relaxed);
                    StoreError::backend("the target stopped reading")
                })
            });
            if exported.is_err() {
                // The import must not commit a history cut short.
                let _ = sender.send(Err(StoreError::backend("the export from the source failed")));
            }
            exported
        });
        let mut received = receiver.into_iter().inspect(|item| {
            if let Ok(item) = item {
                tally.add(item);
            }
        });
        let imported = target.import_with_progress(&mut received, &mut |n| bar.inc(n as u64));
        let exported = reader.join().unwrap_or_else(|_| Err(StoreError::backend("the export panicked")));
        (exported, imported)
    });
    bar.finish_and_clear();
    // Whichever side failed first stopped the other: the cause is the export's error unless the
    // export stopped because the import had.
    match (exported, imported) {
        (Err(e), Err(_)) if !target_stopped.into_inner() => return Err(e.into()),
        (_, imported) => imported?,
    };
    output::note(ctx.quiet, format!("copied {tally} from {} to {}", source.url(), target.url()));
    Ok(())
}

/// How many items of each kind a history held: what `import`, `copy` and `backup` report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    plans: usize,
    proposals: usize,
    skill_uses: usize,
}

impl Tally {
    /// What `store` holds.
    pub fn held_by(store: &dyn CalibrationStore) -> skillnet_store::Result<Self> {
        let counts = store.counts()?;
        let n = |v: i64| usize::try_from(v).unwrap_or_default();
        Ok(Self { plans: n(counts.plans), proposals: n(counts.proposals), skill_uses: n(counts.skill_uses) })
    }

    /// Whether it counted nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Counts `item`.
    pub fn add(&mut self, item: &HistoryItem) {
        match item {
            HistoryItem::Plan(_) => self.plans += 1,
            HistoryItem::Proposal(_) => self.proposals += 1,
            HistoryItem::SkillUse(_) => self.skill_uses += 1,
        }
    }
}

impl std::fmt::Display for Tally {
    /// `3 plans`, or `3 plans, 1 proposal and 2 skill uses`: the plans always, the rest when
    /// there are any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = vec![count(self.plans, "plan")];
        if self.proposals > 0 {
            parts.push(count(self.proposals, "proposal"));
        }
        if self.skill_uses > 0 {
            parts.push(count(self.skill_uses, "skill use"));
        }
        match parts.split_last() {
            Some((last, [])) => f.write_str(last),
            Some((last, rest)) => write!(f, "{} and {last}", rest.join(", ")),
            None => Ok(()),
        }
    }
}

/// Items in flight between the source's export and the target's import during `copy`.
const COPY_QUEUE: usize = 1_024;

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn a_tally_names_the_plans_and_whatever_else_there_was() {
        let tally = |plans, proposals, skill_uses| Tally { plans, proposals, skill_uses }.to_string();
        assert_eq!(tally(0, 0, 0), "0 plans");
        assert_eq!(tally(1, 0, 0), "1 plan");
        assert_eq!(tally(5, 0, 2), "5 plans and 2 skill uses");
        assert_eq!(tally(5, 1, 2), "5 plans, 1 proposal and 2 skill uses");
    }
}
