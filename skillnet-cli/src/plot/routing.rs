//! `calibration routing --plot`: time in status per routing tier.
//!
//! One group per tier, two bars per group: `running` and `verifying`. A bar reaches the median
//! stay, a whisker with a cap reaches the 90th percentile, and `n=` above it says how many
//! ended stays they summarise. The unit (seconds, minutes or hours) follows the longest p90.

use std::path::Path;

use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use skillnet_core::{RoutingStats, StayStats};

use super::{write_svg, BLUE, FONT, GREY, ORANGE};

const SIZE: (u32, u32) = (960, 600);

/// The width of one tier's slot on the x axis. The axis counts thousandths of a slot: plotters
/// formats labels at chosen key points only on integer axes.
const SLOT: i32 = 1_000;

/// The two statuses drawn per tier: name, colour, and where the bar sits in the tier's slot.
const STATUSES: [(&str, RGBColor, (i32, i32)); 2] =
    [("running", BLUE, (140, 480)), ("verifying", ORANGE, (520, 860))];

/// The unit the y axis counts in: its name and its length in seconds.
fn unit(longest_seconds: i64) -> (&'static str, f64) {
    match longest_seconds {
        s if s >= 2 * 3600 => ("hours", 3600.0),
        s if s >= 2 * 60 => ("minutes", 60.0),
        _ => ("seconds", 1.0),
    }
}

/// Draws `stats` as an SVG chart in `path` (created or replaced).
pub fn routing_svg(stats: &RoutingStats, path: &Path) -> anyhow::Result<()> {
    write_svg(path, |svg| draw(stats, svg))
}

type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<WithKeyPoints<RangedCoordi32>, RangedCoordf64>>;

/// How one status's stays are drawn: in this unit, over this span of the y axis.
struct Scale {
    unit_seconds: f64,
    span: f64,
}

impl Scale {
    fn y(&self, seconds: i64) -> f64 {
        seconds as f64 / self.unit_seconds
    }
}

fn draw(stats: &RoutingStats, svg: &mut String) -> anyhow::Result<()> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let stays = |i: usize| [stats.tiers[i].running, stats.tiers[i].verifying];
    let values: Vec<i64> = (0..stats.tiers.len())
        .flat_map(stays)
        .flat_map(|s| [s.median_seconds, s.p90_seconds])
        .flatten()
        .collect();
    let longest = values.iter().copied().max().unwrap_or(0);
    let (unit_name, unit_seconds) = unit(longest);
    // Lengths are never negative unless a clock went back; keep such ones visible.
    let low = values.iter().copied().min().unwrap_or(0).min(0) as f64 / unit_seconds;
    let high = (longest as f64 / unit_seconds * 1.3).max(low + 1.0);
    let scale = Scale { unit_seconds, span: high - low };
    let slots = stats.tiers.len().max(1) as i32;

    let filter = if stats.filter_tags.is_empty() {
        "all plans".to_owned()
    } else {
        let tags: Vec<String> = stats.filter_tags.iter().map(ToString::to_string).collect();
        format!("plans tagged {}", tags.join(" and "))
    };
    let (header, body) = root.split_vertically(70);
    header.draw(&Text::new(
        "Time in status per routing tier",
        (20, 12),
        (FONT, 24).into_font().color(&BLACK),
    ))?;
    header.draw(&Text::new(
        format!(
            "{filter}. Bar: median stay; whisker: 90th percentile (nearest rank); n: ended stays \
             (stays still under way are not counted)."
        ),
        (20, 44),
        (FONT, 13).into_font().color(&GREY),
    ))?;

    let tier_names: Vec<&str> = stats.tiers.iter().map(|t| t.routing_tier.as_str()).collect();
    let x_label = |x: &i32| {
        usize::try_from(x / SLOT)
            .ok()
            .and_then(|i| tier_names.get(i))
            .map_or_else(String::new, |t| (*t).to_owned())
    };
    let mut chart =
        ChartBuilder::on(&body).margin(20).x_label_area_size(50).y_label_area_size(70).build_cartesian_2d(
            (0..slots * SLOT).with_key_points((0..slots).map(|i| i * SLOT + SLOT / 2).collect()),
            low..high,
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&x_label)
        .x_desc("routing tier")
        .y_desc(format!("time in status ({unit_name})"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;

    if values.is_empty() {
        chart.draw_series([Text::new(
            "no ended stays in running or verifying yet",
            (slots * SLOT / 2 - SLOT * 2 / 5, (low + high) / 2.0),
            (FONT, 16).into_font().color(&GREY),
        )])?;
    }
    for (index, (status, color, (left, right))) in STATUSES.into_iter().enumerate() {
        let bars = (0..stats.tiers.len()).filter_map(|i| {
            let median = scale.y(stays(i)[index].median_seconds?);
            let x = i as i32 * SLOT;
            Some(Rectangle::new([(x + left, 0.0), (x + right, median)], color.mix(0.85).filled()))
        });
        chart
            .draw_series(bars)?
            .label(status)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
        for i in 0..stats.tiers.len() {
            whisker(&mut chart, i as i32 * SLOT + (left + right) / 2, stays(i)[index], &scale)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font((FONT, 14))
        .draw()?;
    root.present()?;
    Ok(())
}

/// The p90 whisker of the bar centred at `x`, with its cap and the sample count above it; only
/// `n=0` on the axis when there are no samples.
fn whisker(chart: &mut Chart<'_, '_>, x: i32, s: StayStats, scale: &Scale) -> anyhow::Result<()> {
    let label = format!("n={}", s.samples);
    let (Some(median), Some(p90)) = (s.median_seconds, s.p90_seconds) else {
        let style = (FONT, 12).into_font().color(&GREY);
        chart.draw_series([Text::new(label, (x - 60, scale.span * 0.03), style)])?;
        return Ok(());
    };
    let (median, p90) = (scale.y(median), scale.y(p90));
    let line = BLACK.stroke_width(2);
    chart.draw_series([
        PathElement::new(vec![(x, median), (x, p90)], line),
        PathElement::new(vec![(x - 70, p90), (x + 70, p90)], line),
    ])?;
    let style = (FONT, 12).into_font().color(&BLACK);
    chart.draw_series([Text::new(label, (x - 60, p90 + scale.span * 0.05), style)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use skillnet_core::{Tag, TierStats};

    use super::*;

    fn tier(name: &str, running: StayStats, verifying: StayStats) -> TierStats {
        TierStats {
            routing_tier: name.into(),
            phases: 3,
            landed: 1,
            failed: 1,
            retries: 1,
            running,
            verifying,
        }
    }

    #[test]
    fn units_follow_the_longest_p90() {
        assert_eq!(unit(0), ("seconds", 1.0));
        assert_eq!(unit(119), ("seconds", 1.0));
        assert_eq!(unit(120), ("minutes", 60.0));
        assert_eq!(unit(7199), ("minutes", 60.0));
        assert_eq!(unit(7200), ("hours", 3600.0));
    }

    #[test]
    fn draws_every_tier_with_titled_axes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("routing.svg");
        let some =
            |n, median, p90| StayStats { samples: n, median_seconds: Some(median), p90_seconds: Some(p90) };
        let stats = RoutingStats {
            filter_tags: vec![Tag::new("team", "core").unwrap()],
            tiers: vec![
                tier("low", some(4, 600, 1_800), some(4, 120, 300)),
                tier("high", some(6, 3_000, 9_000), StayStats::default()),
                tier("x<&>", StayStats::default(), StayStats::default()),
            ],
        };
        routing_svg(&stats, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        let texts = crate::plot::tests::texts(&svg);
        for text in [
            "Time in status per routing tier",
            "low",
            "high",
            "x<&>",
            "routing tier",
            "time in status (hours)",
            "running",
            "verifying",
            "n=6",
            "n=0",
        ] {
            assert!(texts.iter().any(|t| t == text), "no text {text:?} in {texts:#?}");
        }
        assert!(texts.iter().any(|t| t.starts_with("plans tagged team=core.")), "{texts:#?}");
        assert!(svg.contains("x&lt;&amp;&gt;"), "escaped in the SVG");
        // Two bars for low, one for high: three filled rectangles in the status colours.
        let bars = svg.matches("fill=\"#1F77B4\"").count() + svg.matches("fill=\"#FF7F0E\"").count();
        assert!(bars >= 3, "{bars} bars in\n{svg}");
    }

    #[test]
    fn an_empty_report_still_draws_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.svg");
        routing_svg(&RoutingStats { filter_tags: vec![], tiers: vec![] }, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("no ended stays"), "{svg}");
        assert!(svg.contains("all plans"), "{svg}");
    }

    #[test]
    fn an_unwritable_path_is_an_error_naming_it() {
        let path = Path::new("/nonexistent-dir/routing.svg");
        let err = routing_svg(&RoutingStats { filter_tags: vec![], tiers: vec![] }, path).unwrap_err();
        assert_eq!(err.to_string(), "cannot write the plot /nonexistent-dir/routing.svg");
    }
}
