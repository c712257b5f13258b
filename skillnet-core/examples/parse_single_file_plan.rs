//! Parses single-file plans of 50, 200 and 800 phases (held in memory): a README whose rows
//! link one `plan.md` at each phase's anchor, each phase a 57-line section. Prints the time
//! per plan:
//!
//! ```sh
//! cargo run --release -p skillnet-core --example parse_single_file_plan
//! ```

use std::time::Instant;

use skillnet_core::plan_dir::{self, MemoryPlan};

fn main() {
    for phases in [50_usize, 200, 800] {
        let mut readme = String::from("# One file\n\n| Phase | File | Depends on |\n|---|---|---|\n");
        let mut plan = String::from("# Phases\n\n");
        for i in 1..=phases {
            let depends = if i == 1 { "—".to_owned() } else { (i - 1).to_string() };
            readme.push_str(&format!("| {i} | [Phase {i}](plan.md#phase-{i}) | {depends} |\n"));
            plan.push_str(&format!("## Phase {i}\n\n> **Recommended Codex model: GPT 5.5 high**\n\n"));
            for line in 0..25 {
                plan.push_str(&format!("Line {line} of phase {i}, with `src/m{line}.rs` in it.\n\n"));
            }
            plan.push_str(&format!("### Files likely touched\n\n- `src/p{i}.rs`\n\n"));
        }
        let files = MemoryPlan::new([("README.md", readme.as_str()), ("plan.md", plan.as_str())]);
        let start = Instant::now();
        let shape = plan_dir::parse(&files).expect("generated plans parse");
        let elapsed = start.elapsed();
        assert_eq!(shape.phases.len(), phases);
        println!(
            "{phases} phases in one file of {} lines: {:.1} ms",
            plan.lines().count(),
            elapsed.as_secs_f64() * 1e3
        );
    }
}
