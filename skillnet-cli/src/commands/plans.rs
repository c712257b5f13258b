//! `calibration show` and `calibration query`: reading plans back.

use skillnet_store::{PlanDetails, PlanQuery, SkillUsage, UsageQuery};

use super::{plan_id, Context};
use crate::cli::{Format, QueryArgs};
use crate::output::{self, number, or_dash, shortened, time};

/// Prints everything stored about one plan, and the skills used while it was in progress.
pub fn show(ctx: &Context, plan: &str, format: Format) -> anyhow::Result<()> {
    let id = plan_id(plan)?;
    let store = ctx.store()?;
    let details = store.plan(&id)?;
    let skills = store.skill_usage(&UsageQuery { since: None, plan: Some(id) })?;
    match format {
        Format::Json => {
            let mut json = serde_json::to_value(&details)?;
            json["skills"] = serde_json::to_value(&skills)?;
            output::json(&json)
        }
        Format::Table => output::text(format!("{}{}", render_details(&details), render_skills(&skills))),
    }
}

fn render_details(d: &PlanDetails) -> String {
    let p = &d.plan;
    let mut out = String::new();
    let mut facts = output::facts("plan", p.id.as_str());
    let routing = p.routing_dist.iter().map(|(tier, n)| format!("{tier} {n}")).collect::<Vec<_>>().join(", ");
    let rows: [(&str, String); 14] = [
        ("name", p.name.clone()),
        ("status", d.status().to_string()),
        ("flavor", p.flavor.clone()),
        ("worktype", or_dash(p.worktype.as_ref())),
        ("path", or_dash(p.path.as_ref())),
        ("created", time(p.created_at)),
        ("recorded", time(d.recorded_at)),
        ("phases", p.phase_count.to_string()),
        ("waves", p.wave_count.to_string()),
        ("max chain depth", p.max_chain_depth.to_string()),
        ("repo spread", p.repo_spread.to_string()),
        ("routing", if routing.is_empty() { "-".into() } else { routing }),
        ("shape hash", p.shape_hash.clone()),
        (
            "capture reasons",
            if p.capture_reasons.is_empty() { "-".into() } else { p.capture_reasons.join(", ") },
        ),
    ];
    for (k, v) in rows {
        facts.add_row([k.to_owned(), v]);
    }
    out.push_str(&facts.to_string());

    let mut phases = output::table(["ordinal", "slug", "tier", "status", "attempt", "files"]);
    for (ph, state) in d.phases.iter().zip(&d.phase_status) {
        phases.add_row([
            ph.ordinal.to_string(),
            ph.slug.clone(),
            ph.routing_tier.clone(),
            state.status.to_string(),
            state.attempt.to_string(),
            ph.files.join(", "),
        ]);
    }
    out.push_str(&format!("\n\nPhases\n{phases}"));

    let mut triggers = output::table(["trigger", "input", "threshold", "fired", "section added"]);
    for t in &d.triggers {
        triggers.add_row([
            t.name.clone(),
            number(t.input_value),
            number(t.threshold),
            if t.fired { "yes".into() } else { "no".into() },
            or_dash(t.section_added.as_ref()),
        ]);
    }
    out.push_str(&format!("\n\nTriggers\n{triggers}"));

    let mut tags = output::table(["key", "value", "source"]);
    for t in &d.tags {
        tags.add_row([t.key.to_string(), t.value.clone(), t.source.to_string()]);
    }
    out.push_str(&format!("\n\nTags\n{tags}"));

    out.push_str("\n\nVerifications (oldest first; the last one counts)");
    if d.verifications.is_empty() {
        out.push_str("\nnone");
    }
    for (i, v) in d.verifications.iter().enumerate() {
        let mut t = output::facts(&format!("#{}", i + 1), v.outcome.as_str());
        let outcomes =
            v.phase_outcomes.iter().map(|(slug, o)| format!("{slug}: {o}")).collect::<Vec<_>>().join(", ");
        t.add_row(["verified".to_owned(), time(v.verified_at)]);
        t.add_row(["elapsed".to_owned(), v.elapsed_seconds.map_or("-".into(), |s| format!("{s} s"))]);
        t.add_row(["phase outcomes".to_owned(), if outcomes.is_empty() { "-".into() } else { outcomes }]);
        t.add_row(["emergency changes".to_owned(), or_dash(v.emergency_changes.as_ref())]);
        t.add_row(["surprises".to_owned(), or_dash(v.surprises.as_ref())]);
        out.push_str(&format!("\n{t}"));
    }
    out
}

/// The skills used while the plan was in progress, for the end of `show`'s table.
fn render_skills(skills: &[SkillUsage]) -> String {
    if skills.is_empty() {
        return "\n\nSkills used\nnone".to_owned();
    }
    let mut table = output::table(["skill", "harness", "uses", "errors", "last used"]);
    for s in skills {
        table.add_row([
            s.skill.clone(),
            s.harness.clone(),
            s.uses.to_string(),
            s.errors.to_string(),
            time(s.last_used),
        ]);
    }
    format!("\n\nSkills used\n{table}")
}

/// How many plans `query` lists without `--limit`: skillnet 0.6's default.
const DEFAULT_LIMIT: u32 = 100;

/// Lists plans matching the filters, newest first: `--limit` of them, else the newest
/// [`DEFAULT_LIMIT`] with a note on stderr when more match.
pub fn query(ctx: &Context, args: &QueryArgs) -> anyhow::Result<()> {
    let tags = super::tags(&args.tags)?;
    let verified = match (args.verified, args.unverified) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let fired = match (args.fired, args.missed) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    // Without --limit, one plan more than shown tells whether more match.
    let limit = args.limit.map_or(i64::from(DEFAULT_LIMIT) + 1, i64::from);
    let query = PlanQuery { tags, verified, limit: Some(limit), trigger: args.trigger.clone(), fired };
    let mut plans = ctx.store()?.query_plans(&query)?;
    let more = args.limit.is_none() && plans.len() > DEFAULT_LIMIT as usize;
    if more {
        plans.truncate(DEFAULT_LIMIT as usize);
    }
    match args.format.format {
        Format::Json => output::json(&plans)?,
        Format::Table => {
            let mut table = output::table([
                "id", "name", "flavor", "worktype", "created", "phases", "verified", "outcome", "tags",
            ]);
            for s in &plans {
                let p = &s.plan;
                let tags: Vec<String> = s.tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect();
                table.add_row([
                    p.id.to_string(),
                    p.name.clone(),
                    p.flavor.clone(),
                    or_dash(p.worktype.as_ref()),
                    time(p.created_at),
                    p.phase_count.to_string(),
                    s.verifications.to_string(),
                    or_dash(s.outcome),
                    shortened(&tags.join(" "), 40),
                ]);
            }
            output::text(table)?;
            if !more {
                output::note(ctx.quiet, super::count(plans.len(), "plan"));
            }
        }
    }
    if more {
        output::note(
            ctx.quiet,
            format!("the newest {DEFAULT_LIMIT} plans; more match (--limit N lists N of them)"),
        );
    }
    Ok(())
}
