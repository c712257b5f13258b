//! Writing results: JSON or tables to stdout, notes to stderr.
//!
//! Every write to stdout goes through these functions so that a closed pipe surfaces as an
//! error (which `main` turns into a quiet exit) instead of a panic.

use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

use comfy_table::{presets, ContentArrangement};
use serde::Serialize;

/// Prints `value` as pretty JSON on stdout.
pub fn json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    // Unwrapped to the `io::Error` it carries, so that a closed pipe is recognised as one.
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Prints `text` on stdout.
pub fn text(text: impl std::fmt::Display) -> anyhow::Result<()> {
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

/// A table as skillnet prints it: columns two spaces apart, no borders and no trailing spaces,
/// so that every row is one line a script can `grep`, `cut` or `awk` (as skillnet 0.6's tables
/// were). Everything of [`comfy_table::Table`] is reachable through it.
pub struct Table(comfy_table::Table);

impl Table {
    fn plain(mut table: comfy_table::Table) -> Self {
        table.load_preset(presets::NOTHING).set_content_arrangement(ContentArrangement::Disabled);
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        Self(table)
    }
}

impl std::ops::Deref for Table {
    type Target = comfy_table::Table;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Table {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.trim_fmt())
    }
}

/// A list with the given column names (printed in capitals, as 0.6's were) and one row per item.
pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = comfy_table::Table::new();
    table.set_header(header.map(str::to_uppercase));
    Table::plain(table)
}

/// Facts about one thing, one `name  value` line each, the first being `key  value` (which says
/// what the thing is).
pub fn facts(key: &str, value: &str) -> Table {
    let mut table = comfy_table::Table::new();
    table.add_row([key, value]);
    Table::plain(table)
}

/// A note on stderr, unless `quiet`.
pub fn note(quiet: bool, message: impl std::fmt::Display) {
    if !quiet {
        let _ = writeln!(std::io::stderr().lock(), "skillnet: {message}");
    }
}

/// A warning on stderr (shown even when quiet).
pub fn warn(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "skillnet: warning: {message}");
}

/// Unix seconds as an RFC 3339 UTC time; a time outside years 1970 to 9999 (which a database
/// written before skillnet bounded times may hold) as its number.
pub fn time(unix: i64) -> String {
    match u64::try_from(unix) {
        Ok(secs) if unix <= skillnet_core::limits::MAX_TIME => {
            humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs)).to_string()
        }
        _ => format!("{unix} (unix seconds)"),
    }
}

/// `value` or a dash.
pub fn or_dash(value: Option<impl std::fmt::Display>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// A number without a useless `.0`.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// A rate between 0 and 1, to two decimals: `0.67`.
pub fn rate(value: f64) -> String {
    format!("{value:.2}")
}

/// A signal rate, signed, to two decimals (`+0.33`, `-1.00`); an em dash while there are too few
/// fires to judge (the JSON's `null`).
pub fn signal(value: Option<f64>) -> String {
    value.map_or_else(|| "\u{2014}".to_owned(), |v| format!("{v:+.2}"))
}

/// Tags as `key=value, key=value`, or `none`.
pub fn tags(tags: &[skillnet_core::Tag]) -> String {
    if tags.is_empty() {
        "none".to_owned()
    } else {
        tags.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// `text` cut to at most `max` characters, the last of them `…` when it was longer.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('\u{2026}');
    short
}

/// A duration in seconds, as `1h 02m`, `3m 04s` or `12s` (negative ones with a minus sign).
pub fn duration(secs: i64) -> String {
    if secs < 0 {
        return format!("-{}", duration(secs.saturating_neg()));
    }
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

/// The current time in unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_numbers_print_plainly() {
        assert_eq!(time(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(time(-5), "-5 (unix seconds)");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(or_dash(None::<i64>), "-");
        assert_eq!(rate(2.0 / 3.0), "0.67");
        assert_eq!(signal(Some(1.0 / 3.0)), "+0.33");
        assert_eq!(signal(Some(-1.0)), "-1.00");
        assert_eq!(signal(Some(0.0)), "+0.00");
        assert_eq!(signal(None), "\u{2014}");
        assert_eq!(tags(&[]), "none");
        assert_eq!(
            tags(&["flavor=codex".parse().unwrap(), "team=core".parse().unwrap()]),
            "flavor=codex, team=core"
        );
    }

    #[test]
    fn long_texts_are_shortened_with_an_ellipsis() {
        assert_eq!(shortened("flavor=codex", 40), "flavor=codex");
        assert_eq!(shortened("abcdef", 6), "abcdef");
        assert_eq!(shortened("abcdefg", 6), "abcde\u{2026}");
        assert_eq!(shortened("äöüäöüä", 4), "äöü\u{2026}");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(61), "1m 01s");
        assert_eq!(duration(3600 + 120), "1h 02m");
        assert_eq!(duration(-61), "-1m 01s");
    }
}
