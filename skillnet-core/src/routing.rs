//! How the phases of each routing tier fare: the routing report.
//!
//! Every phase is routed to a model tier (`low`, `medium`, `high`, `max`, or any other text). The
//! report says, per tier, how many phases there are, how many have landed or failed, how many
//! retries they took, and how long they stay `running` and `verifying`: the median and the 90th
//! percentile of the time spent in each.
//!
//! The store computes [`RoutingStats`] in SQL, so that only one row per tier leaves the database;
//! [`routing_stats`] computes the same from phases held in memory and is the reference the store
//! is tested against.
//!
//! # Definitions
//!
//! - A **stay** in a status is one entry into it: a transition *to* the status at `at`, until the
//!   phase's next transition (the next one logged for the same plan and ordinal). Its length in
//!   seconds is the next transition's `at` minus this one's, as recorded (a clock that went back
//!   gives a negative length; nothing is clamped). A stay that has not ended yet (the phase is
//!   still in the status) is **not** a sample: its length is unknown, and counting it up to "now"
//!   would make the report change with the clock.
//! - A **retry** is a `failed -> queued` transition: an attempt beyond the first.
//! - `landed` and `failed` count phases whose *current* status is that one.
//! - Percentiles are **nearest-rank** ([`nearest_rank`]): the `p`-th percentile of `n` samples is
//!   the smallest sample with at least `p`% of the samples at or below it, which is the sample at
//!   rank `ceil(p * n / 100)` (from 1) in ascending order. The median is the 50th percentile, so
//!   with an even number of samples it is the lower of the two middle ones, never an average:
//!   every reported value is a length that really occurred.
//!
//! ```
//! use skillnet_core::phase_status::PhaseStatus::*;
//! use skillnet_core::routing::{routing_stats, TrackedPhase};
//!
//! // One `high` phase: running 100 s, verifying 30 s, back to running 20 s, verifying 50 s, landed.
//! let log = [(Queued, Running, 0), (Running, Verifying, 100), (Verifying, Running, 130),
//!            (Running, Verifying, 150), (Verifying, Landed, 200)];
//! let stats = routing_stats(vec![], [TrackedPhase { routing_tier: "high", status: Landed, transitions: &log }]);
//! let high = &stats.tiers[0];
//! assert_eq!((high.phases, high.landed, high.retries), (1, 1, 0));
//! // Running stays: 20, 100. Median: rank ceil(0.5 * 2) = 1 -> 20. p90: rank ceil(0.9 * 2) = 2 -> 100.
//! assert_eq!((high.running.samples, high.running.median_seconds, high.running.p90_seconds), (2, Some(20), Some(100)));
//! // Verifying stays: 30, 50 (the entry into `landed` starts no stay that is counted).
//! assert_eq!((high.verifying.median_seconds, high.verifying.p90_seconds), (Some(30), Some(50)));
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::phase_status::PhaseStatus;
use crate::tag::Tag;

/// The percentile reported as `median_seconds`.
pub const MEDIAN: u32 = 50;

/// The percentile reported as `p90_seconds`.
pub const P90: u32 = 90;

/// The routing tiers of the sidecar format, in the order reports list them (cheapest first).
/// Other tier names are listed after these, by name.
pub const KNOWN_TIERS: [&str; 4] = ["low", "medium", "high", "max"];

/// The routing report: per routing tier, over the plans that carry every filter tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingStats {
    /// The filter tag pairs, in the order given; a plan counts when it carries all of them
    /// (for each pair, any of its values for that key equal to the pair's value).
    pub filter_tags: Vec<Tag>,
    /// One entry per tier with at least one phase among those plans, in [`tier_order`].
    pub tiers: Vec<TierStats>,
}

/// How the phases of one routing tier fare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierStats {
    /// The tier (`phases.routing_tier`).
    pub routing_tier: String,
    /// Phases routed to it.
    pub phases: u64,
    /// Of those, phases whose current status is `landed`.
    pub landed: u64,
    /// Of those, phases whose current status is `failed`.
    pub failed: u64,
    /// `failed -> queued` transitions of those phases: attempts beyond the first.
    pub retries: u64,
    /// Time spent `running`, per ended stay.
    pub running: StayStats,
    /// Time spent `verifying`, per ended stay.
    pub verifying: StayStats,
}

/// The distribution of the lengths of ended stays in one status (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayStats {
    /// How many ended stays there are.
    pub samples: u64,
    /// Their nearest-rank median ([`MEDIAN`]) in seconds; `null` without samples.
    pub median_seconds: Option<i64>,
    /// Their nearest-rank 90th percentile ([`P90`]) in seconds; `null` without samples.
    pub p90_seconds: Option<i64>,
}

impl StayStats {
    /// The statistics of `samples` (stay lengths in seconds, in any order).
    pub fn from_samples(samples: &[i64]) -> Self {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        StayStats {
            samples: sorted.len() as u64,
            median_seconds: nearest_rank(&sorted, MEDIAN),
            p90_seconds: nearest_rank(&sorted, P90),
        }
    }
}

/// The nearest-rank `percent`-th percentile of `sorted` (ascending): the smallest sample with at
/// least `percent`% of the samples at or below it, i.e. the sample at rank
/// `ceil(percent * n / 100)` counted from 1. `None` for no samples.
///
/// `percent` is clamped to `1..=100`.
///
/// ```
/// use skillnet_core::routing::nearest_rank;
///
/// assert_eq!(nearest_rank(&[10, 20, 30, 40], 50), Some(20)); // rank ceil(2.0) = 2
/// assert_eq!(nearest_rank(&[10, 20, 30, 40, 50], 50), Some(30)); // rank ceil(2.5) = 3
/// assert_eq!(nearest_rank(&[10, 20, 30, 40], 90), Some(40)); // rank ceil(3.6) = 4
/// assert_eq!(nearest_rank(&[], 50), None);
/// ```
pub fn nearest_rank(sorted: &[i64], percent: u32) -> Option<i64> {
    let n = sorted.len() as u64;
    let percent = u64::from(percent.clamp(1, 100));
    let rank = (percent * n).div_ceil(100);
    let index = usize::try_from(rank.checked_sub(1)?).ok()?;
    sorted.get(index).copied()
}

/// Orders tier names: [`KNOWN_TIERS`] first, cheapest first, then any other name alphabetically.
pub fn tier_order(a: &str, b: &str) -> Ordering {
    let rank = |t: &str| KNOWN_TIERS.iter().position(|k| *k == t).unwrap_or(KNOWN_TIERS.len());
    rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
}

/// One phase, as [`routing_stats`] needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackedPhase<'a> {
    /// The tier it is routed to.
    pub routing_tier: &'a str,
    /// Its current status.
    pub status: PhaseStatus,
    /// Its transitions as `(from, to, at)`, in the order they were logged.
    pub transitions: &'a [(PhaseStatus, PhaseStatus, i64)],
}

/// Computes the report from phases held in memory (the phases of the plans that match
/// `filter_tags`; this function does not filter). The store computes the same in SQL; this is
/// the reference its tests compare against.
pub fn routing_stats<'a>(
    filter_tags: Vec<Tag>,
    phases: impl IntoIterator<Item = TrackedPhase<'a>>,
) -> RoutingStats {
    #[derive(Default)]
    struct Acc {
        phases: u64,
        landed: u64,
        failed: u64,
        retries: u64,
        running: Vec<i64>,
        verifying: Vec<i64>,
    }
    let mut tiers: BTreeMap<&str, Acc> = BTreeMap::new();
    for phase in phases {
        let acc = tiers.entry(phase.routing_tier).or_default();
        acc.phases += 1;
        acc.landed += u64::from(phase.status == PhaseStatus::Landed);
        acc.failed += u64::from(phase.status == PhaseStatus::Failed);
        for (i, &(from, to, at)) in phase.transitions.iter().enumerate() {
            acc.retries += u64::from(from == PhaseStatus::Failed && to == PhaseStatus::Queued);
            // A stay ends at the next transition; the last one has not ended.
            let Some(&(_, _, next_at)) = phase.transitions.get(i + 1) else { continue };
            match to {
                PhaseStatus::Running => acc.running.push(next_at - at),
                PhaseStatus::Verifying => acc.verifying.push(next_at - at),
                _ => {}
            }
        }
    }
    let mut tiers: Vec<TierStats> = tiers
        .into_iter()
        .map(|(tier, acc)| TierStats {
            routing_tier: tier.to_owned(),
            phases: acc.phases,
            landed: acc.landed,
            failed: acc.failed,
            retries: acc.retries,
            running: StayStats::from_samples(&acc.running),
            verifying: StayStats::from_samples(&acc.verifying),
        })
        .collect();
    tiers.sort_by(|a, b| tier_order(&a.routing_tier, &b.routing_tier));
    RoutingStats { filter_tags, tiers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase_status::PhaseStatus::*;

    #[test]
    fn nearest_rank_picks_the_sample_at_rank_ceil_p_n() {
        // (samples, percent, expected), ranks worked out by hand.
        #[rustfmt::skip]
        let cases: &[(&[i64], u32, Option<i64>)] = &[
            (&[], 50, None),
            (&[7], 50, Some(7)),              // ceil(0.5) = 1
            (&[7], 90, Some(7)),              // ceil(0.9) = 1
            (&[1, 2], 50, Some(1)),           // ceil(1.0) = 1: the lower middle
            (&[1, 2], 90, Some(2)),           // ceil(1.8) = 2
            (&[1, 2, 3], 50, Some(2)),        // ceil(1.5) = 2
            (&[1, 2, 3], 90, Some(3)),        // ceil(2.7) = 3
            (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, Some(9)),      // ceil(9.0) = 9
            (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, Some(10)), // ceil(9.9) = 10
            (&[5, 5, 5, 9], 50, Some(5)),     // ties
            (&[-3, 4], 50, Some(-3)),         // negative lengths are kept
            (&[1, 2, 3], 100, Some(3)),
            (&[1, 2, 3], 0, Some(1)),         // clamped to 1: ceil(0.03) = 1
        ];
        for &(samples, percent, expected) in cases {
            assert_eq!(nearest_rank(samples, percent), expected, "{samples:?} p{percent}");
        }
    }

    #[test]
    fn stay_stats_sort_their_samples() {
        assert_eq!(
            StayStats::from_samples(&[40, 10, 30, 20]),
            StayStats { samples: 4, median_seconds: Some(20), p90_seconds: Some(40) },
        );
        assert_eq!(StayStats::from_samples(&[]), StayStats::default());
    }

    #[test]
    fn known_tiers_come_first_cheapest_first() {
        let mut tiers = vec!["max", "zeta", "high", "alpha", "low", "medium"];
        tiers.sort_by(|a, b| tier_order(a, b));
        assert_eq!(tiers, ["low", "medium", "high", "max", "alpha", "zeta"]);
    }

    #[test]
    fn counts_retries_and_only_ended_stays() {
        let failed_then_running = [
            (Queued, Running, 0),
            (Running, Failed, 10), // running 10
            (Failed, Queued, 15),  // retry
            (Queued, Running, 20), // still running: not a sample
        ];
        let blocked =
            [(Queued, Running, 0), (Running, Blocked, 7), (Blocked, Running, 100), (Running, Failed, 103)];
        let untouched: [(PhaseStatus, PhaseStatus, i64); 0] = [];
        let stats = routing_stats(
            vec![],
            [
                TrackedPhase { routing_tier: "low", status: Running, transitions: &failed_then_running },
                TrackedPhase { routing_tier: "low", status: Failed, transitions: &blocked },
                TrackedPhase { routing_tier: "custom", status: Queued, transitions: &untouched },
            ],
        );
        let [low, custom] = &stats.tiers[..] else { panic!("{stats:?}") };
        assert_eq!(
            (low.routing_tier.as_str(), low.phases, low.landed, low.failed, low.retries),
            ("low", 2, 0, 1, 1)
        );
        // Running stays: 10, 7, 3 -> sorted 3, 7, 10; median rank 2 -> 7, p90 rank 3 -> 10.
        assert_eq!(low.running, StayStats { samples: 3, median_seconds: Some(7), p90_seconds: Some(10) });
        assert_eq!(low.verifying, StayStats::default());
        assert_eq!((custom.routing_tier.as_str(), custom.phases, custom.running.samples), ("custom", 1, 0));
    }

    #[test]
    fn serializes_with_documented_field_names() {
        let stats = RoutingStats {
            filter_tags: vec![Tag::new("team", "core").unwrap()],
            tiers: vec![TierStats {
                routing_tier: "high".into(),
                phases: 2,
                landed: 1,
                failed: 0,
                retries: 1,
                running: StayStats { samples: 2, median_seconds: Some(60), p90_seconds: Some(90) },
                verifying: StayStats::default(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&stats).unwrap(),
            serde_json::json!({
                "filter_tags": [{"key": "team", "value": "core"}],
                "tiers": [{
                    "routing_tier": "high", "phases": 2, "landed": 1, "failed": 0, "retries": 1,
                    "running": {"samples": 2, "median_seconds": 60, "p90_seconds": 90},
                    "verifying": {"samples": 0, "median_seconds": null, "p90_seconds": null}
                }]
            }),
        );
    }
}
