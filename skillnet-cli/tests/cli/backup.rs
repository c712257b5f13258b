//! `calibration backup` and `restore`: a snapshot taken while another process keeps recording
//! holds the history of one moment, and restores on either backend.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};

use skillnet_test_db::postgres_database;

use crate::support::{sidecar, Env};

fn export(env: &Env, url: &str) -> String {
    env.ok(&["--database-url", url, "calibration", "export"]).stdout()
}

/// The id of an export line.
fn id_of(line: &str) -> String {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_str().unwrap_or_default().to_owned()
}

/// Backs `url` up while a second process records plans `late-0000`, `late-0001`, ... one at a
/// time; restores the backup into `target` and checks it is the source as it was at one moment.
fn backup_while_recording(env: &Env, url: &str, target: &str) {
    env.record_history(url, 10_000);
    let backup = env.path("snapshot.jsonl.gz");
    let backup = backup.to_str().unwrap();
    let stop = AtomicBool::new(false);
    let late = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 3 {
                let dir = env.plan_dir(&format!("late-{n:04}"), &sidecar(&format!("late-{n:04}")));
                env.ok(&["--database-url", url, "-q", "calibration", "record", &dir]);
                n += 1;
            }
            n
        });
        // Let the writer get going, then take the backup while it records.
        while !env.path(&format!("plans/late-{:04}", 1)).exists() {
            std::thread::yield_now();
        }
        env.ok(&["--database-url", url, "calibration", "backup", backup]);
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap()
    });
    let after = export(env, url);
    env.ok(&["--database-url", target, "calibration", "restore", backup]);
    let restored = export(env, target);

    // Every restored line is a line of the source, whole: no plan was caught half written.
    let source_lines: BTreeSet<&str> = after.lines().collect();
    assert!(restored.lines().all(|line| source_lines.contains(line)), "a restored line the source never had");
    // The late plans restored are the first k the writer recorded, for one k: one moment.
    let ids: Vec<String> = restored.lines().map(id_of).collect();
    assert_eq!(ids.iter().filter(|id| id.starts_with("plan-")).count(), 10_000);
    let late_ids: Vec<&String> = ids.iter().filter(|id| id.starts_with("late-")).collect();
    let expected: Vec<String> = (0..late_ids.len()).map(|n| format!("late-{n:04}")).collect();
    assert_eq!(late_ids, expected.iter().collect::<Vec<_>>(), "a prefix of the writer's plans");
    assert!(late_ids.len() < late, "the writer went on after the snapshot ({} of {late})", late_ids.len());
}

#[test]
fn a_backup_taken_while_sqlite_is_written_restores_one_moment() {
    let env = Env::new();
    let source = env.path("source.sqlite");
    let target = env.path("target.sqlite");
    backup_while_recording(&env, source.to_str().unwrap(), target.to_str().unwrap());
}

#[test]
fn a_backup_taken_while_postgres_is_written_restores_one_moment() {
    let (Some(source), Some(target)) = (postgres_database(), postgres_database()) else { return };
    let env = Env::new();
    backup_while_recording(&env, source.url(), target.url());
}

#[test]
fn backups_round_trip_between_the_backends_and_refuse_what_they_must() {
    let Some(pg) = postgres_database() else { return };
    let env = Env::new();
    let original = env.path("original.sqlite");
    let original = original.to_str().unwrap();
    env.record_history(original, 10_000);
    env.ok(&["--database-url", original, "calibration", "tag", "plan-00042", "owner=alice"]);
    env.ok(&[
        "--database-url",
        original,
        "usage",
        "record",
        "--skill",
        "simplify",
        "--harness",
        "claude-code",
        "--session",
        "s-1",
        "--event-id",
        "toolu_1",
        "--at",
        "1700000000",
    ]);
    let before = export(&env, original);

    let first = env.path("first.jsonl.gz");
    let second = env.path("second.jsonl.gz");
    let back = env.path("back.sqlite");
    let (first, second, back) = (first.to_str().unwrap(), second.to_str().unwrap(), back.to_str().unwrap());
    env.ok(&["--database-url", original, "calibration", "backup", first]);
    env.ok(&["--database-url", pg.url(), "calibration", "restore", first]);
    assert_eq!(export(&env, pg.url()), before, "SQLite -> backup -> PostgreSQL");
    env.ok(&["--database-url", pg.url(), "calibration", "backup", second]);
    env.ok(&["--database-url", back, "calibration", "restore", second]);
    assert_eq!(export(&env, back), before, "PostgreSQL -> backup -> SQLite");
    // gunzip gives export lines.
    let mut lines = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(first).unwrap()),
        &mut lines,
    )
    .unwrap();
    assert_eq!(lines, before);

    // Never over an existing file; never into a history without --force.
    let run = env.run(&["--database-url", original, "calibration", "backup", first]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    let run = env.run(&["--database-url", back, "calibration", "restore", first]);
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(run.stderr().contains("already holds 10000 plans"), "{}", run.stderr());
    env.ok(&["--database-url", back, "calibration", "restore", first, "--force"]);
    assert_eq!(export(&env, back), before);
    // A file that is not a backup writes nothing.
    let bad = env.path("bad.jsonl.gz");
    std::fs::write(&bad, &std::fs::read(first).unwrap()[..200]).unwrap();
    let empty = env.path("empty.sqlite");
    let run = env.run(&[
        "--database-url",
        empty.to_str().unwrap(),
        "calibration",
        "restore",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert_eq!(env.ok(&["--database-url", empty.to_str().unwrap(), "calibration", "export"]).stdout(), "");
}
