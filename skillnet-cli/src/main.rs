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
            report(&err);
            exit_codes::classify(&err).into()
        }
    }
}

/// Prints `err` on stderr: one line, then one line per cause. A backtrace only when the user
/// asked for one with `RUST_BACKTRACE`.
fn report(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "skillnet: error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        let _ = writeln!(stderr, "{}", err.backtrace());
    }
}
