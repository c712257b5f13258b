//! The routing report (`CalibrationStore::routing`): per routing tier, phase counts, retries, and
//! nearest-rank percentiles of time in `running` and `verifying`, computed by SQL. One history
//! with every figure worked out by hand, and a pseudo-random one checked against the in-memory
//! reference `skillnet_core::routing::routing_stats`.

use skillnet_core::phase_status::PhaseStatus::{self, *};
use skillnet_core::routing::{routing_stats, TrackedPhase};
use skillnet_core::{Phase, PlanRecord, RoutingStats, StayStats, Tag, TierStats};
use skillnet_store::{CalibrationStore, PhaseRef};

use crate::fixtures::{id, plan, record, tag};

/// A plan with one phase per tier in `tiers` (ordinals from 1), the sidecar tag `team`, and
/// flavor `codex`.
fn plan_with(plan_id: &str, team: &str, tiers: &[&str]) -> PlanRecord {
    let mut record = plan(plan_id);
    record.phases = tiers
        .iter()
        .enumerate()
        .map(|(i, tier)| Phase {
            ordinal: i as i64 + 1,
            slug: format!("phase-{}", i + 1),
            routing_tier: (*tier).to_owned(),
            files: Vec::new(),
        })
        .collect();
    record.plan.phase_count = tiers.len() as i64;
    record.tags = vec![tag("team", team)];
    record
}

/// Moves phase `ordinal` of `plan_id` through `(status, at)` steps.
fn walk(store: &dyn CalibrationStore, plan_id: &str, ordinal: i64, steps: &[(PhaseStatus, i64)]) {
    for &(to, at) in steps {
        store
            .move_phase(&id(plan_id), &PhaseRef::Ordinal(ordinal), to, at, None)
            .unwrap_or_else(|e| panic!("{plan_id}#{ordinal} -> {to} at {at}: {e}"));
    }
}

fn stays(samples: u64, median: i64, p90: i64) -> StayStats {
    StayStats { samples, median_seconds: Some(median), p90_seconds: Some(p90) }
}

const NONE: StayStats = StayStats { samples: 0, median_seconds: None, p90_seconds: None };

fn tier(
    name: &str,
    phases: u64,
    landed: u64,
    failed: u64,
    retries: u64,
    running: StayStats,
    verifying: StayStats,
) -> TierStats {
    TierStats { routing_tier: name.to_owned(), phases, landed, failed, retries, running, verifying }
}

fn routing(store: &dyn CalibrationStore, filter: &[Tag]) -> RoutingStats {
    store.routing(filter).unwrap_or_else(|e| panic!("routing {filter:?}: {e}"))
}

/// The same report computed in memory from what `plan` returns, over the plans `ids`.
fn reference(store: &dyn CalibrationStore, ids: &[String], filter: &[Tag]) -> RoutingStats {
    let details: Vec<_> = ids.iter().map(|p| store.plan(&id(p)).unwrap()).collect();
    let logs: Vec<Vec<Vec<(PhaseStatus, PhaseStatus, i64)>>> = details
        .iter()
        .map(|d| {
            d.phases
                .iter()
                .map(|p| {
                    d.transitions
                        .iter()
                        .filter(|t| t.ordinal == p.ordinal)
                        .map(|t| (t.from, t.to, t.at))
                        .collect()
                })
                .collect()
        })
        .collect();
    let phases = details.iter().zip(&logs).flat_map(|(d, logs)| {
        d.phases.iter().zip(&d.phase_status).zip(logs).map(|((p, s), log)| TrackedPhase {
            routing_tier: &p.routing_tier,
            status: s.status,
            transitions: log,
        })
    });
    routing_stats(filter.to_vec(), phases)
}

/// Four plans, every stay length chosen by hand:
///
/// | plan | team tags   | flavor | phases (tier)                          |
/// |------|-------------|--------|----------------------------------------|
/// | a    | core        | codex  | 1 low, 2 high, 3 high                  |
/// | b    | core        | codex  | 1 low, 2 medium (never started)        |
/// | c    | web         | codex  | 1 high, 2 low, 3 experimental (queued) |
/// | d    | web + core  | claude | 1 high                                 |
///
/// Plan d's second `team` value is a user tag, so `team=core` matches it through any of its
/// values. `team=core` excludes plan c; adding `flavor=codex` excludes plan d too.
pub fn routing_percentiles_per_tier_by_hand(store: &dyn CalibrationStore) {
    let mut d = plan_with("d", "web", &["high"]);
    d.plan.flavor = "claude".into();
    record(
        store,
        &[
            plan_with("a", "core", &["low", "high", "high"]),
            plan_with("b", "core", &["low", "medium"]),
            plan_with("c", "web", &["high", "low", "experimental"]),
            d,
        ],
    );
    store.add_tags(&id("d"), &[tag("team", "core")]).unwrap();

    // low
    // a#1: running 100..160 (60), verifying 160..190 (30), landed.
    walk(store, "a", 1, &[(Running, 100), (Verifying, 160), (Landed, 190)]);
    // b#1: running 100..220 (120), verifying 220..250 (30), rework: running 250..270 (20),
    //      verifying 270..310 (40), landed.
    walk(store, "b", 1, &[(Running, 100), (Verifying, 220), (Running, 250), (Verifying, 270), (Landed, 310)]);
    // c#2: running 100..1100 (1000), verifying 1100..1200 (100), failed.
    walk(store, "c", 2, &[(Running, 100), (Verifying, 1100), (Failed, 1200)]);

    // high
    // a#2: running 100..400 (300), failed 400..410 (not reported), retry, queued 410..500,
    //      running 500..700 (200), verifying 700..760 (60), landed.
    walk(
        store,
        "a",
        2,
        &[(Running, 100), (Failed, 400), (Queued, 410), (Running, 500), (Verifying, 700), (Landed, 760)],
    );
    // a#3: running 100..150 (50), blocked 150..250 (not reported), running 250..350 (100),
    //      verifying since 350: not ended, not a sample.
    walk(store, "a", 3, &[(Running, 100), (Blocked, 150), (Running, 250), (Verifying, 350)]);
    // d#1: running 100..180 (80), verifying 180..200 (20), failed, retry at 300, running since
    //      400: not ended, not a sample.
    walk(store, "d", 1, &[(Running, 100), (Verifying, 180), (Failed, 200), (Queued, 300), (Running, 400)]);
    // c#1: running 100..130 (30), verifying 130..140 (10), landed.
    walk(store, "c", 1, &[(Running, 100), (Verifying, 130), (Landed, 140)]);

    // Nearest rank: the p-th percentile of n sorted samples is the one at rank ceil(p * n / 100).
    let everything = RoutingStats {
        filter_tags: vec![],
        tiers: vec![
            // a#1 b#1 c#2: landed a#1 b#1, failed c#2; no retries.
            // running 20 60 120 1000 (n = 4, even): median rank ceil(2.0) = 2 -> 60,
            //   p90 rank ceil(3.6) = 4 -> 1000.
            // verifying 30 30 40 100: median rank 2 -> 30, p90 rank 4 -> 100.
            tier("low", 3, 2, 1, 0, stays(4, 60, 1000), stays(4, 30, 100)),
            // b#2 never moved: counted as a phase, no samples.
            tier("medium", 1, 0, 0, 0, NONE, NONE),
            // a#2 a#3 c#1 d#1: landed a#2 c#1; retries a#2 d#1.
            // running 30 50 80 100 200 300 (n = 6): median rank 3 -> 80, p90 rank ceil(5.4) = 6 -> 300.
            // verifying 10 20 60: median rank ceil(1.5) = 2 -> 20, p90 rank ceil(2.7) = 3 -> 60.
            tier("high", 4, 2, 0, 2, stays(6, 80, 300), stays(3, 20, 60)),
            // Unknown tier names come after the known ones.
            tier("experimental", 1, 0, 0, 0, NONE, NONE),
        ],
    };
    assert_eq!(routing(store, &[]), everything);

    let core = [tag("team", "core")];
    let core_only = RoutingStats {
        filter_tags: core.to_vec(),
        tiers: vec![
            // a#1 b#1: running 20 60 120 (n = 3): median rank ceil(1.5) = 2 -> 60,
            //   p90 rank ceil(2.7) = 3 -> 120. verifying 30 30 40: median 30, p90 40.
            tier("low", 2, 2, 0, 0, stays(3, 60, 120), stays(3, 30, 40)),
            tier("medium", 1, 0, 0, 0, NONE, NONE),
            // a#2 a#3 d#1: landed a#2; retries a#2 d#1.
            // running 50 80 100 200 300 (n = 5): median rank ceil(2.5) = 3 -> 100, p90 rank ceil(4.5) = 5 -> 300.
            // verifying 20 60 (n = 2, even): median rank ceil(1.0) = 1 -> 20, p90 rank ceil(1.8) = 2 -> 60.
            tier("high", 3, 1, 0, 2, stays(5, 100, 300), stays(2, 20, 60)),
        ],
    };
    assert_eq!(routing(store, &core), core_only);

    let core_codex = [tag("team", "core"), tag("flavor", "codex")];
    let mut expected = core_only.clone();
    expected.filter_tags = core_codex.to_vec();
    // Without d#1: running 50 100 200 300 (n = 4): median rank 2 -> 100, p90 rank ceil(3.6) = 4 -> 300;
    // verifying 60 (n = 1): 60 and 60; retries a#2 only.
    expected.tiers[2] = tier("high", 2, 1, 0, 1, stays(4, 100, 300), stays(1, 60, 60));
    assert_eq!(routing(store, &core_codex), expected);

    // Both values of d's repeated key match: team=web is c and d.
    let web = routing(store, &[tag("team", "web")]);
    let names: Vec<(&str, u64)> = web.tiers.iter().map(|t| (t.routing_tier.as_str(), t.phases)).collect();
    assert_eq!(names, [("low", 1), ("high", 2), ("experimental", 1)]);

    let nobody = [tag("team", "nobody")];
    assert_eq!(routing(store, &nobody), RoutingStats { filter_tags: nobody.to_vec(), tiers: vec![] });

    // The SQL and the in-memory reference agree on this history.
    let all: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    assert_eq!(reference(store, &all, &[]), everything);
    assert_eq!(reference(store, &all[..2], &core_codex), expected);
}

/// An empty store has no tiers; a re-recorded plan's phases count under their new tier, and the
/// transitions of an ordinal the plan no longer has are left out.
pub fn routing_follows_re_records(store: &dyn CalibrationStore) {
    assert_eq!(routing(store, &[]), RoutingStats { filter_tags: vec![], tiers: vec![] });
    record(store, &[plan_with("p", "core", &["low", "high"])]);
    walk(store, "p", 1, &[(Running, 0), (Verifying, 10), (Landed, 15)]);
    walk(store, "p", 2, &[(Running, 0), (Verifying, 40), (Landed, 45)]);
    // Phase 1 moves to `max`; phase 2 disappears, its log stays.
    record(store, &[plan_with("p", "core", &["max"])]);
    assert_eq!(store.plan(&id("p")).unwrap().transitions.len(), 6);
    let stats = routing(store, &[]);
    assert_eq!(stats.tiers, vec![tier("max", 1, 1, 0, 0, stays(1, 10, 10), stays(1, 5, 5))]);
}

/// A deterministic pseudo-random history of 40 plans (random walks through the state machine,
/// random stay lengths, some left unfinished) gives the same report from SQL as from the
/// in-memory reference, with and without filters.
pub fn routing_matches_the_reference_on_a_random_history(store: &dyn CalibrationStore) {
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move |bound: u64| {
        // xorshift64*: good enough to pick moves, deterministic across platforms.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    };
    let tiers = ["low", "medium", "high", "max", "custom"];
    let teams = ["core", "web", "ops"];
    let mut records = Vec::new();
    for i in 0..40 {
        let phase_tiers: Vec<&str> = (0..1 + next(5)).map(|_| tiers[next(5) as usize]).collect();
        records.push(plan_with(&format!("r{i:02}"), teams[next(3) as usize], &phase_tiers));
    }
    record(store, &records);
    for r in &records {
        for phase in &r.phases {
            let mut status = Queued;
            let mut at = next(1_000) as i64;
            for _ in 0..next(12) {
                let legal = status.legal_next();
                if legal.is_empty() {
                    break;
                }
                status = legal[next(legal.len() as u64) as usize];
                // Same-second moves too, so ties and zero-length stays occur.
                at += next(600) as i64;
                walk(store, r.plan.id.as_str(), phase.ordinal, &[(status, at)]);
            }
        }
    }
    let ids: Vec<String> = records.iter().map(|r| r.plan.id.to_string()).collect();
    let stats = routing(store, &[]);
    assert_eq!(stats, reference(store, &ids, &[]));
    assert!(stats.tiers.iter().any(|t| t.running.samples > 10 && t.retries > 0), "a busy history: {stats:?}");
    for team in teams {
        let filter = [tag("team", team)];
        let members: Vec<String> =
            records.iter().filter(|r| r.tags[0].value == team).map(|r| r.plan.id.to_string()).collect();
        assert_eq!(routing(store, &filter), reference(store, &members, &filter), "team={team}");
    }
}
