//! `skillnet`: the command-line front of the skillnet calibration store.
//!
//! `main` parses the flags and calls [`commands::run`]; every failure comes back as an error whose chain
//! decides the exit code ([`exit_codes`]) and is printed as one line plus its causes. The work
//! itself lives in `skillnet-core` and `skillnet-store`; this crate resolves the configuration,
//! reads input files and renders output.

mod cli;
mod commands;
mod config;
mod dates;
mod exit_codes;
mod input;
mod output;
mod plot;
mod progress;

use std::io::Write;

use clap::Parser;

use crate::exit_codes::ExitCode;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::Success.into(),
        Err(err) if exit_codes::is_broken_pipe(&err) => ExitCode::Success.into(),
        Err(err) if err.is::<exit_codes::QuietExit>() => exit_codes::classify(&err).into(),
        Err(err) => {
            let code = exit_codes::classify(&err);
            let backtrace = code == ExitCode::Failure && backtrace_asked_for();
            let _ = report(&err, backtrace, &mut std::io::stderr().lock());
            code.into()
        }
    }
}

/// Whether the user asked for backtraces (`RUST_BACKTRACE` set, and not to `0`).
fn backtrace_asked_for() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0")
}

/// Writes `err` to `out`: one line, then one line per cause, then the backtrace when `backtrace`.
/// Only an unexpected failure (exit 1) gets one: a bad input, a missing plan or an unreachable
/// database is the user's to fix, and its message says everything a backtrace would.
fn report(err: &anyhow::Error, backtrace: bool, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "skillnet: error: {err}")?;
    for cause in err.chain().skip(1) {
        writeln!(out, "  caused by: {cause}")?;
    }
    if backtrace {
        writeln!(out, "{}", err.backtrace())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::report;

    fn reported(err: &anyhow::Error, backtrace: bool) -> String {
        let mut out = Vec::new();
        report(err, backtrace, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_error_is_one_line_and_a_line_per_cause() {
        let err = anyhow::anyhow!("disk full").context("cannot write the sidecar");
        assert_eq!(
            reported(&err, false),
            "skillnet: error: cannot write the sidecar\n  caused by: disk full\n"
        );
    }

    #[test]
    fn a_backtrace_follows_the_causes_only_when_asked_for() {
        let err = anyhow::anyhow!("boom");
        let with = reported(&err, true);
        assert!(with.starts_with("skillnet: error: boom\n") && with.lines().count() > 1, "{with}");
    }
}
