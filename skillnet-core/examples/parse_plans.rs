//! Parses N generated 10-phase plan directories (held in memory) and evaluates their triggers,
//! meta-heuristics and shape hash, then prints the time per plan:
//!
//! ```sh
//! cargo run --release -p skillnet-core --example parse_plans -- 10000
//! ```

use std::time::Instant;

use skillnet_core::plan_dir::meta::{self, MetaInputs};
use skillnet_core::plan_dir::{self, heuristics, shape_hash, MemoryPlan};

const TIERS: [&str; 4] = ["low", "medium", "high", "max"];

/// A 10-phase plan whose shape varies with `seed`.
fn plan(seed: usize) -> Vec<(String, String)> {
    let mut readme =
        format!("# Generated plan {seed}\n\n| Phase | File | Depends on | Touches |\n|---|---|---|---|\n");
    let mut files = Vec::new();
    for i in 1..=10 {
        let deps = if i == 1 { "—".to_owned() } else { format!("{:02}", 1 + (seed + i) % (i - 1)) };
        let name = format!("{i:02}-step-{}.md", (seed * 7 + i) % 13);
        readme
            .push_str(&format!("| {i:02} | [{name}](./{name}) | {deps} | `src/m{}.rs` |\n", (seed + i) % 5));
        let tier = TIERS[(seed + i * 3) % 4];
        let tree =
            if (seed + i) % 9 == 0 { "`/srv/repos/other` (the other team)" } else { "same as primary" };
        files.push((
            name,
            format!(
                "# Phase {i:02}\n\n> **Recommended Codex model: GPT 5.5 {tier}**\n\nWhat it does.\n\n\
                 ## Working tree\n\n{tree}\n\n## Files likely touched\n\n- `src/m{}.rs` — the module\n\
                 - `src/{{a,b}}/lib{}.rs`\n- `tests/t{}.rs` (new tests)\n",
                (seed + i) % 5,
                i % 3,
                (seed * i) % 4
            ),
        ));
    }
    files.push(("README.md".to_owned(), readme));
    files
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let plans: Vec<Vec<(String, String)>> = (0..n).map(plan).collect();
    let start = Instant::now();
    let mut fired = 0;
    for files in &plans {
        let plan = MemoryPlan::new(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let shape = plan_dir::parse(&plan).expect("generated plans parse");
        let triggers = heuristics::evaluate(&shape, |h| h.default_threshold);
        let id = shape_hash::shape_hash(&shape);
        let inputs =
            MetaInputs { plan: &shape, triggers: &triggers, verify: None, plan_id: Some(&id), history: None };
        fired += meta::evaluate(&inputs).fired.len() + triggers.iter().filter(|t| t.fired).count();
    }
    let elapsed = start.elapsed();
    println!(
        "{n} plans in {:.3} s: {:.1} µs per plan ({fired} triggers and meta-heuristics fired)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / n as f64
    );
}
