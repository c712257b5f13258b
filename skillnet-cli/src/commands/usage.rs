//! `usage record|report`: skill uses from any harness, and how often each skill is used.

use skillnet_core::usage::SkillUse;
use skillnet_store::{SkillUsage, UsageQuery, UseRecorded};

use super::Context;
use crate::cli::{Format, UsageRecordArgs, UsageReportArgs};
use crate::exit_codes::UsageError;
use crate::output;

/// Records one use; says `recorded use of SKILL (harness H)` or that the event was recorded before.
pub fn record(ctx: &Context, args: &UsageRecordArgs) -> anyhow::Result<()> {
    let payload = serde_json::json!({
        "skill": args.skill,
        "harness": args.harness,
        "session": args.session,
        "event_id": args.event_id,
        "project": args.project,
        "outcome": args.outcome,
    });
    let skill_use = SkillUse {
        harness: args.harness.clone(),
        source_event_id: Some(args.event_id.clone()),
        session_id: args.session.clone(),
        skill_name: args.skill.clone(),
        tool_name: None,
        project_dir: args.project.clone(),
        outcome: args.outcome.clone(),
        event: "usage-record".to_owned(),
        adapter_version: Some(concat!("skillnet-usage-record/", env!("CARGO_PKG_VERSION")).to_owned()),
        payload: payload.to_string(),
        at: args.at.unwrap_or_else(output::now),
    };
    let recorded = ctx.store()?.record_skill_use(&skill_use)?;
    match args.format.format {
        Some(Format::Json) => output::json(&recorded),
        _ => output::text(match &recorded {
            UseRecorded::Recorded { plan_id: Some(plan), .. } => {
                format!("recorded use of {} ({}), linked to plan {plan}", args.skill, args.harness)
            }
            UseRecorded::Recorded { plan_id: None, .. } => {
                format!("recorded use of {} ({})", args.skill, args.harness)
            }
            UseRecorded::AlreadyRecorded => {
                format!("already recorded: event {} of {}", args.event_id, args.harness)
            }
        }),
    }
}

/// Prints the uses per skill and harness over the window.
pub fn report(ctx: &Context, args: &UsageReportArgs) -> anyhow::Result<()> {
    let since = window_start(&args.since, output::now()).map_err(UsageError)?;
    let plan = args.plan.as_deref().map(super::plan_id).transpose()?;
    let store = ctx.store()?;
    if let Some(plan) = &plan {
        store.plan(plan)?;
    }
    let rows = store.skill_usage(&UsageQuery { since: Some(since), plan })?;
    match args.format.format {
        Format::Json => output::json(&serde_json::json!({"since": since, "skills": rows})),
        Format::Table => output::text(table(&rows, since)),
    }
}

fn table(rows: &[SkillUsage], since: i64) -> String {
    let mut table = output::table(["skill", "harness", "uses", "errors", "first used", "last used"]);
    for r in rows {
        table.add_row([
            r.skill.clone(),
            r.harness.clone(),
            r.uses.to_string(),
            r.errors.to_string(),
            output::time(r.first_used),
            output::time(r.last_used),
        ]);
    }
    let total: i64 = rows.iter().map(|r| r.uses).sum();
    let head = format!("skill uses since {}: {total}", output::time(since));
    if rows.is_empty() {
        head
    } else {
        format!("{head}\n{table}")
    }
}

/// The start of the window `--since` names: a duration back from `now` (`90d`, `12h`, `2w`) or a
/// UTC day or unix seconds.
fn window_start(text: &str, now: i64) -> Result<i64, String> {
    if let Ok(duration) = humantime::parse_duration(text.trim()) {
        let back = i64::try_from(duration.as_secs()).unwrap_or(i64::MAX);
        return Ok(now.saturating_sub(back).max(0));
    }
    crate::dates::parse_date(text).map_err(|_| {
        format!("--since `{text}`: expected a duration back from now (90d, 12h, 2w) or a day (YYYY-MM-DD)")
    })
}

#[cfg(test)]
mod tests {
    use super::window_start;

    #[test]
    fn windows_are_durations_or_days() {
        let now = 1_000_000_000;
        assert_eq!(window_start("90d", now), Ok(now - 90 * 86_400));
        assert_eq!(window_start("12h", now), Ok(now - 12 * 3_600));
        assert_eq!(window_start("2025-01-02", now), Ok(1_735_776_000));
        assert_eq!(window_start("100000w", now), Ok(0));
        assert!(window_start("lately", now).unwrap_err().contains("lately"));
    }
}
