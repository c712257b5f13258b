//! The analysis: confusion counts per trigger in SQL, the rules in `skillnet_core::analysis`.

use std::collections::BTreeMap;

use diesel::dsl::{count_star, exists};
use diesel::prelude::*;
use skillnet_core::analysis::{
    build_report, AnalysisReport, BandInput, Class, Confusion, ReportInput, ThresholdSource, TriggerInput,
};
use skillnet_core::plan_dir::meta::HistoryFacts;
use skillnet_core::threshold::{in_force, ActiveThreshold, InForce};
use skillnet_core::Tag;

use super::dialect::Conn;
use super::{trigger_plan_carries, MAX_BINDS};
use crate::error::Result;
use crate::rows::{parse_stored, ThresholdRow};
use crate::schema::{heuristic_thresholds, phases, plans, triggers};
use crate::store::AnalysisQuery;

/// One group of the analysis aggregate: trigger, class, plan flavor, plan worktype, rows.
type ClassCount = (String, Option<String>, String, Option<String>, i64);

pub(super) fn analyze(conn: &mut Conn, q: &AnalysisQuery) -> Result<AnalysisReport> {
    let mut query = triggers::table
        .filter(triggers::class.is_not_null())
        .group_by((triggers::name, triggers::class, triggers::plan_flavor, triggers::plan_worktype))
        .select((
            triggers::name,
            triggers::class,
            triggers::plan_flavor,
            triggers::plan_worktype,
            count_star(),
        ))
        .into_boxed();
    if let Some(trigger) = &q.trigger {
        query = query.filter(triggers::name.eq(trigger.clone()));
    }
    for tag in &q.filter_tags {
        query = query.filter(trigger_plan_carries(tag.key.as_str(), &tag.value));
    }
    let rows: Vec<ClassCount> = query.load(conn)?;

    let mut global: BTreeMap<String, Confusion> = BTreeMap::new();
    let mut bands: BTreeMap<(String, &'static str, String), Confusion> = BTreeMap::new();
    for (trigger, class, flavor, worktype, n) in rows {
        let class: Class = parse_stored(class.as_deref().unwrap_or_default())?;
        let n = u64::try_from(n).unwrap_or_default();
        global.entry(trigger.clone()).or_default().add_count(class, n);
        bands.entry((trigger.clone(), "flavor", flavor)).or_default().add_count(class, n);
        if let Some(worktype) = worktype {
            bands.entry((trigger, "worktype", worktype)).or_default().add_count(class, n);
        }
    }

    let accepted = thresholds(conn)?;
    let mut triggers_in = Vec::with_capacity(global.len());
    for (trigger, confusion) in global {
        let (current_threshold, threshold_source) =
            current_threshold(conn, &accepted, &trigger, &q.filter_tags)?.unwrap_or((0.0, None));
        triggers_in.push(TriggerInput { trigger, confusion, current_threshold, threshold_source });
    }
    let input = ReportInput {
        analyzed_at: q.analyzed_at,
        min_n: q.min_n,
        filter_tags: q.filter_tags.clone(),
        triggers: triggers_in,
        bands: if q.filter_tags.is_empty() {
            bands
                .into_iter()
                .map(|((trigger, tag_key, tag_value), confusion)| BandInput {
                    trigger,
                    tag_key: tag_key.to_owned(),
                    tag_value,
                    confusion,
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    build_report(input, |trigger, class| supporting_plan_ids(conn, trigger, class, &q.filter_tags))
}

/// The plans where `trigger` was of `class`, in plan creation order; plans created in the same
/// second in the order they were (last) recorded, as skillnet 0.6 lists them.
fn supporting_plan_ids(conn: &mut Conn, trigger: &str, class: Class, filter: &[Tag]) -> Result<Vec<String>> {
    let mut query = triggers::table
        .inner_join(plans::table)
        .filter(triggers::class.is_not_null())
        .filter(triggers::name.eq(trigger.to_owned()))
        .filter(triggers::class.eq(class.as_str()))
        .order((plans::created_at.asc(), triggers::id.asc()))
        .select(triggers::plan_id)
        .into_boxed();
    for tag in filter {
        query = query.filter(trigger_plan_carries(tag.key.as_str(), &tag.value));
    }
    Ok(query.load(conn)?)
}

/// The threshold in force for `trigger` under `filter_tags` (the rule of
/// [`skillnet_core::threshold`]) and where it came from; `None` for a custom trigger no analysed
/// plan has.
fn current_threshold(
    conn: &mut Conn,
    accepted: &[ActiveThreshold],
    trigger: &str,
    filter_tags: &[Tag],
) -> Result<Option<(f64, Option<ThresholdSource>)>> {
    Ok(match in_force(accepted, trigger, filter_tags) {
        InForce::Accepted(t) => Some((t.threshold, Some(t.source()))),
        InForce::Default(threshold) => Some((threshold, Some(ThresholdSource::Default))),
        InForce::Recorded => recorded_threshold(conn, trigger)?.map(|t| (t, None)),
    })
}

/// The threshold recorded for `trigger` with the newest analysed (verified) plan that has it;
/// of plans created in the same second, the one recorded last.
pub(super) fn recorded_threshold(conn: &mut Conn, trigger: &str) -> Result<Option<f64>> {
    Ok(triggers::table
        .inner_join(plans::table)
        .filter(triggers::name.eq(trigger))
        .filter(triggers::class.is_not_null())
        .order((plans::created_at.desc(), triggers::id.desc()))
        .select(triggers::threshold)
        .first(conn)
        .optional()?)
}

pub(super) fn thresholds(conn: &mut Conn) -> Result<Vec<ActiveThreshold>> {
    let mut list: Vec<ActiveThreshold> = heuristic_thresholds::table
        .order((heuristic_thresholds::name, heuristic_thresholds::filter_key))
        .select(ThresholdRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ThresholdRow::into_threshold)
        .collect();
    // Each trigger's overall threshold before those under filter tags.
    list.sort_by(|a, b| {
        (&a.trigger, !a.filter_tags.is_empty()).cmp(&(&b.trigger, !b.filter_tags.is_empty()))
    });
    Ok(list)
}

/// What the history says about a plan of this shape signature and these phase slugs.
pub(super) fn shape_history(conn: &mut Conn, signature: &str, slugs: &[String]) -> Result<HistoryFacts> {
    let shape_seen =
        diesel::select(exists(plans::table.filter(plans::shape_signature.eq(signature)))).get_result(conn)?;
    let mut slug_tiers: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for chunk in slugs.chunks(MAX_BINDS) {
        let rows: Vec<(String, String, i64)> = phases::table
            .filter(phases::slug.eq_any(chunk))
            .group_by((phases::slug, phases::routing_tier))
            .select((phases::slug, phases::routing_tier, count_star()))
            .load(conn)?;
        for (slug, tier, n) in rows {
            slug_tiers.entry(slug).or_default().insert(tier, n);
        }
    }
    Ok(HistoryFacts { shape_seen, slug_tiers })
}
