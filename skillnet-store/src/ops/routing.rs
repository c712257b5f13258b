//! The routing report: how each routing tier's phases fare, aggregated in SQL.

use diesel::prelude::*;
use diesel::sql_types::Text;
use skillnet_core::routing::tier_order;
use skillnet_core::{RoutingStats, Tag};

use super::dialect::{Conn, BIND_PREFIX};
use crate::error::Result;
use crate::rows::TierRow;

pub(super) fn routing(conn: &mut Conn, filter: &[Tag]) -> Result<RoutingStats> {
    let sql = routing_sql(filter.len(), BIND_PREFIX);
    let mut query = diesel::sql_query(sql).into_boxed::<<Conn as Connection>::Backend>();
    for tag in filter {
        query = query.bind::<Text, _>(tag.key.as_str()).bind::<Text, _>(tag.value.as_str());
    }
    let mut tiers =
        query.load::<TierRow>(conn)?.into_iter().map(TierRow::into_stats).collect::<Result<Vec<_>>>()?;
    tiers.sort_by(|a, b| tier_order(&a.routing_tier, &b.routing_tier));
    Ok(RoutingStats { filter_tags: filter.to_vec(), tiers })
}

/// The routing report's query (see `CalibrationStore::routing` and `skillnet_core::routing`),
/// filtered by `filter_tags` tag pairs whose key and value are bound in that order, each bind
/// marker written as `bind_prefix` followed by its number from 1 (`?1` on SQLite, `$1` on
/// PostgreSQL; both let a numbered marker appear twice). Returns one row per routing tier of the
/// matching plans' phases, with the columns of `models::TierRow`.
///
/// How it computes, in SQL so that one row per tier is all that leaves the database:
/// 1. `logged`: the transitions of the matching plans' phases, each with its phase's tier and
///    the length of the stay it starts: the `at` of the phase's next transition (by id) minus
///    its own, `NULL` for the phase's last transition (a stay that has not ended). The filter
///    keeps or drops whole plans, so it never changes which transition is next.
/// 2. `ranked`: the ended stays in `running` and `verifying`, numbered from 1 (`pos`) in
///    ascending order of length within their (tier, status), next to their count `n`; both come
///    from one window, so one sort. Moves into `queued` (retries) ride along to be counted.
/// 3. `stays`: per tier and status, the nearest-rank percentile `p` is the smallest length whose
///    `pos` satisfies `pos * 100 >= p * n`, i.e. `pos >= ceil(p * n / 100)`: the length at rank
///    `ceil(p * n / 100)`, exactly what `skillnet_core::routing::nearest_rank` picks, in integer
///    arithmetic. Retries are the `failed -> queued` moves.
/// 4. `counts`: phases, landed and failed per tier, from the phases' current status.
///
/// The existing indexes serve it (BENCHMARKS.md): transitions are read in the order of
/// `phase_transitions (plan_id, ordinal, id)`, which is already each phase's order for `lead`,
/// and each one's phase is found through the unique `phases (plan_id, ordinal)`.
fn routing_sql(filter_tags: usize, bind_prefix: &str) -> String {
    use skillnet_core::routing::{MEDIAN, P90};
    let mut matches = String::from("1 = 1");
    for i in 0..filter_tags {
        let (key, value) = (2 * i + 1, 2 * i + 2);
        matches.push_str(&format!(
            "\n       AND EXISTS (SELECT 1 FROM tags tg WHERE tg.plan_id = ph.plan_id \
             AND tg.key = {bind_prefix}{key} AND tg.value = {bind_prefix}{value})"
        ));
    }
    let percentile = |status: &str, p: u32| {
        format!("min(CASE WHEN to_status = '{status}' AND pos * 100 >= {p} * n THEN seconds END)")
    };
    format!(
        "WITH logged AS (
    SELECT ph.routing_tier AS tier, t.from_status, t.to_status,
           lead(t.at) OVER (PARTITION BY t.plan_id, t.ordinal ORDER BY t.id) - t.at AS seconds
      FROM phase_transitions t
      JOIN phases ph ON ph.plan_id = t.plan_id AND ph.ordinal = t.ordinal
     WHERE {matches}
), ranked AS (
    SELECT tier, from_status, to_status, seconds,
           row_number() OVER w AS pos,
           count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
      FROM logged
     WHERE to_status = 'queued' OR (to_status IN ('running', 'verifying') AND seconds IS NOT NULL)
    WINDOW w AS (PARTITION BY tier, to_status ORDER BY seconds)
), stays AS (
    SELECT tier,
           count(CASE WHEN from_status = 'failed' AND to_status = 'queued' THEN 1 END) AS retries,
           count(CASE WHEN to_status = 'running' THEN 1 END) AS running_samples,
           {running_median} AS running_median,
           {running_p90} AS running_p90,
           count(CASE WHEN to_status = 'verifying' THEN 1 END) AS verifying_samples,
           {verifying_median} AS verifying_median,
           {verifying_p90} AS verifying_p90
      FROM ranked
     GROUP BY tier
), counts AS (
    SELECT ph.routing_tier AS tier, count(*) AS phases,
           count(CASE WHEN ph.status = 'landed' THEN 1 END) AS landed,
           count(CASE WHEN ph.status = 'failed' THEN 1 END) AS failed
      FROM phases ph
     WHERE {matches}
     GROUP BY ph.routing_tier
)
SELECT c.tier, c.phases, c.landed, c.failed,
       coalesce(s.retries, 0) AS retries,
       coalesce(s.running_samples, 0) AS running_samples, s.running_median, s.running_p90,
       coalesce(s.verifying_samples, 0) AS verifying_samples, s.verifying_median, s.verifying_p90
  FROM counts c
  LEFT JOIN stays s ON s.tier = c.tier",
        running_median = percentile("running", MEDIAN),
        running_p90 = percentile("running", P90),
        verifying_median = percentile("verifying", MEDIAN),
        verifying_p90 = percentile("verifying", P90),
    )
}
