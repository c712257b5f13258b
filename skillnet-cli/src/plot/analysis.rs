//! `calibration analyze --plot`: each trigger's fire rate against its signal rate, over the zones
//! where the analysis proposes to lower, raise or hold its threshold (SPEC §6).
//!
//! The zones are the verdict rules drawn on the plane: *lower* where `signal_rate >= 0.3` (the
//! proposal also needs at least two false negatives, which the plane cannot show, so a trigger
//! there may still hold), *raise* where `signal_rate <= 0` and `fire_rate >= 0.5`, *hold*
//! elsewhere. Each trigger is a filled point coloured by its actual verdict. Triggers with fewer
//! than `min_n` fires have no signal rate: they sit as hollow points on a strip below the plane,
//! placed by fire rate only.

use std::path::Path;

use plotters::prelude::*;
use skillnet_core::analysis::{verdict, AnalysisReport, Confusion, TriggerReport, Verdict};

use super::{write_svg, FONT, GREEN, GREY, RED};

const SIZE: (u32, u32) = (1140, 780);
const HEADER: u32 = 70;
const STRIP: u32 = 150;
/// The legend's column, right of the plane and the strip.
const LEGEND: u32 = 300;
/// Label areas shared by the plane and the strip, so their x axes line up.
const Y_LABEL_AREA: u32 = 70;
const MARGIN: u32 = 20;

/// Fire rates are drawn over this range: 0..1 with room for a point's radius at either end.
const X_RANGE: std::ops::Range<f64> = -0.03..1.03;

/// The signal rate at and above which the analysis lowers a threshold (with FN >= 2).
const LOWER_AT: f64 = 0.3;
/// The fire rate at and above which a non-positive signal raises a threshold.
const RAISE_AT: f64 = 0.5;

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws `report` as an SVG chart in `path` (created or replaced).
pub fn analysis_svg(report: &AnalysisReport, path: &Path) -> anyhow::Result<()> {
    write_svg(path, |svg| draw(report, svg))
}

/// The verdict of one trigger, from its counts and the report's `min_n`, by the core rules.
fn verdict_of(t: &TriggerReport, min_n: u64) -> Verdict {
    let confusion = Confusion {
        true_positives: t.true_positives,
        false_positives: t.false_positives,
        false_negatives: t.false_negatives,
        true_negatives: t.true_negatives,
    };
    verdict(&confusion, min_n).1
}

fn colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Lower => GREEN,
        Verdict::Raise => RED,
        Verdict::Hold | Verdict::TooFew { .. } => GREY,
    }
}

/// A signal-rate tick label: one decimal, and a plain `0` rather than `-0.0`.
fn signal_label(y: &f64) -> String {
    let text = format!("{y:.1}");
    if text == "-0.0" {
        "0.0".to_owned()
    } else {
        text
    }
}

fn draw(report: &AnalysisReport, svg: &mut String) -> anyhow::Result<()> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (header, rest) = root.split_vertically(HEADER);
    let (charts, legend) = rest.split_horizontally(SIZE.0 - LEGEND);
    let (plane, strip) = charts.split_vertically(SIZE.1 - HEADER - STRIP);

    let filter = if report.filter_tags_applied.is_empty() {
        "all verified plans".to_owned()
    } else {
        let tags: Vec<String> = report.filter_tags_applied.iter().map(ToString::to_string).collect();
        format!("verified plans tagged {}", tags.join(" and "))
    };
    header.draw(&Text::new(
        format!("Triggers: fire rate against signal rate (min-n = {})", report.min_n),
        (MARGIN as i32, 12),
        (FONT, 24).into_font().color(&BLACK),
    ))?;
    header.draw(&Text::new(
        format!(
            "{filter}, {} rows. Shaded: where each verdict rule applies; point colour: the \
             trigger's verdict.",
            report.dataset_size
        ),
        (MARGIN as i32, 44),
        (FONT, 13).into_font().color(&GREY),
    ))?;

    let mut chart = ChartBuilder::on(&plane)
        .margin(MARGIN)
        .x_label_area_size(40)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(X_RANGE, -1.05..1.05)?;
    chart
        .configure_mesh()
        .x_desc("fire rate (fires / rows)")
        .y_desc("signal rate ((TP - FP - FN) / (TP + FP + FN))")
        .y_label_formatter(&signal_label)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;

    // The zones, drawn disjoint so that their shades do not mix, each named in a corner.
    let zone = |corners: [(f64, f64); 2], c: RGBColor| Rectangle::new(corners, c.mix(0.16).filled());
    chart.draw_series([
        zone([(0.0, LOWER_AT), (1.0, 1.0)], GREEN),
        zone([(RAISE_AT, -1.0), (1.0, 0.0)], RED),
        zone([(0.0, 0.0), (1.0, LOWER_AT)], GREY),
        zone([(0.0, -1.0), (RAISE_AT, 0.0)], GREY),
    ])?;
    let zone_name = |text: &str, at: (f64, f64), c: RGBColor| {
        Text::new(text.to_owned(), at, (FONT, 18).into_font().color(&c))
    };
    chart.draw_series([
        zone_name("lower", (0.01, 0.99), GREEN),
        zone_name("raise", (0.92, -0.89), RED),
        zone_name("hold", (0.01, -0.89), GREY),
    ])?;

    let judged = report.triggers.iter().filter_map(|t| Some((t, t.signal_rate?)));
    chart.draw_series(judged.map(|(t, signal)| {
        let v = verdict_of(t, report.min_n);
        EmptyElement::at((t.fire_rate.clamp(0.0, 1.0), signal.clamp(-1.0, 1.0)))
            + Circle::new((0, 0), 6, colour(v).filled())
            + Circle::new((0, 0), 6, BLACK.stroke_width(1))
            + Text::new(t.trigger.clone(), (9, -7), (FONT, 13).into_font())
    }))?;

    draw_strip(report, &strip)?;
    draw_legend(report.min_n, &legend)?;
    root.present()?;
    Ok(())
}

/// The strip of triggers without a signal rate (fewer than `min_n` fires), by fire rate.
fn draw_strip(report: &AnalysisReport, strip: &Area<'_>) -> anyhow::Result<()> {
    let mut chart = ChartBuilder::on(strip)
        .margin_left(MARGIN)
        .margin_right(MARGIN)
        .margin_bottom(MARGIN)
        .caption(
            format!(
                "Signal not judged: fewer than min-n = {} fires (hollow points, by fire rate)",
                report.min_n
            ),
            (FONT, 15),
        )
        .x_label_area_size(30)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(X_RANGE, 0.0..1.0)?;
    chart.configure_mesh().disable_mesh().disable_y_axis().label_style((FONT, 14)).draw()?;
    let unjudged: Vec<&TriggerReport> = report.triggers.iter().filter(|t| t.signal_rate.is_none()).collect();
    if unjudged.is_empty() {
        chart.draw_series([Text::new(
            format!("none: every trigger fired at least {} times", report.min_n),
            (0.01, 0.6),
            (FONT, 13).into_font().color(&GREY),
        )])?;
    }
    // Three rows, so that neighbours' names overlap less.
    let rows = [0.8, 0.5, 0.2];
    chart.draw_series(unjudged.iter().enumerate().map(|(i, t)| {
        EmptyElement::at((t.fire_rate.clamp(0.0, 1.0), rows[i % rows.len()]))
            + Circle::new((0, 0), 6, BLACK.stroke_width(2))
            + Text::new(format!("{} (n={})", t.trigger, t.fires), (9, -7), (FONT, 13).into_font())
    }))?;
    Ok(())
}

/// What a legend entry shows in front of its text.
#[derive(Clone, Copy)]
enum Swatch {
    Zone(RGBColor),
    Point(RGBColor),
    Hollow,
}

/// The legend column: the zones and their rules, then the markers.
fn draw_legend(min_n: u64, area: &Area<'_>) -> anyhow::Result<()> {
    let entries: [(Swatch, &str, String); 7] = [
        (Swatch::Zone(GREEN), "lower zone: signal ≥ 0.3", "(lowered only with FN ≥ 2)".into()),
        (Swatch::Zone(RED), "raise zone: signal ≤ 0", "and fire rate ≥ 0.5".into()),
        (Swatch::Zone(GREY), "hold zone: everything else", String::new()),
        (Swatch::Point(GREEN), "trigger, verdict lower", String::new()),
        (Swatch::Point(RED), "trigger, verdict raise", String::new()),
        (Swatch::Point(GREY), "trigger, verdict hold", String::new()),
        (Swatch::Hollow, "trigger with fewer than", format!("min-n = {min_n} fires: not judged")),
    ];
    let text = (FONT, 13).into_font();
    let (x, mut y) = (10, 2 * MARGIN as i32);
    for (swatch, first, second) in entries {
        match swatch {
            Swatch::Zone(c) => {
                area.draw(&Rectangle::new([(x, y - 7), (x + 16, y + 7)], c.mix(0.4).filled()))?
            }
            Swatch::Point(c) => area.draw(&Circle::new((x + 8, y), 6, c.filled()))?,
            Swatch::Hollow => area.draw(&Circle::new((x + 8, y), 6, BLACK.stroke_width(2)))?,
        }
        area.draw(&Text::new(first, (x + 26, y - 8), text.clone()))?;
        if !second.is_empty() {
            y += 17;
            area.draw(&Text::new(second, (x + 26, y - 8), text.clone()))?;
        }
        y += 28;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use skillnet_core::analysis::{build_report, ReportInput, ThresholdSource, TriggerInput};
    use skillnet_core::Tag;

    use super::*;

    fn trigger(name: &str, tp: u64, fp: u64, fn_: u64, tn: u64) -> TriggerInput {
        TriggerInput {
            trigger: name.into(),
            confusion: Confusion {
                true_positives: tp,
                false_positives: fp,
                false_negatives: fn_,
                true_negatives: tn,
            },
            current_threshold: 2.0,
            threshold_source: Some(ThresholdSource::Default),
        }
    }

    /// One trigger per zone and verdict, built with the core report builder (min-n 10).
    fn report(filter_tags: Vec<Tag>) -> AnalysisReport {
        let input = ReportInput {
            analyzed_at: 1_779_624_000,
            min_n: 10,
            filter_tags,
            triggers: vec![
                // Signal (8 - 2 - 2) / 12 = 1/3, FN 2: lower; fire rate 10/20.
                trigger("convergence-point", 8, 2, 2, 8),
                // Signal (6 - 6 - 0) / 12 = 0, fire rate 12/24 = 0.5: raise.
                trigger("hidden-prerequisite", 6, 6, 0, 12),
                // Signal (10 - 0 - 1) / 11 = 0.82 but FN 1: hold, inside the lower zone.
                trigger("long-serial-chain", 10, 0, 1, 9),
                // 3 fires < 10: no signal rate.
                trigger("risk-late-in-plan", 2, 1, 0, 17),
            ],
            bands: vec![],
        };
        build_report(input, |_, _| Ok::<_, Infallible>(vec!["p1".to_owned()])).unwrap()
    }

    #[test]
    fn verdicts_follow_the_core_rules() {
        let r = report(vec![]);
        let verdicts: Vec<Verdict> = r.triggers.iter().map(|t| verdict_of(t, r.min_n)).collect();
        assert_eq!(
            verdicts,
            [Verdict::Lower, Verdict::Raise, Verdict::Hold, Verdict::TooFew { fires: 3, min_n: 10 }]
        );
        assert_eq!(r.triggers[3].signal_rate, None);
    }

    #[test]
    fn draws_triggers_zones_and_the_min_n_strip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("analysis.svg");
        analysis_svg(&report(vec![Tag::new("flavor", "codex").unwrap()]), &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        let texts = crate::plot::tests::texts(&svg);
        for text in [
            // Title and axes.
            "Triggers: fire rate against signal rate (min-n = 10)",
            "verified plans tagged flavor=codex, 84 rows",
            "fire rate (fires / rows)",
            "signal rate",
            // Zones, in the plane and in the legend.
            "lower",
            "raise",
            "hold",
            "lower zone: signal ≥ 0.3",
            "(lowered only with FN ≥ 2)",
            "raise zone: signal ≤ 0",
            "and fire rate ≥ 0.5",
            "hold zone: everything else",
            "min-n = 10 fires: not judged",
            // Every trigger, the unjudged one on the strip with its fires.
            "convergence-point",
            "hidden-prerequisite",
            "long-serial-chain",
            "risk-late-in-plan (n=3)",
            "Signal not judged: fewer than min-n = 10 fires",
        ] {
            assert!(texts.iter().any(|t| t.contains(text)), "missing {text:?} in {texts:#?}");
        }
        for whole in ["lower", "raise", "hold", "convergence-point", "risk-late-in-plan (n=3)"] {
            assert!(texts.iter().any(|t| t == whole), "no text {whole:?} in {texts:#?}");
        }
    }

    #[test]
    fn a_report_where_every_trigger_is_judged_says_so_on_the_strip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("analysis.svg");
        let mut r = report(vec![]);
        r.triggers.retain(|t| t.signal_rate.is_some());
        analysis_svg(&r, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("none: every trigger fired at least 10 times"), "{svg}");
        assert!(svg.contains("all verified plans"), "{svg}");
    }
}
