//! Reading sidecars and histories: from plan directories, sidecar files, or JSON Lines (a file
//! or stdin). Everything is read and validated before anything is written, so one bad sidecar
//! in a batch writes nothing.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use skillnet_core::{sidecar, PlanRecord};
use skillnet_store::HistoryItem;

use crate::cli::SidecarInput;

/// The sidecar's file name inside a plan directory.
pub const SIDECAR_FILE: &str = ".calibration.json";

/// Input that could not be read or does not follow the rules.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Reads and validates every sidecar named by `input`.
pub fn read_sidecars(input: &SidecarInput) -> anyhow::Result<Vec<PlanRecord>> {
    match &input.jsonl {
        Some(file) => read_jsonl(file, parse_sidecar),
        None => input.dirs.iter().map(|dir| read_plan_dir(dir)).collect(),
    }
}

/// Reads the sidecar of one plan directory (or a sidecar file named directly).
fn read_plan_dir(path: &Path) -> anyhow::Result<PlanRecord> {
    let (file, dir) = if path.is_dir() {
        (path.join(SIDECAR_FILE), path)
    } else {
        (path.to_path_buf(), path.parent().unwrap_or(path))
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| InputError(format!("cannot read the sidecar {}: {e}", file.display())))?;
    let mut record = parse_sidecar(&text, &file.display().to_string())?;
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    record.plan.path = Some(dir.display().to_string());
    Ok(record)
}

/// Parses and validates one sidecar, printing what is worth a warning.
fn parse_sidecar(text: &str, origin: &str) -> anyhow::Result<PlanRecord> {
    let record = sidecar::parse(text, origin)?;
    for warning in sidecar::warnings(&record) {
        crate::output::warn(format!("{origin}: {warning}"));
    }
    Ok(record)
}

/// The items of a history written by `export`, read and checked one line at a time (so memory
/// does not grow with the history); each error names the file and the line.
pub fn history_items(file: &Path) -> anyhow::Result<impl Iterator<Item = anyhow::Result<HistoryItem>>> {
    Ok(JsonLines::open(file)?.map(|line| {
        let (line, origin) = line?;
        let item = HistoryItem::from_export_line(&line).map_err(|e| InputError(format!("{origin}: {e}")))?;
        if let HistoryItem::Plan(details) = &item {
            check_history_plan(details)
                .map_err(|(field, problem)| InputError(format!("{origin}: {field}: {problem}")))?;
        }
        Ok(item)
    }))
}

/// The bounds a sidecar's plan keeps ([`skillnet_core::limits`]), for a plan read from a
/// history: both backends must refuse the same imports as the same records.
fn check_history_plan(
    details: &skillnet_store::PlanDetails,
) -> Result<(), (String, skillnet_core::limits::Problem)> {
    use skillnet_core::limits;
    let record = PlanRecord {
        plan: details.plan.clone(),
        phases: details.phases.clone(),
        triggers: details.triggers.clone(),
        tags: Vec::new(),
        verification: None,
    };
    limits::check_record(&record)?;
    limits::time(details.recorded_at).map_err(|p| ("recorded_at".to_owned(), p))?;
    for (i, v) in details.verifications.iter().enumerate() {
        limits::check_verification(v).map_err(|(field, p)| (format!("verifications[{i}].{field}"), p))?;
    }
    for tag in &details.tags {
        limits::name(&tag.value).map_err(|p| (format!("tags.{}", tag.key), p))?;
    }
    Ok(())
}

/// Calls `parse` on every non-blank line of `file` (`-` is stdin) with an origin that names the
/// file and the line.
fn read_jsonl<T>(file: &Path, parse: impl Fn(&str, &str) -> anyhow::Result<T>) -> anyhow::Result<Vec<T>> {
    JsonLines::open(file)?.map(|line| line.and_then(|(line, origin)| parse(&line, &origin))).collect()
}

/// The first bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The non-blank lines of a JSON Lines file (`-` is stdin), gzip-compressed or not (a backup is),
/// each with an origin that names the file and the line.
struct JsonLines {
    lines: std::io::Lines<BufReader<Box<dyn Read>>>,
    name: String,
    number: usize,
}

impl JsonLines {
    fn open(file: &Path) -> anyhow::Result<Self> {
        let (reader, name): (Box<dyn Read>, String) = if file == Path::new("-") {
            (Box::new(std::io::stdin().lock()), "stdin".to_owned())
        } else {
            let f = std::fs::File::open(file)
                .map_err(|e| InputError(format!("cannot read {}: {e}", file.display())))?;
            (Box::new(f), file.display().to_string())
        };
        let mut reader = BufReader::new(reader);
        let head = reader.fill_buf().map_err(|e| InputError(format!("cannot read {name}: {e}")))?;
        let reader: Box<dyn Read> = if head.starts_with(&GZIP_MAGIC) {
            Box::new(flate2::bufread::MultiGzDecoder::new(reader))
        } else {
            Box::new(reader)
        };
        Ok(Self { lines: BufReader::new(reader).lines(), name, number: 0 })
    }
}

impl Iterator for JsonLines {
    type Item = anyhow::Result<(String, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = self.lines.next()?;
            self.number += 1;
            let (name, n) = (&self.name, self.number);
            return Some(match line {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => Ok((line, format!("{name} line {n}"))),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    Err(InputError(format!("{name} line {n}: not UTF-8 text")).into())
                }
                // A gzip stream that is cut short or corrupt.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::UnexpectedEof
                    ) =>
                {
                    Err(InputError(format!("{name} line {n}: {e}")).into())
                }
                Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read {name} line {n}"))),
            });
        }
    }
}
