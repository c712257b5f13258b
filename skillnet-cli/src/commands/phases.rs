//! `calibration phase` and `calibration status`: tracking a plan while it runs.

use std::io::{IsTerminal, Write};

use skillnet_core::phase_status::{PhaseAction, PlanStatus};
use skillnet_store::{PhaseRef, PlanStatusView};

use super::{plan_id, Context};
use crate::cli::Format;
use crate::output;

/// Moves one phase.
pub fn move_phase(
    ctx: &Context,
    plan: &str,
    phase: &str,
    action: &str,
    note: Option<&str>,
    at: Option<i64>,
) -> anyhow::Result<()> {
    let id = plan_id(plan)?;
    let action: PhaseAction = action
        .parse()
        .map_err(|e: skillnet_core::transition::UnknownVariant| crate::input::InputError(e.to_string()))?;
    let phase: PhaseRef = phase.parse().expect("infallible");
    let moved =
        ctx.store()?.move_phase(&id, &phase, action.target(), at.unwrap_or_else(output::now), note)?;
    output::note(
        ctx.quiet,
        format!(
            "phase {} ({}) of plan {id}: {} -> {} (attempt {})",
            moved.ordinal, moved.slug, moved.from, moved.to, moved.attempt
        ),
    );
    Ok(())
}

fn render(r: &PlanStatusView, now: i64) -> String {
    let mut table = output::table(["ordinal", "phase", "tier", "status", "attempt", "in status"]);
    for p in &r.phases {
        table.add_row([
            p.ordinal.to_string(),
            p.slug.clone(),
            p.routing_tier.clone(),
            p.status.to_string(),
            p.attempt.to_string(),
            output::duration((now - p.since).max(0)),
        ]);
    }
    format!("{} ({}): {}\n{table}", r.plan_id, r.name, r.status)
}

/// Shows the plan's phases; with `watch`, redraws in place until the plan is done.
pub fn status(ctx: &Context, plan: &str, watch: bool, format: Format) -> anyhow::Result<()> {
    let id = plan_id(plan)?;
    let store = ctx.store()?;

    let mut drawn_lines = 0;
    let mut last = String::new();
    loop {
        let r = store.status(&id)?;
        let finished = matches!(r.status, PlanStatus::Done | PlanStatus::Verified);
        let text = match format {
            Format::Json => serde_json::to_string_pretty(&r)?,
            Format::Table => render(&r, output::now()),
        };
        if !watch {
            return output::text(text);
        }
        if text != last {
            let mut out = std::io::stdout().lock();
            if drawn_lines > 0 && out.is_terminal() {
                // Move up over the previous drawing and clear it: one write, no blank frame.
                write!(out, "\x1b[{drawn_lines}A\x1b[J")?;
            }
            writeln!(out, "{text}")?;
            out.flush()?;
            drawn_lines = text.lines().count();
            last = text;
        }
        if finished {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}
