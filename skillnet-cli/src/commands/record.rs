//! `calibration record` and `calibration verify`: sidecars in, one transaction per batch.

use skillnet_core::PlanId;

use super::{count, Context};
use crate::cli::SidecarInput;
use crate::exit_codes::NotFoundError;
use crate::{input, output, progress};

/// Records every plan named by `input`.
pub fn record(ctx: &Context, input: &SidecarInput) -> anyhow::Result<()> {
    let records = input::read_sidecars(input)?;
    let store = ctx.store()?;
    let bar = progress::bar(records.len(), "recording");
    let summary = store.record_plans_with_progress(&records, output::now(), &mut |n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    // skillnet 0.6's confirmation line, one per plan, on stdout.
    let mut lines = String::new();
    for r in &records {
        let auto = skillnet_core::tag::auto_tags(&r.plan, &r.phases, None).len();
        let own = r.tags.iter().filter(|t| !skillnet_core::tag::is_auto_key(t.key.as_str())).count();
        lines.push_str(&format!(
            "recorded {} ({} triggers, {} phases, {} tags)\n",
            r.plan.id,
            r.triggers.len(),
            r.phases.len(),
            auto + own
        ));
    }
    output::text(lines.trim_end())?;
    output::note(
        ctx.quiet,
        format!(
            "recorded {} ({} new, {} updated)",
            count(summary.new + summary.updated, "plan"),
            summary.new,
            summary.updated
        ),
    );
    Ok(())
}

/// Appends the verification of every sidecar named by `input` that has one.
pub fn verify(ctx: &Context, input: &SidecarInput) -> anyhow::Result<()> {
    let records = input::read_sidecars(input)?;
    let mut verifications: Vec<(PlanId, _)> = Vec::with_capacity(records.len());
    let mut skipped = 0;
    for record in records {
        match record.verification {
            Some(v) => verifications.push((record.plan.id, v)),
            None => skipped += 1,
        }
    }
    if skipped > 0 {
        output::note(ctx.quiet, format!("skipped {} without a verify block yet", count(skipped, "sidecar")));
    }
    if verifications.is_empty() {
        let which = match (&input.dirs[..], &input.jsonl) {
            ([one], None) => format!(" {}", one.join(crate::input::SIDECAR_FILE).display()),
            _ => "s given".to_owned(),
        };
        return Err(NotFoundError(format!("no verify section in sidecar{which}: nothing to verify")).into());
    }
    let store = ctx.store()?;
    let bar = progress::bar(verifications.len(), "verifying");
    let n = store.verify_plans_with_progress(&verifications, &mut |n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    // skillnet 0.6's confirmation line, one per plan, on stdout.
    let lines: Vec<String> = verifications
        .iter()
        .map(|(id, v)| {
            let passed = v.phase_outcomes.values().filter(|o| o.as_str() == "passed").count();
            format!("verified {id}: {} ({passed}/{} phases passed)", v.outcome, v.phase_outcomes.len())
        })
        .collect();
    output::text(lines.join("\n"))?;
    output::note(ctx.quiet, format!("verified {}", count(n, "plan")));
    Ok(())
}
