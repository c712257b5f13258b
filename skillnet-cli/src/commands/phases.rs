//! `calibration phase` and `calibration status`: tracking a plan while it runs.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use skillnet_core::phase_status::{PhaseAction, PhaseStatus, PlanStatus};
use skillnet_store::{PhaseRef, PlanDetails};

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

#[derive(Serialize)]
struct PhaseLine {
    ordinal: i64,
    slug: String,
    routing_tier: String,
    status: PhaseStatus,
    attempt: i64,
    /// Unix seconds since which the phase has been in its status.
    since: i64,
}

#[derive(Serialize)]
struct StatusReport {
    plan_id: String,
    name: String,
    status: PlanStatus,
    phases: Vec<PhaseLine>,
}

fn report(d: &PlanDetails) -> StatusReport {
    let phases = d
        .phases
        .iter()
        .zip(&d.phase_status)
        .map(|(p, s)| PhaseLine {
            ordinal: p.ordinal,
            slug: p.slug.clone(),
            routing_tier: p.routing_tier.clone(),
            status: s.status,
            attempt: s.attempt,
            since: d
                .transitions
                .iter()
                .rev()
                .find(|t| t.ordinal == p.ordinal)
                .map_or(d.recorded_at, |t| t.at),
        })
        .collect();
    StatusReport { plan_id: d.plan.id.to_string(), name: d.plan.name.clone(), status: d.status(), phases }
}

fn render(r: &StatusReport, now: i64) -> String {
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
        let r = report(&store.plan(&id)?);
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
