//! `calibration analyze`: the SPEC §6 analysis, printed as the schema_version 1 JSON document of
//! skillnet 0.6 (exactly as `skillnet_core::analysis::AnalysisReport` serializes) or as tables.
//!
//! The store builds the report in one read transaction; this module only renders it, so every
//! output (tables, JSON, and a plot) is drawn from the same report value.

use skillnet_core::analysis::{format_utc_timestamp, AnalysisReport, ThresholdSource};
use skillnet_store::AnalysisQuery;

use super::Context;
use crate::cli::{AnalyzeArgs, Format};
use crate::output::{self, number, or_dash};

/// Analyses the verified plans and prints the report.
pub fn analyze(ctx: &Context, args: &AnalyzeArgs) -> anyhow::Result<()> {
    let query = AnalysisQuery {
        trigger: args.trigger.clone(),
        filter_tags: super::tags(&args.filter.filter_tags)?,
        min_n: args.filter.min_n,
        analyzed_at: output::now(),
    };
    let report = ctx.store()?.analyze(&query)?;
    if let (Some(trigger), true) = (&args.trigger, report.triggers.is_empty()) {
        output::note(ctx.quiet, format!("no verified plan matching the filters has trigger `{trigger}`"));
    }
    if let Some(path) = &args.plot {
        crate::plot::analysis_svg(&report, path)?;
        output::note(ctx.quiet, format!("wrote the chart to {}", path.display()));
    }
    match args.format.format {
        Format::Json => output::json(&report),
        Format::Table => {
            output::text(render(&report))?;
            if !report.proposals.is_empty() {
                output::note(
                    ctx.quiet,
                    "store a suggestion with `skillnet calibration propose TRIGGER --rationale TEXT`, \
                     or go through them with `skillnet calibration walkthrough`",
                );
            }
            Ok(())
        }
    }
}

/// Where a trigger's threshold comes from, in a few words.
fn source(source: Option<&ThresholdSource>) -> String {
    match source {
        Some(ThresholdSource::Default) => "default".into(),
        Some(ThresholdSource::Override { updated_at, updated_by }) => {
            let by = updated_by.as_deref().map_or_else(
                || "override".to_owned(),
                |by| {
                    by.strip_prefix("proposal:").map_or_else(|| by.to_owned(), |id| format!("proposal {id}"))
                },
            );
            format!("{by} ({} UTC)", format_utc_timestamp(*updated_at))
        }
        // 0.6 wrote `null` for a custom trigger: its threshold is the newest plan's.
        None => "recorded".into(),
    }
}

/// The report as a heading and three sections: triggers, proposals, skew warnings.
pub fn render(r: &AnalysisReport) -> String {
    let mut out = format!(
        "analyzed at {} UTC: {} rows, min-n {}, filter tags: {}\n",
        format_utc_timestamp(r.analyzed_at),
        r.dataset_size,
        r.min_n,
        output::tags(&r.filter_tags_applied)
    );

    let mut triggers = output::table([
        "trigger",
        "fires",
        "misses",
        "fire rate",
        "signal",
        "TP",
        "FP",
        "FN",
        "TN",
        "verdict",
        "threshold",
        "source",
    ]);
    for t in &r.triggers {
        triggers.add_row([
            t.trigger.clone(),
            t.fires.to_string(),
            t.misses.to_string(),
            output::rate(t.fire_rate),
            output::signal(t.signal_rate),
            t.true_positives.to_string(),
            t.false_positives.to_string(),
            t.false_negatives.to_string(),
            t.true_negatives.to_string(),
            t.verdict_text(),
            or_dash(t.current_threshold.map(number)),
            source(t.threshold_source.as_ref()),
        ]);
    }
    if r.triggers.is_empty() {
        out.push_str("no verified plan matches: nothing to analyse\n");
    } else {
        out.push_str(&format!("{triggers}\n"));
    }

    // Section headings as skillnet 0.6 printed them: scripts look for them.
    out.push_str(&format!("\nPROPOSALS ({}):\n", r.proposals.len()));
    if r.proposals.is_empty() {
        out.push_str("none\n");
    } else {
        let mut table =
            output::table(["trigger", "action", "threshold", "fire rate", "signal", "supporting plans"]);
        for p in &r.proposals {
            table.add_row([
                p.trigger.clone(),
                p.action.to_string(),
                format!("{} -> {}", number(p.current_threshold), number(p.proposed_threshold)),
                output::rate(p.fire_rate),
                output::signal(Some(p.signal_rate)),
                plan_ids(&p.supporting_plan_ids),
            ]);
        }
        out.push_str(&format!("{table}\n"));
    }

    out.push_str(&format!("\nSKEW WARNINGS ({}):\n", r.skew_warnings.len()));
    if r.skew_warnings.is_empty() {
        out.push_str("none");
    } else {
        let mut table = output::table(["trigger", "band", "band fires", "band signal", "overall signal"]);
        for w in &r.skew_warnings {
            table.add_row([
                w.trigger.clone(),
                format!("{}={}", w.tag_key, w.tag_value),
                w.band_fires.to_string(),
                output::signal(Some(w.band_signal_rate)),
                output::signal(Some(w.global_signal_rate)),
            ]);
        }
        out.push_str(&table.to_string());
        for w in &r.skew_warnings {
            out.push_str(&format!("\n- {}", w.message));
        }
    }
    out
}

/// Plan ids on one line: the first five, then how many more.
fn plan_ids(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut shown: Vec<String> = ids.iter().take(SHOWN).cloned().collect();
    if ids.len() > SHOWN {
        shown.push(format!("and {} more", ids.len() - SHOWN));
    }
    if shown.is_empty() {
        "-".into()
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_sources_read_plainly() {
        assert_eq!(source(Some(&ThresholdSource::Default)), "default");
        assert_eq!(
            source(Some(&ThresholdSource::accepted_proposal(7, 1_779_624_000))),
            "proposal 7 (2026-05-24 12:00:00 UTC)"
        );
        let manual = ThresholdSource::Override { updated_at: 1_779_624_000, updated_by: None };
        assert_eq!(source(Some(&manual)), "override (2026-05-24 12:00:00 UTC)");
        assert_eq!(source(None), "recorded");
    }

    #[test]
    fn long_lists_of_plan_ids_are_cut() {
        let ids: Vec<String> = (1..=7).map(|i| format!("p{i}")).collect();
        assert_eq!(plan_ids(&ids[..2]), "p1, p2");
        assert_eq!(plan_ids(&ids), "p1, p2, p3, p4, p5, and 2 more");
        assert_eq!(plan_ids(&[]), "-");
    }
}
