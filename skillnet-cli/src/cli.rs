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

    #[command(flatten)]
    pub zero_six: ZeroSixGlobals,

    #[command(subcommand)]
    pub command: Command,
}

/// skillnet 0.6's global flags, taken anywhere on a command line as 0.6 took them, with 0.6's
/// meaning on a calibration or hook command: the skills-manager ones mean nothing there, and
/// `--dry-run` means something only to the commands that declare their own (`calibration
/// walkthrough`, `hook install`: theirs share its id, so clap gives them the flag wherever it
/// stands).
#[derive(Debug, Args)]
pub struct ZeroSixGlobals {
    /// skillnet 0.6's dry run: see each command's own `--dry-run`; no effect on the others.
    #[arg(long, global = true, hide = true)]
    pub dry_run: bool,

    /// skillnet 0.6's mirror root: no effect.
    #[arg(long, global = true, hide = true, value_name = "PATH")]
    pub mirror_root: Option<PathBuf>,

    /// skillnet 0.6's skill catalog configuration: no effect.
    #[arg(long, global = true, hide = true, value_name = "PATH")]
    pub catalog_config: Option<PathBuf>,

    /// skillnet 0.6's permission to write a dirty mirror: no effect.
    #[arg(long, global = true, hide = true)]
    pub allow_dirty_destination: bool,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record, verify, query and export plans, and calibrate the heuristics.
    #[command(subcommand)]
    Calibration(CalibrationCommand),
    /// Inspect the resolved configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Check that the database is reachable, migrated and writable.
    Doctor(TableFormat),
    /// Record the skills an agent harness uses, from Claude Code hooks, and manage those hooks.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Record skill uses from any harness, and report how often each skill is used.
    #[command(subcommand)]
    Usage(UsageCommand),
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
}

impl Command {
    /// Whether this command declares a `--dry-run` of its own (sharing the id of skillnet 0.6's
    /// global one, [`ZeroSixGlobals::dry_run`]); on every other command that flag changes nothing.
    pub fn has_own_dry_run(&self) -> bool {
        matches!(
            self,
            Command::Calibration(CalibrationCommand::Walkthrough(_))
                | Command::Hook(HookCommand::Install { .. })
        )
    }
}

/// `skillnet hook ...`: Claude Code hooks.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Record the skill use a Claude Code hook payload reports (stdin, or --payload-file).
    ///
    /// Meant to run as the hook itself: without --strict it never fails the harness (a broken
    /// payload or an unreachable database is one line on stderr, and exit 0). The session is
    /// $CLAUDE_SESSION_ID, else the payload's; the project directory $CLAUDE_PROJECT_DIR, else
    /// the payload's `cwd`. A use inside the directory of a recorded plan that is not verified
    /// yet is linked to that plan; a retried report (same `tool_use_id`) is stored once.
    Ingest {
        /// The hook event, as Claude Code names it (PostToolUse, SessionEnd, ...).
        #[arg(long, env = "CLAUDE_HOOK_EVENT", hide_env_values = true)]
        event: String,
        /// Read the payload from this file instead of stdin.
        #[arg(long, value_name = "FILE")]
        payload_file: Option<PathBuf>,
        /// Fail with skillnet's exit codes instead of exiting 0 on errors.
        #[arg(long)]
        strict: bool,
    },
    /// Add skillnet's hook entries to a Claude Code settings file, replacing earlier ones.
    ///
    /// Touches nothing else in the file; writes nothing when the result is the same bytes;
    /// keeps one backup of the original (<settings>.bak); refuses a file that is not JSON.
    Install {
        #[command(flatten)]
        settings: SettingsArg,
        /// The hook events to add an entry for.
        #[arg(long, value_delimiter = ',', default_value = "PostToolUse,SessionEnd")]
        events: Vec<String>,
        /// The tool matchers of the entries.
        #[arg(long, value_delimiter = ',', default_value = "Skill")]
        matchers: Vec<String>,
        /// Say what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove skillnet's hook entries from a Claude Code settings file, and nothing else.
    Uninstall {
        #[command(flatten)]
        settings: SettingsArg,
    },
    /// Say whether skillnet's hook entries are installed (exit 1 when they are not).
    Status {
        #[command(flatten)]
        settings: SettingsArg,
    },
}

/// The `--settings` flag of the hook commands.
#[derive(Debug, Args)]
pub struct SettingsArg {
    /// The Claude Code settings file.
    #[arg(long, value_name = "PATH", default_value = "~/.claude/settings.json")]
    pub settings: String,
}

/// `skillnet usage ...`
#[derive(Debug, Subcommand)]
pub enum UsageCommand {
    /// Record one skill use reported by any harness (the harness-neutral form of `hook ingest`).
    ///
    /// A use with the same harness and event id as a recorded one is a retry: nothing changes.
    Record(UsageRecordArgs),
    /// Count the uses of each skill per harness over a window.
    Report(UsageReportArgs),
}

/// `skillnet usage record`
#[derive(Debug, Args)]
pub struct UsageRecordArgs {
    /// The skill used.
    #[arg(long)]
    pub skill: String,
    /// The harness that used it (e.g. claude-code, codex).
    #[arg(long)]
    pub harness: String,
    /// The agent session it was used in.
    #[arg(long)]
    pub session: String,
    /// The harness's id of the event: a report with an id already recorded is a retry.
    #[arg(long)]
    pub event_id: String,
    /// The project directory the agent worked in (links the use to the plan in progress there).
    #[arg(long)]
    pub project: Option<String>,
    /// How the use ended, e.g. ok or error.
    #[arg(long)]
    pub outcome: Option<String>,
    /// When it happened, in unix seconds [default: now].
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
    #[command(flatten)]
    pub format: LineFormat,
}

/// `skillnet usage report`
#[derive(Debug, Args)]
pub struct UsageReportArgs {
    /// The window: a duration back from now (90d, 12h, 2w) or a UTC day (YYYY-MM-DD).
    #[arg(long, default_value = "90d")]
    pub since: String,
    /// Only the uses linked to this plan.
    #[arg(long, value_name = "PLAN_ID")]
    pub plan: Option<String>,
    #[command(flatten)]
    pub format: TableFormat,
}

/// `skillnet calibration ...`
#[derive(Debug, Subcommand)]
pub enum CalibrationCommand {
    /// Write a plan directory's sidecar (<plan-dir>/.calibration.json) from its README and phase
    /// files: the plan's shape, its triggers and the meta-heuristics that fired.
    ///
    /// Reads the thresholds in force and the history from the database when one exists; never
    /// creates or writes one. Refuses to replace an existing sidecar without --force, which keeps
    /// its plan id, creation time, worktype, user tags and verify block.
    Init(InitArgs),
    /// Evaluate the 15 heuristics against a plan directory with the thresholds in force.
    Eval(EvalArgs),
    /// Say which meta-heuristics fire for a plan directory: reasons to record it.
    MetaHeuristics(MetaArgs),
    /// Print the shape hash of a plan directory (needs no database).
    ShapeHash {
        /// The plan directory.
        plan_dir: PathBuf,
    },
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
        format: JsonFormat,
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
        /// Write to this file instead of stdout (never over an existing file).
        #[arg(long, short, alias = "out", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read a history written by `export`, in one transaction (plans with the same id are replaced).
    Import {
        /// JSON Lines file to read, or - for stdin.
        #[arg(long, value_name = "FILE|-")]
        jsonl: PathBuf,
    },
    /// Write a snapshot of the whole history to a new file, while other processes go on writing.
    ///
    /// The file is gzip-compressed JSON Lines: `gunzip` gives what `export` writes. It is taken
    /// in one read transaction, so it holds the history as it was at one moment (no plan half
    /// written), and it is moved into place only when complete. `restore` reads it on either
    /// backend.
    Backup {
        /// The file to write (never over an existing file).
        #[arg(value_name = "FILE")]
        path: PathBuf,
    },
    /// Restore a backup (or an export) into an empty database, in one transaction.
    Restore {
        /// The backup to read.
        #[arg(value_name = "FILE")]
        path: PathBuf,
        /// Restore into a database that already holds a history (items with the same ids are
        /// replaced).
        #[arg(long)]
        force: bool,
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
        format: TableFormat,
    },
    /// Judge every heuristic over the verified plans and suggest threshold moves.
    ///
    /// Only plans with a verification count, the newest one for each. --format json prints the
    /// schema_version 1 document of skillnet 0.6 (see the README). Reads only.
    Analyze(AnalyzeArgs),
    /// Store a pending proposal to move one trigger's threshold, with the analysis as evidence.
    ///
    /// The proposed threshold is --threshold, else the analysis's one-notch move (0.5 for the
    /// ratio heuristic trivial-phase-swamp, 1 otherwise). Decide it with `decide`.
    Propose(ProposeArgs),
    /// List threshold proposals, oldest first.
    Proposals(ProposalsArgs),
    /// Accept, reject or withdraw a pending proposal.
    ///
    /// Accepting makes the proposed threshold the active one, in the same transaction, and
    /// supersedes the proposal accepted before it for the same trigger and filter tags. Accepting
    /// an accepted proposal changes nothing; any other decision on a decided proposal exits 5.
    Decide(DecideArgs),
    /// Print the accepted threshold changes as Markdown, newest decision first, ready to paste
    /// into a skill's changelog.
    ///
    /// Proposals accepted and later superseded are included, marked as such: they were in force
    /// for a while. Reads only.
    ExportChangelog {
        /// Only changes decided on or after this day: YYYY-MM-DD (UTC) or unix seconds.
        #[arg(long, value_name = "DATE", value_parser = crate::dates::parse_date)]
        since: Option<i64>,
    },
    /// Go through the analysis's suggestions one by one: accept, skip, or refine the filter tags.
    ///
    /// Each accepted suggestion is stored as a proposal and accepted at once, with the rationale
    /// given. Asks on the terminal (prompts on stderr, answers from stdin), or takes the answers
    /// from --non-interactive --decisions FILE. Ends with the changelog of the accepted changes:
    /// all of them, or those since --since or since the newest entry of a --skill-md file.
    Walkthrough(WalkthroughArgs),
    /// Show the heuristic catalog and the thresholds in force (reads only).
    #[command(subcommand)]
    Heuristics(HeuristicsCommand),
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

/// `init` flags.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Plan directories (README.md with the phase table, one file per phase).
    #[arg(required = true, value_name = "PLAN_DIR")]
    pub plan_dirs: Vec<PathBuf>,
    /// Print the sidecar instead of writing it.
    #[arg(long)]
    pub stdout: bool,
    /// Replace an existing sidecar, keeping its id, creation time, worktype, user tags and verify
    /// block.
    #[arg(long)]
    pub force: bool,
    /// Do not read the database: catalog thresholds, and no history-based meta-heuristics.
    #[arg(long)]
    pub offline: bool,
}

/// `eval` flags.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The plan directory.
    pub plan_dir: PathBuf,
    #[command(flatten)]
    pub format: JsonFormat,
    /// Do not read the database: catalog thresholds.
    #[arg(long)]
    pub offline: bool,
}

/// `meta-heuristics` flags.
#[derive(Debug, Args)]
pub struct MetaArgs {
    /// The plan directory.
    pub plan_dir: PathBuf,
    /// A sidecar (or a bare verify block, or an empty file) whose verify block the verify-time
    /// meta-heuristics read.
    #[arg(long, value_name = "PATH")]
    pub sidecar: Option<PathBuf>,
    /// Do not read the database: catalog thresholds, and no history-based meta-heuristics.
    #[arg(long)]
    pub offline: bool,
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
    /// At most this many plans, the newest [default: 100].
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Only plans evaluated against this trigger (heuristic).
    #[arg(long, value_name = "NAME")]
    pub trigger: Option<String>,
    /// With --trigger: only plans where it fired.
    #[arg(long, requires = "trigger", conflicts_with = "missed")]
    pub fired: bool,
    /// With --trigger: only plans where it did not fire.
    #[arg(long, requires = "trigger")]
    pub missed: bool,
    #[command(flatten)]
    pub format: TableFormat,
}

/// What the analysis looks at: shared by `analyze`, `propose` and `walkthrough`.
#[derive(Debug, Args)]
pub struct AnalysisFilter {
    /// Only plans with this tag (repeatable; all must match), e.g. --filter-tag flavor=codex.
    #[arg(long = "filter-tag", value_name = "KEY=VALUE")]
    pub filter_tags: Vec<String>,
    /// Judge a trigger only once it has fired at least N times.
    #[arg(long, value_name = "N", default_value_t = skillnet_core::analysis::DEFAULT_MIN_N)]
    pub min_n: u64,
}

/// `analyze` flags.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Only this trigger (heuristic).
    #[arg(long, value_name = "NAME")]
    pub trigger: Option<String>,
    #[command(flatten)]
    pub filter: AnalysisFilter,
    /// Also draw fire rate against signal rate per trigger, with the proposal zones, as an SVG
    /// chart into this file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub format: TableFormat,
}

/// `propose` flags.
#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// The trigger (heuristic) whose threshold should move.
    #[arg(required_unless_present = "trigger_flag", conflicts_with = "trigger_flag")]
    pub trigger: Option<String>,
    /// The trigger, given as skillnet 0.6 took it.
    #[arg(long = "trigger", id = "trigger_flag", value_name = "NAME", hide = true)]
    pub trigger_flag: Option<String>,
    #[command(flatten)]
    pub filter: AnalysisFilter,
    /// The threshold to propose [default: the analysis's one-notch move].
    #[arg(long, alias = "new-threshold", value_name = "X")]
    pub threshold: Option<f64>,
    /// The plans that support the change, comma-separated [default: the ones the analysis
    /// names].
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub supporting_plan_ids: Vec<String>,
    /// Why (kept with the proposal, beside the decision's own rationale).
    #[arg(long, value_name = "TEXT")]
    pub rationale: String,
    /// When it was proposed, in unix seconds [default: now].
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
    #[command(flatten)]
    pub format: LineFormat,
}

/// `proposals` flags.
#[derive(Debug, Args)]
pub struct ProposalsArgs {
    #[command(flatten)]
    pub state: StateFilter,
    #[command(flatten)]
    pub format: TableFormat,
}

/// Which proposals to list: one state, or all.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct StateFilter {
    /// Only proposals waiting for a decision.
    #[arg(long)]
    pub pending: bool,
    /// Only accepted proposals (their thresholds are in force).
    #[arg(long)]
    pub accepted: bool,
    /// Only rejected proposals.
    #[arg(long)]
    pub rejected: bool,
    /// Only proposals replaced by a newer accepted one.
    #[arg(long)]
    pub superseded: bool,
    /// Only withdrawn proposals.
    #[arg(long)]
    pub withdrawn: bool,
}

/// `decide` flags.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The proposal's id (see `proposals`).
    pub id: i64,
    /// The decision.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(["accept", "reject", "withdraw"]))]
    pub decision: String,
    /// Why (kept beside the proposal's own rationale).
    #[arg(long, value_name = "TEXT")]
    pub rationale: String,
    /// When it was decided, in unix seconds [default: now].
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
    #[command(flatten)]
    pub format: LineFormat,
}

/// `walkthrough` flags.
#[derive(Debug, Args)]
pub struct WalkthroughArgs {
    #[command(flatten)]
    pub filter: AnalysisFilter,
    /// Ask on the terminal even when skillnet would not (stdin must be a terminal).
    #[arg(long, conflicts_with = "non_interactive")]
    pub interactive: bool,
    /// Ask nothing: take the decisions from --decisions FILE, and skip every suggestion it does
    /// not decide (all of them without a file). The default when stdin is not a terminal.
    #[arg(long)]
    pub non_interactive: bool,
    /// JSON file of decisions: [{"trigger", "decision": "accept"|"skip"|"refine"|"quit",
    /// "rationale", "filter_tags": [{"key", "value"}]}] (see the README).
    #[arg(long, value_name = "FILE", requires = "non_interactive")]
    pub decisions: Option<PathBuf>,
    /// Show what would be accepted, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The closing changelog lists the changes decided on or after this day: YYYY-MM-DD (UTC) or
    /// unix seconds [default: all of them].
    #[arg(long, value_name = "DATE", value_parser = crate::dates::parse_date)]
    pub since: Option<i64>,
    /// Without --since: the closing changelog starts on the day of the newest changelog entry of
    /// this SKILL.md.
    #[arg(long, value_name = "FILE")]
    pub skill_md: Option<PathBuf>,
    /// When the proposals are made and accepted, in unix seconds [default: now].
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
}

/// `skillnet calibration heuristics ...`
#[derive(Debug, Subcommand)]
pub enum HeuristicsCommand {
    /// List the 15 catalog heuristics with their default and active thresholds, and custom
    /// triggers that have an accepted threshold.
    List {
        /// Only heuristics of this category.
        #[arg(long, value_name = "CATEGORY", value_parser = clap::builder::PossibleValuesParser::new(["coordination", "risk", "plan-shape", "quality-lint"]))]
        category: Option<String>,
        #[command(flatten)]
        format: TableFormat,
    },
    /// Show one heuristic: its catalog entry, the thresholds in force (overall and under filter
    /// tags) and its proposals.
    Show {
        /// The heuristic (trigger) name.
        name: String,
        #[command(flatten)]
        format: JsonFormat,
    },
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
    pub format: TableFormat,
}

/// `skillnet config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved configuration and where each value came from.
    Show(TableFormat),
}

/// The `--format` flag of a listing or report that prints a table unless asked otherwise. Each
/// command keeps skillnet 0.6's default, whether or not stdout is a terminal, so scripts written
/// for 0.6 read what they always read.
#[derive(Debug, Args, Clone, Copy)]
pub struct TableFormat {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The `--format` flag of a command that prints JSON unless asked otherwise.
#[derive(Debug, Args, Clone, Copy)]
pub struct JsonFormat {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// The `--format` flag of a command that confirms what it did in one line unless asked for more.
#[derive(Debug, Args, Clone, Copy)]
pub struct LineFormat {
    /// Print the whole result as a table or as JSON [default: one confirmation line].
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
