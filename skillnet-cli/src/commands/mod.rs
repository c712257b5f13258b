//! One module per group of subcommands; [`run`] dispatches.
//!
//! Commands receive a [`Context`] that resolves the configuration and opens the store on
//! demand, so `completions` and `man` work without any database.

mod analyze;
mod backup;
mod changelog;
mod config;
mod front_half;
mod heuristics;
mod history;
mod hook;
mod hook_settings;
mod phases;
mod plans;
mod proposals;
mod record;
mod routing;
mod tags;
mod usage;
mod walkthrough;

use anyhow::Context as _;
use clap::CommandFactory;
use skillnet_store::{CalibrationStore, OpenOptions};

use crate::cli::{CalibrationCommand, Cli, Command, ConfigCommand, HeuristicsCommand, UsageCommand};
use crate::config::Resolved;
use crate::output;

/// What every command may need: the flags that apply to all of them, and the way to the store.
pub struct Context {
    cli_url: Option<String>,
    cli_config: Option<std::path::PathBuf>,
    /// `--quiet`.
    pub quiet: bool,
}

impl Context {
    /// Resolves the configuration, printing its warnings.
    pub fn resolve(&self) -> anyhow::Result<Resolved> {
        let resolved =
            crate::config::resolve_from_process(self.cli_url.as_deref(), self.cli_config.as_deref())?;
        for warning in &resolved.warnings {
            output::warn(warning);
        }
        Ok(resolved)
    }

    /// Opens the configured store, applying pending migrations.
    pub fn store(&self) -> anyhow::Result<Box<dyn CalibrationStore>> {
        self.store_with(&OpenOptions::default())
    }

    /// Opens the configured store with `options`.
    pub fn store_with(&self, options: &OpenOptions) -> anyhow::Result<Box<dyn CalibrationStore>> {
        self.store_at(&self.resolve()?, options)
    }

    /// Opens the store of an already resolved configuration with `options`.
    pub fn store_at(
        &self,
        resolved: &Resolved,
        options: &OpenOptions,
    ) -> anyhow::Result<Box<dyn CalibrationStore>> {
        let store = skillnet_store::open_with(&resolved.url, options)
            .with_context(|| format!("cannot open the database chosen by {}", resolved.source))?;
        if let Some(adoption) = store.adoption() {
            adopted(&*store, &adoption);
        }
        Ok(store)
    }
}

/// Says on stderr (quiet or not: it changed the database) that a skillnet 0.6 database was
/// adopted, and where its backup is.
fn adopted(store: &dyn CalibrationStore, adoption: &skillnet_store::Adoption) {
    let backup = adoption
        .backup
        .as_ref()
        .map_or_else(String::new, |path| format!("; the 0.6 file is backed up at {}", path.display()));
    output::warn(format!(
        "adopted the skillnet 0.6 database {} in place ({}){backup}",
        store.url(),
        count(usize::try_from(adoption.plans).unwrap_or_default(), "plan")
    ));
    if !adoption.readings.is_empty() {
        let read: Vec<String> = adoption
            .readings
            .iter()
            .map(|r| {
                let rows = count(usize::try_from(r.rows).unwrap_or_default(), "row");
                match &r.read_as {
                    Some(read_as) => format!("{} `{}` ({rows}) as `{read_as}`", r.field, r.written),
                    None => format!("{} `{}` ({rows}) left out", r.field, r.written),
                }
            })
            .collect();
        let tag_note = match adoption.readings.iter().any(|r| r.field == "outcome") {
            true => "; each plan's `outcome` tag keeps the outcome written",
            false => "",
        };
        output::warn(format!(
            "0.6 kept values skillnet does not allow; they read as: {}{tag_note}",
            read.join("; ")
        ));
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if cli.zero_six.dry_run && !cli.command.has_own_dry_run() {
        output::warn(
            "--dry-run changes nothing here, as in skillnet 0.6: only `calibration walkthrough` and \
             `hook install` take it",
        );
    }
    let ctx = Context { cli_url: cli.database_url, cli_config: cli.config, quiet: cli.quiet };
    match cli.command {
        Command::Calibration(command) => match command {
            CalibrationCommand::Init(args) => front_half::init(&ctx, &args),
            CalibrationCommand::Eval(args) => front_half::eval(&ctx, &args),
            CalibrationCommand::MetaHeuristics(args) => front_half::meta_heuristics(&ctx, &args),
            CalibrationCommand::ShapeHash { plan_dir } => front_half::shape_hash_of(&plan_dir),
            CalibrationCommand::Record(input) => record::record(&ctx, &input),
            CalibrationCommand::Verify(input) => record::verify(&ctx, &input),
            CalibrationCommand::Show { plan, format } => plans::show(&ctx, &plan, format.format),
            CalibrationCommand::Query(args) => plans::query(&ctx, &args),
            CalibrationCommand::Tag { plan, tags } => tags::tag(&ctx, &plan, &tags),
            CalibrationCommand::Untag { plan, tags } => tags::untag(&ctx, &plan, &tags),
            CalibrationCommand::Export { format: _, output } => history::export(&ctx, output.as_deref()),
            CalibrationCommand::Import { jsonl } => history::import(&ctx, &jsonl),
            CalibrationCommand::Copy { from, to, force } => history::copy(&ctx, &from, &to, force),
            CalibrationCommand::Backup { path } => backup::backup(&ctx, &path),
            CalibrationCommand::Restore { path, force } => backup::restore(&ctx, &path, force),
            CalibrationCommand::Phase { plan, phase, action, note, at } => {
                phases::move_phase(&ctx, &plan, &phase, &action, note.as_deref(), at)
            }
            CalibrationCommand::Status { plan, watch, format } => {
                phases::status(&ctx, &plan, watch, format.format)
            }
            CalibrationCommand::Analyze(args) => analyze::analyze(&ctx, &args),
            CalibrationCommand::Propose(args) => proposals::propose(&ctx, &args),
            CalibrationCommand::Proposals(args) => proposals::list(&ctx, &args),
            CalibrationCommand::Decide(args) => proposals::decide(&ctx, &args),
            CalibrationCommand::ExportChangelog { since } => changelog::export(&ctx, since),
            CalibrationCommand::Walkthrough(args) => walkthrough::walkthrough(&ctx, &args),
            CalibrationCommand::Heuristics(HeuristicsCommand::List { category, format }) => {
                heuristics::list(&ctx, category.as_deref(), format.format)
            }
            CalibrationCommand::Heuristics(HeuristicsCommand::Show { name, format }) => {
                heuristics::show(&ctx, &name, format.format)
            }
            CalibrationCommand::Routing(args) => routing::routing(&ctx, &args),
            CalibrationCommand::Migrate => config::migrate(&ctx),
            CalibrationCommand::Vacuum => config::vacuum(&ctx),
        },
        Command::Config(ConfigCommand::Show(format)) => config::show(&ctx, format.format),
        Command::Doctor(format) => config::doctor(&ctx, format.format),
        Command::Hook(command) => hook::run(&ctx, &command),
        Command::Usage(UsageCommand::Record(args)) => usage::record(&ctx, &args),
        Command::Usage(UsageCommand::Report(args)) => usage::report(&ctx, &args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "skillnet", &mut out);
            write_stdout(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            write_stdout(&out)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Parses a plan id given on the command line.
pub fn plan_id(text: &str) -> anyhow::Result<skillnet_core::PlanId> {
    skillnet_core::PlanId::new(text).map_err(|e| crate::input::InputError(e.to_string()).into())
}

/// Parses `KEY=VALUE` tags given on the command line.
pub fn tags(texts: &[String]) -> anyhow::Result<Vec<skillnet_core::Tag>> {
    let tags = texts
        .iter()
        .map(|t| {
            t.parse().map_err(|e: skillnet_core::tag::InvalidTag| crate::input::InputError(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

/// A trigger's fires and misses with the right words: `1 fire, 2 misses`.
pub fn fires_and_misses(fires: u64, misses: u64) -> String {
    let misses = if misses == 1 { "1 miss".to_owned() } else { format!("{misses} misses") };
    format!("{}, {misses}", count(usize::try_from(fires).unwrap_or(usize::MAX), "fire"))
}

/// How many things, with the right word: `1 plan`, `3 plans`.
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_word() {
        assert_eq!(count(1, "plan"), "1 plan");
        assert_eq!(count(0, "plan"), "0 plans");
        assert_eq!(fires_and_misses(1, 1), "1 fire, 1 miss");
        assert_eq!(fires_and_misses(2, 0), "2 fires, 0 misses");
    }
}
