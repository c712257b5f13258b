//! The hand-written baseline that `skillnet calibration record` is measured against: parse the
//! same JSON Lines with the same parser, then insert the same rows (plan, phases, triggers, auto
//! and sidecar tags) into the same schema with rusqlite prepared statements in one transaction.
//!
//! ```sh
//! cargo run --release -p skillnet-store --example rusqlite_baseline -- plans.jsonl baseline.sqlite
//! ```
//!
//! See BENCHMARKS.md.

use std::io::BufRead;

use rusqlite::{params, Connection};
use skillnet_core::{sidecar, tag::auto_tags};

/// The schema skillnet migrates to, step by step.
const SCHEMA: [&str; 3] = [
    include_str!("../../migrations-sqlite/20261122000001_create-calibration-tables/up.sql"),
    include_str!("../../migrations-sqlite/20261122000002_add-phase-status/up.sql"),
    include_str!("../../migrations-sqlite/20261122000003_add-calibration-loop/up.sql"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (input, db) =
        (args.next().ok_or("usage: INPUT.jsonl DB")?, args.next().ok_or("usage: INPUT.jsonl DB")?);
    let mut conn = Connection::open(&db)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    for step in SCHEMA {
        conn.execute_batch(step)?;
    }
    let reader = std::io::BufReader::new(std::fs::File::open(&input)?);
    let mut records = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        records.push(sidecar::parse(&line?, &format!("{input} line {}", n + 1))?);
    }
    let now = 1_770_000_000_i64;
    let tx = conn.transaction()?;
    {
        let mut plan = tx.prepare(
            "INSERT INTO plans (id, name, path, flavor, worktype, created_at, recorded_at, phase_count, wave_count, \
             max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        let mut phase = tx.prepare(
            "INSERT INTO phases (plan_id, ordinal, slug, routing_tier, files) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut trigger = tx.prepare(
            "INSERT INTO triggers (plan_id, name, input_value, threshold, fired, section_added, plan_flavor, \
             plan_worktype) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut tag =
            tx.prepare("INSERT OR IGNORE INTO tags (plan_id, key, value, source) VALUES (?1, ?2, ?3, ?4)")?;
        for r in &records {
            let p = &r.plan;
            let id = p.id.as_str();
            plan.execute(params![
                id,
                p.name,
                p.path,
                p.flavor,
                p.worktype,
                p.created_at,
                now,
                p.phase_count,
                p.wave_count,
                p.max_chain_depth,
                p.repo_spread,
                serde_json::to_string(&p.routing_dist)?,
                p.shape_hash,
                serde_json::to_string(&p.capture_reasons)?
            ])?;
            for ph in &r.phases {
                phase.execute(params![
                    id,
                    ph.ordinal,
                    ph.slug,
                    ph.routing_tier,
                    serde_json::to_string(&ph.files)?
                ])?;
            }
            for t in &r.triggers {
                trigger.execute(params![
                    id,
                    t.name,
                    t.input_value,
                    t.threshold,
                    t.fired,
                    t.section_added,
                    p.flavor,
                    p.worktype
                ])?;
            }
            for (k, v) in auto_tags(p, &r.phases, None) {
                tag.execute(params![id, k, v, "auto"])?;
            }
            for t in &r.tags {
                tag.execute(params![id, t.key.as_str(), t.value, "sidecar"])?;
            }
        }
    }
    tx.commit()?;
    eprintln!("inserted {} plans", records.len());
    Ok(())
}
