//! `calibration routing`: how the phases of each routing tier fare, as a table, JSON, and
//! optionally an SVG chart.

use anyhow::Context as _;
use skillnet_core::{RoutingStats, StayStats};

use super::{count, Context};
use crate::cli::{Format, RoutingArgs};
use crate::output::{self, or_dash};

/// Prints the routing report of the plans matching the filter tags, and draws it if asked.
pub fn routing(ctx: &Context, args: &RoutingArgs) -> anyhow::Result<()> {
    let filter = super::tags(&args.filter_tags).context("bad --filter-tag")?;
    let stats = ctx.store()?.routing(&filter)?;
    // The chart first: if it cannot be written, the command fails before printing anything.
    if let Some(path) = &args.plot {
        crate::plot::routing_svg(&stats, path)?;
        output::note(ctx.quiet, format!("wrote the routing chart to {}", path.display()));
    }
    match args.format.format {
        Format::Json => output::json(&stats),
        Format::Table => {
            output::text(render(&stats))?;
            output::note(ctx.quiet, count(stats.tiers.len(), "routing tier"));
            Ok(())
        }
    }
}

fn render(stats: &RoutingStats) -> String {
    let mut table = output::table([
        "tier",
        "phases",
        "landed",
        "failed",
        "retries",
        "running n",
        "running median",
        "running p90",
        "verifying n",
        "verifying median",
        "verifying p90",
    ]);
    for t in &stats.tiers {
        let mut row = vec![
            t.routing_tier.clone(),
            t.phases.to_string(),
            t.landed.to_string(),
            t.failed.to_string(),
            t.retries.to_string(),
        ];
        for s in [t.running, t.verifying] {
            row.extend(stay_cells(s));
        }
        table.add_row(row);
    }
    table.to_string()
}

fn stay_cells(s: StayStats) -> [String; 3] {
    [
        s.samples.to_string(),
        or_dash(s.median_seconds.map(output::duration)),
        or_dash(s.p90_seconds.map(output::duration)),
    ]
}

#[cfg(test)]
mod tests {
    use skillnet_core::TierStats;

    use super::*;

    #[test]
    fn the_table_shows_durations_and_dashes_for_missing_percentiles() {
        let stats = RoutingStats {
            filter_tags: vec![],
            tiers: vec![TierStats {
                routing_tier: "high".into(),
                phases: 4,
                landed: 2,
                failed: 1,
                retries: 3,
                running: StayStats { samples: 6, median_seconds: Some(80), p90_seconds: Some(3_720) },
                verifying: StayStats::default(),
            }],
        };
        let text = render(&stats);
        let row = text.lines().find(|l| l.contains("high")).unwrap();
        let cells: Vec<&str> = row.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(cells, ["high", "4", "2", "1", "3", "6", "1m 20s", "1h 02m", "0", "-", "-"]);
    }
}
