//! Progress bars on stderr for long batches; hidden when stderr is not a terminal or the batch
//! is small, so scripts and logs see nothing of them.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Batches smaller than this finish before a bar would be worth drawing.
const MIN_ITEMS: usize = 200;

/// A bar for `total` items labelled `what`, or a hidden one.
pub fn bar(total: usize, what: &str) -> ProgressBar {
    if total < MIN_ITEMS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_owned());
    bar
}

/// A running count of items labelled `what`, for a batch whose size is not known up front, or a
/// hidden one when stderr is not a terminal.
pub fn counter(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{prefix} {pos} {per_sec}").expect("valid template"));
    bar.set_prefix(what.to_owned());
    bar
}
