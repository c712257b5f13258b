//! The command line, as clap parses it: a plain description of flags and subcommands. The help
//! text of each flag is its `///` comment. Validation and defaults happen in `config` and in
//! each command.

// The `///` comments here are help text for users first; rustdoc may not read their brackets.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Record multi-phase plans and their verifications, and calibrate the heuristics that shape them.
///
/// The database is chosen by the first of: --database-url, SKILLNET_DATABASE_URL,
/// SKILLNET_DATABASE_URL_FILE, the config file's [database] table, SKILLNET_DATA_DIR, and
/// $XDG_DATA_HOME/skillnet/multi-phase-plan/calibration.sqlite (the default: no setup needed).
#[derive(Debug, Parser)]
#[command(name = "skillnet", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Database URL: sqlite://PATH, a PATH ending in .sqlite or .db, or postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// Config file [default: $SKILLNET_CONFIG, else $XDG_CONFIG_HOME/skillnet/skillnet.toml].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print no summaries on stderr, only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record, verify, query and export plans.
    #[command(subcommand)]
    Calibration(CalibrationCommand),
    /// Inspect the resolved configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Check that the database is reachable, migrated and writable.
    Doctor(FormatArg),
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
}

/// `skillnet calibration ...`
#[derive(Debug, Subcommand)]
pub enum CalibrationCommand {
    /// Record plans from their sidecars (<plan-dir>/.calibration.json), in one transaction.
    ///
    /// Recording a plan again replaces its shape, phases, triggers, auto and sidecar tags, and
    /// keeps its verifications and the tags added with `tag`.
    Record(SidecarInput),
    /// Record how executed plans went, from the `verify` block of their sidecars.
    ///
    /// Each verification is appended to the plan's history; the newest counts. Sidecars without
    /// a `verify` block are skipped with a note.
    Verify(SidecarInput),
    /// Show everything stored about one plan.
    Show {
        /// Plan id.
        plan: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// List plans, newest first.
    Query(QueryArgs),
    /// Add user tags to a plan.
    Tag {
        /// Plan id.
        plan: String,
        /// Tags to add, as KEY=VALUE (keys match ^[a-z][a-z0-9_-]*$).
        #[arg(required = true, value_name = "KEY=VALUE")]
        tags: Vec<String>,
    },
    /// Remove tags from a plan (auto tags cannot be removed).
    Untag {
        /// Plan id.
        plan: String,
        /// Tags to remove: KEY=VALUE, or KEY for every value of the key.
        #[arg(required = true, value_name = "KEY[=VALUE]")]
        tags: Vec<String>,
    },
    /// Write the whole history as JSON Lines, one plan per line.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read a history written by `export`, in one transaction (plans with the same id are replaced).
    Import {
        /// JSON Lines file to read, or - for stdin.
        #[arg(long, value_name = "FILE|-")]
        jsonl: PathBuf,
    },
    /// Copy a whole history from one database to another (any two backends), in one
    /// transaction on the target.
    Copy {
        /// Database to read (a URL, as for --database-url).
        #[arg(long, value_name = "URL")]
        from: String,
        /// Database to write (a URL, as for --database-url).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Copy into a target that already holds plans (plans with the same id are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Move one phase of a running plan: start, block, unblock, verify, land, fail, skip, retry.
    ///
    /// Each action moves the phase to a status (start and unblock: running; retry: queued, as a
    /// new attempt); an illegal move exits 5 and lists the legal next statuses.
    Phase {
        /// Plan id.
        plan: String,
        /// The phase's ordinal or slug.
        phase: String,
        /// What happened to it.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(["start", "block", "unblock", "verify", "land", "fail", "skip", "retry"]))]
        action: String,
        /// Why (kept in the transition log).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// When it happened, in unix seconds [default: now].
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<i64>,
    },
    /// Show each phase of a plan with its status, attempt and time in status.
    Status {
        /// Plan id.
        plan: String,
        /// Refresh in place until the plan is done (or Ctrl-C).
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Show how the phases of each routing tier fare: outcomes, retries and time in status.
    ///
    /// Per routing tier of the matching plans: phases, how many landed and failed, retries
    /// (failed -> queued), and the median and 90th percentile (nearest rank) of the time a
    /// phase spends running and verifying each time it enters that status. Stays still under
    /// way are not counted.
    Routing(RoutingArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Reclaim space and refresh the query planner's statistics.
    Vacuum,
}

/// Where sidecars come from.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SidecarInput {
    /// Plan directories (or sidecar files).
    #[arg(value_name = "PLAN_DIR")]
    pub dirs: Vec<PathBuf>,
    /// Read one sidecar per line from this file, or - for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub jsonl: Option<PathBuf>,
}

/// `query` filters.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Only plans with this tag (repeatable; all must match), e.g. --tag flavor=codex.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Only verified plans.
    #[arg(long, conflicts_with = "unverified")]
    pub verified: bool,
    /// Only plans without a verification.
    #[arg(long)]
    pub unverified: bool,
    /// At most this many plans.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `routing` filters and outputs.
#[derive(Debug, Args)]
pub struct RoutingArgs {
    /// Only plans with this tag (repeatable; all must match), e.g. --filter-tag flavor=codex.
    #[arg(long = "filter-tag", value_name = "KEY=VALUE")]
    pub filter_tags: Vec<String>,
    /// Also draw time in status per tier as an SVG chart into this file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `skillnet config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved configuration and where each value came from.
    Show(FormatArg),
}

/// The `--format` flag of listings and reports.
#[derive(Debug, Args, Clone, Copy)]
pub struct FormatArg {
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// Output formats of listings and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// Stable JSON, documented in the README.
    Json,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every command's `--help`, as a user sees it.
    #[test]
    fn help_of_every_command() {
        fn visit(cmd: &mut clap::Command, path: String) {
            let help = cmd.render_long_help().to_string();
            insta::assert_snapshot!(format!("help-{path}"), help);
            for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
                let name = format!("{path}-{}", sub.get_name());
                visit(sub, name);
            }
        }
        let mut cmd = Cli::command().term_width(100);
        cmd.build();
        visit(&mut cmd, "skillnet".into());
    }
}
