//! Fingerprints of a plan's shape: the shape hash skillnet 0.6 wrote into every sidecar (so
//! histories stay comparable), and the coarse shape signature that `novel-shape-signature`
//! looks up in the history.

use std::collections::BTreeMap;

use super::PlanShape;

/// The shape hash: BLAKE3 over `name NUL value NUL` items — the four counts, each routing tier
/// with its count (sorted by tier), each phase's ordinal, slug and tier (by ordinal), then every
/// file of every phase, sorted and without repeats — as 64 lower-case hex characters.
/// Name, flavor, working trees and dependencies are not part of it, so it can be recomputed
/// from a sidecar alone.
///
/// ```
/// use skillnet_core::plan_dir::{self, shape_hash, MemoryPlan};
///
/// let plan = MemoryPlan::new([
///     ("README.md", "| Phase | File | Depends on |\n|---|---|---|\n| 1 | 01-a.md | - |\n"),
///     ("01-a.md", ""),
/// ]);
/// assert_eq!(shape_hash::shape_hash(&plan_dir::parse(&plan).unwrap()).len(), 64);
/// ```
pub fn shape_hash(plan: &PlanShape) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut item = |name: &str, value: &str| {
        for part in [name.as_bytes(), b"\0", value.as_bytes(), b"\0"] {
            hasher.update(part);
        }
    };
    item("phase_count", &plan.phase_count.to_string());
    item("wave_count", &plan.wave_count.to_string());
    item("max_chain_depth", &plan.max_chain_depth.to_string());
    item("repo_spread", &plan.repo_spread.to_string());
    for (tier, count) in &plan.routing_dist {
        item("routing", tier);
        item("routing_count", &count.to_string());
    }
    for phase in &plan.phases {
        item("phase", &phase.ordinal.to_string());
        item("slug", &phase.slug);
        item("tier", &phase.routing_tier);
    }
    let mut files: Vec<&str> = plan.phases.iter().flat_map(|p| p.files.iter().map(String::as_str)).collect();
    files.sort_unstable();
    files.dedup();
    for file in files {
        item("file", file);
    }
    hasher.finalize().to_hex().to_string()
}

/// The coarse shape signature of a plan: phase count (capped at 12), chain depth (capped at 6),
/// repository spread (capped at 3) and the tier counts (each capped at 4), as text such as
/// `p5-d3-r1-high:1,low:4`. Plans with the same signature are "the same shape" for
/// `novel-shape-signature`.
///
/// ```
/// use std::collections::BTreeMap;
/// use skillnet_core::plan_dir::shape_hash::shape_signature;
///
/// let dist = BTreeMap::from([("low".to_owned(), 9), ("max".to_owned(), 1)]);
/// assert_eq!(shape_signature(20, 2, 1, &dist), "p12-d2-r1-low:4,max:1");
/// ```
pub fn shape_signature(
    phase_count: i64,
    max_chain_depth: i64,
    repo_spread: i64,
    routing_dist: &BTreeMap<String, i64>,
) -> String {
    let tiers: Vec<String> = routing_dist
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(tier, &n)| format!("{tier}:{}", n.min(4)))
        .collect();
    format!(
        "p{}-d{}-r{}-{}",
        phase_count.clamp(0, 12),
        max_chain_depth.clamp(0, 6),
        repo_spread.clamp(0, 3),
        tiers.join(",")
    )
}

/// Whether the deterministic 7 % sample takes the plan `id`: the first 8 bytes of BLAKE3(id),
/// read as a big-endian integer, fall below 0.07 × 2^64.
///
/// ```
/// use skillnet_core::plan_dir::shape_hash::uniform_sample;
///
/// assert_eq!(uniform_sample("some-plan"), uniform_sample("some-plan"));
/// ```
pub fn uniform_sample(id: &str) -> bool {
    const RATE: f64 = 0.07;
    let hash = blake3::hash(id.as_bytes());
    let mut first = [0_u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    let limit = (RATE * 2f64.powi(64)) as u64;
    u64::from_be_bytes(first) < limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blake3_matches_the_official_vectors() {
        assert_eq!(
            blake3::hash(b"").to_hex().as_str(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(
            blake3::hash(b"abc").to_hex().as_str(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
    }

    #[test]
    fn the_uniform_sample_takes_about_seven_percent_of_ids_and_always_the_same() {
        let taken = (0..10_000).filter(|i| uniform_sample(&format!("plan-{i}"))).count();
        assert!((600..=800).contains(&taken), "{taken} of 10000");
        let again = (0..10_000).filter(|i| uniform_sample(&format!("plan-{i}"))).count();
        assert_eq!(taken, again);
    }
}
