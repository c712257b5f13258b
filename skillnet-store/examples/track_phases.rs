//! Drives the phases of every plan in a store through the phase state machine, with
//! `move_phase` and deterministic pseudo-random times and outcomes, for the routing benchmark.
//!
//! ```sh
//! cargo run --release -p skillnet-store --example generate_sidecars -- 100000 > plans.jsonl
//! skillnet --database-url /tmp/routing.sqlite calibration record --jsonl plans.jsonl
//! cargo run --release -p skillnet-store --example track_phases -- sqlite:///tmp/routing.sqlite
//! ```
//!
//! For each plan (in id order) the first two phases are tracked. A phase starts at a time drawn
//! from its plan's index, then runs 1 minute to 2 hours; is verified (70 %), fails (12 %),
//! blocks for up to a day and resumes (8 %), or stays running (10 %, an unended stay);
//! verification takes 30 seconds to 30 minutes and lands (75 %), goes back to rework (12 %),
//! fails (8 %) or is left under way (5 %); a failed phase is retried half of the time. Everything
//! is a function of the plan's position and the phase's ordinal, so every run builds the same
//! history. Prints the number of plans, phases and transitions on stderr.

use std::error::Error;

use skillnet_core::phase_status::PhaseStatus::{self, *};
use skillnet_store::{PhaseRef, PlanQuery};

/// Phases tracked per plan (every generated plan has at least three).
const TRACKED_PHASES: i64 = 2;

/// Moves after which a phase is left where it is.
const MAX_MOVES: usize = 24;

/// A small deterministic mixer (splitmix64), as in `generate_sidecars`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The moves of one phase: `(to, at)` pairs, a pure function of `seed`.
fn walk(seed: u64) -> Vec<(PhaseStatus, i64)> {
    let mut draws = (0u64..).map(|k| mix(seed.wrapping_mul(1_000_003).wrapping_add(k)));
    let mut draw = |bound: u64| draws.next().expect("endless") % bound;
    let mut at = 1_760_000_000 + draw(30 * 86_400) as i64;
    let mut moves = vec![(Running, at)];
    let mut status = Running;
    while moves.len() < MAX_MOVES {
        let roll = draw(100);
        let (to, stay) = match status {
            Running => match roll {
                0..70 => (Verifying, 60 + draw(7_140)),
                70..82 => (Failed, 60 + draw(7_140)),
                82..90 => (Blocked, 60 + draw(3_600)),
                _ => break,
            },
            Blocked => (Running, 300 + draw(86_400)),
            Verifying => match roll {
                0..75 => (Landed, 30 + draw(1_770)),
                75..87 => (Running, 30 + draw(1_770)),
                87..95 => (Failed, 30 + draw(1_770)),
                _ => break,
            },
            Failed if roll < 50 => (Queued, 60 + draw(3_600)),
            Queued => (Running, 60 + draw(3_600)),
            _ => break,
        };
        at += stay as i64;
        moves.push((to, at));
        status = to;
    }
    moves
}

fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::args().nth(1).ok_or("usage: track_phases DATABASE_URL")?;
    let store = skillnet_store::open(&url)?;
    let mut ids: Vec<_> = store.query_plans(&PlanQuery::default())?.into_iter().map(|p| p.plan.id).collect();
    ids.sort();
    let (mut phases, mut transitions) = (0u64, 0u64);
    for (i, id) in ids.iter().enumerate() {
        for ordinal in 1..=TRACKED_PHASES {
            for (to, at) in walk(i as u64 * 16 + ordinal as u64) {
                store.move_phase(id, &PhaseRef::Ordinal(ordinal), to, at, None)?;
                transitions += 1;
            }
            phases += 1;
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!("track_phases: {} plans, {transitions} transitions", i + 1);
        }
    }
    eprintln!("track_phases: {} plans, {phases} phases tracked, {transitions} transitions", ids.len());
    Ok(())
}
