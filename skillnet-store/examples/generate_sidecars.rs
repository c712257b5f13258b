//! Writes N synthetic, valid sidecars as JSON Lines to stdout, for benchmarks.
//!
//! ```sh
//! cargo run --release -p skillnet-store --example generate_sidecars -- 10000 > plans.jsonl
//! cargo run --release -p skillnet-store --example generate_sidecars -- 10000 --verified > verified.jsonl
//! ```
//!
//! Plans are a deterministic function of their index: 15 catalog triggers, 3 to 10 phases,
//! two tags, and (with `--verified`) a verify block whose surprises mark some triggers dead weight
//! or missed signals.

use std::io::{BufWriter, Write};

use serde_json::json;
use skillnet_core::catalog::CATALOG;

const TIERS: [&str; 4] = ["low", "medium", "high", "max"];
const FLAVORS: [&str; 3] = ["codex", "claude", "mixed"];
const OUTCOMES: [&str; 3] = ["shipped", "partial", "abandoned"];

/// A small deterministic mixer (splitmix64), so runs are reproducible without a RNG crate.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn sidecar(i: u64, verified: bool) -> serde_json::Value {
    let r = |k: u64| mix(i * 131 + k);
    let phase_count = 3 + r(1) % 8;
    let phases: Vec<_> = (0..phase_count)
        .map(|p| {
            json!({"ordinal": p + 1, "slug": format!("phase-{p}"), "routing_tier": TIERS[(r(10 + p) % 4) as usize],
                   "files": [format!("src/module_{}.rs", r(30 + p) % 50)]})
        })
        .collect();
    let mut routing = serde_json::Map::new();
    for p in &phases {
        let tier = p["routing_tier"].as_str().unwrap().to_owned();
        let n = routing.get(&tier).and_then(|v| v.as_i64()).unwrap_or(0);
        routing.insert(tier, json!(n + 1));
    }
    let triggers: Vec<_> = CATALOG
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let input = (r(100 + k as u64) % 6) as f64 * if h.ratio { 0.5 } else { 1.0 };
            let fired = input >= h.default_threshold;
            json!({"name": h.name, "input_value": input, "threshold": h.default_threshold, "fired": fired,
                   "section_added": if fired { h.section_added } else { None }})
        })
        .collect();
    let verify = verified.then(|| {
        json!({"verified_at": 1_760_000_000 + i as i64 * 60, "elapsed_seconds": r(3) % 100_000,
        "outcome": OUTCOMES[(r(4) % 3) as usize], "phase_outcomes": {"phase-0": "passed"},
        "emergency_changes": if r(5) % 4 == 0 { json!({"files": ["deploy.yaml"]}) } else { json!(null) },
        "surprises": match r(6) % 6 {
            0 | 1 => json!("dead-weight: long-serial-chain: never stalled"),
            2 => json!(format!("missed-signal: {}: should have fired", CATALOG[(r(16) % 15) as usize].name)),
            _ => json!(null),
        }})
    });
    json!({
        "schema_version": 1,
        "plan": {"id": format!("bench-{i:08}"), "name": format!("benchmark plan {i}"),
                 "flavor": FLAVORS[(r(7) % 3) as usize], "worktype": if r(8) % 2 == 0 { json!("feature") } else { json!(null) },
                 "created_at": 1_750_000_000 + i as i64 * 60, "phase_count": phase_count, "wave_count": 1 + r(9) % 3,
                 "max_chain_depth": 1 + r(11) % 5, "repo_spread": 1 + r(12) % 3, "routing_dist": routing,
                 "shape_hash": format!("{:016x}", r(13))},
        "triggers": triggers,
        "phases": phases,
        "meta_heuristics_fired": if r(14) % 5 == 0 { json!(["uniform-random"]) } else { json!([]) },
        "tags": {"team": format!("team-{}", r(15) % 12)},
        "verify": verify
    })
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let verified = args.any(|a| a == "--verified");
    let mut out = BufWriter::new(std::io::stdout().lock());
    for i in 0..n {
        serde_json::to_writer(&mut out, &sidecar(i, verified))?;
        writeln!(out)?;
    }
    out.flush()
}
