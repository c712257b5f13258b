//! SVG charts of the reports: `routing --plot` ([`routing_svg`]) and `analyze --plot`
//! ([`analysis_svg`]).
//!
//! Charts are drawn with `plotters` and its SVG backend only. Text goes into the SVG as `<text>`
//! elements that the viewer renders with its own sans-serif font, so drawing needs no font file
//! and no system fonts (plotters is built without its `ttf` and `ab_glyph` features and then
//! only estimates text widths, for layout). Both charts share one small palette.

mod analysis;
mod routing;

use std::path::Path;

use anyhow::Context as _;
use plotters::style::RGBColor;

pub use analysis::analysis_svg;
pub use routing::routing_svg;

/// Time in `running`.
const BLUE: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
/// Time in `verifying`.
const ORANGE: RGBColor = RGBColor(0xff, 0x7f, 0x0e);
/// The `lower` zone and verdict.
const GREEN: RGBColor = RGBColor(0x2c, 0xa0, 0x2c);
/// The `raise` zone and verdict.
const RED: RGBColor = RGBColor(0xd6, 0x27, 0x28);
/// The `hold` zone and verdict, and secondary text.
const GREY: RGBColor = RGBColor(0x7f, 0x7f, 0x7f);

/// Font family of every text, resolved by the SVG viewer.
const FONT: &str = "sans-serif";

/// Draws with `draw` into an SVG document in memory, then writes it to `path` (created or
/// replaced) in one go, naming the file in the error if anything fails.
fn write_svg(path: &Path, draw: impl FnOnce(&mut String) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut svg = String::new();
    draw(&mut svg)
        .and_then(|()| Ok(std::fs::write(path, svg)?))
        .with_context(|| format!("cannot write the plot {}", path.display()))
}

#[cfg(test)]
pub(crate) mod tests {
    /// The content of every `<text>` element of `svg`, trimmed and unescaped.
    pub fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|rest| {
                let (_, body) = rest.split_once('>')?;
                let (content, _) = body.split_once("</text>")?;
                Some(
                    content
                        .trim()
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&apos;", "'")
                        .replace("&amp;", "&"),
                )
            })
            .collect()
    }
}
