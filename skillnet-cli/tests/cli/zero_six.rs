//! A skillnet 0.6 user's database: `doctor` and `config show` say what the next command does and
//! change nothing; the next command adopts it and names the backup; 16 processes opening a 0.6
//! PostgreSQL database at once adopt it exactly once.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use skillnet_test_db::postgres_database;

use crate::support::Env;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../skillnet-store/tests/fixtures/zero-six").join(name)
}

/// The files of `dir` with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut list: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    list.sort();
    list
}

/// The 0.6 fixture history copied to `env`'s default database, which it returns.
fn zero_six_default_db(env: &Env) -> PathBuf {
    let db = env.default_db();
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::copy(fixture("calibration.sqlite"), &db).unwrap();
    db
}

#[test]
fn doctor_and_config_show_announce_the_adoption_and_the_next_command_makes_it() {
    let env = Env::new();
    let db = zero_six_default_db(&env);
    let before = files(db.parent().unwrap());

    let report = env.ok(&["doctor", "--format", "json"]).json();
    let migrated = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "migrated").unwrap();
    let expected = format!(
        "skillnet 0.6 database (12 plans): the next command will adopt it in place (backup: {}.0.6-backup-<unix time>)",
        db.display()
    );
    assert_eq!(migrated["detail"], expected.as_str());
    assert_eq!(report["healthy"], true);
    let shown = env.ok(&["config", "show", "--format", "json"]).json();
    assert_eq!(shown["zero_six"], expected.as_str());
    assert_eq!(files(db.parent().unwrap()), before, "doctor and config show changed nothing");

    let run = env.ok(&["calibration", "query", "--format", "json"]);
    assert_eq!(run.json().as_array().unwrap().len(), 12);
    let stderr = run.stderr();
    assert!(stderr.contains("adopted the skillnet 0.6 database"), "{stderr}");
    let backup = stderr.rsplit("backed up at ").next().unwrap().trim();
    assert_eq!(std::fs::read(backup).unwrap(), std::fs::read(fixture("calibration.sqlite")).unwrap());

    // skillnet 0.6 finds no schema it could use: no `schema_versions`, so it would create its
    // tables, and fail on `plans`, which exists, writing nothing.
    let mut raw = diesel::SqliteConnection::establish(&db.display().to_string()).unwrap();
    raw.batch_execute("SELECT count(*) FROM plans").unwrap();
    assert!(raw.batch_execute("SELECT count(*) FROM schema_versions").is_err());

    // The next command finds skillnet's database: nothing more is said or done.
    let again = env.ok(&["calibration", "query", "--format", "json"]);
    assert!(!again.stderr().contains("adopted"), "{}", again.stderr());
}

#[test]
fn values_0_6_kept_as_written_are_read_and_named_on_stderr() {
    let env = Env::new();
    let db = zero_six_default_db(&env);
    let mut raw = diesel::SqliteConnection::establish(&db.display().to_string()).unwrap();
    raw.batch_execute("UPDATE verifications SET outcome = 'success' WHERE id IN (SELECT id FROM verifications ORDER BY id LIMIT 2)")
        .unwrap();
    drop(raw);

    let run = env.ok(&["calibration", "query", "--format", "json"]);
    assert_eq!(run.json().as_array().unwrap().len(), 12);
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "0.6 kept values skillnet does not allow; they read as: outcome `success` (2 rows) as `shipped`; \
             each plan's `outcome` tag keeps the outcome written"
        ),
        "{stderr}"
    );
}

#[test]
fn sixteen_processes_opening_a_zero_six_postgres_database_adopt_it_once() {
    let Some(db) = postgres_database() else { return };
    skillnet_test_db::load_postgres_dump(db.url(), &fixture("postgres.sql"));
    let env = Env::new().set("SKILLNET_DATABASE_URL", db.url());
    let children: Vec<_> = (0..16)
        .map(|_| {
            env.command(&["calibration", "query", "--format", "json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut adoptions = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        let plans: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plans.as_array().unwrap().len(), 12, "every process sees the whole history");
        adoptions += usize::from(stderr.contains("adopted the skillnet 0.6 database"));
    }
    assert_eq!(adoptions, 1);
}

/// A larger 0.6 SQLite database: the fixture's 12 plans, each copied `copies` times under new
/// ids, with everything they own, in 0.6's own schema.
fn large_zero_six_database(path: &Path, copies: u32) {
    std::fs::copy(fixture("calibration.sqlite"), path).unwrap();
    let mut db = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
    let copies =
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies})");
    db.batch_execute(&format!(
        "BEGIN;
         {copies} INSERT INTO plans (id, created_at, name, path, flavor, worktype, phase_count, wave_count,
             max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons)
           SELECT id || '.' || i, created_at + i, name, path, flavor, worktype, phase_count, wave_count,
             max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons
           FROM plans, n WHERE id NOT LIKE '%.%';
         {copies} INSERT INTO triggers (plan_id, name, input_value, threshold, fired, section_added)
           SELECT plan_id || '.' || i, name, input_value, threshold, fired, section_added FROM triggers, n
           WHERE plan_id NOT LIKE '%.%';
         {copies} INSERT INTO phases (plan_id, ordinal, slug, routing_tier, files)
           SELECT plan_id || '.' || i, ordinal, slug, routing_tier, files FROM phases, n WHERE plan_id NOT LIKE '%.%';
         {copies} INSERT INTO verifications (plan_id, verified_at, elapsed_seconds, outcome, phase_outcomes,
             emergency_changes, surprises)
           SELECT plan_id || '.' || i, verified_at, elapsed_seconds, outcome, phase_outcomes, emergency_changes,
             surprises FROM verifications, n WHERE plan_id NOT LIKE '%.%';
         {copies} INSERT INTO tags (plan_id, key, value)
           SELECT plan_id || '.' || i, key, value FROM tags, n WHERE plan_id NOT LIKE '%.%';
         COMMIT;
         PRAGMA wal_checkpoint(TRUNCATE);"
    ))
    .unwrap();
}

/// What a database file holds, as far as adoption goes.
#[derive(Debug, PartialEq)]
enum State {
    /// 0.6's schema, with these plans, triggers and verifications.
    ZeroSix(i64, i64, i64),
    /// skillnet's, with these plans, triggers and verifications.
    Adopted(i64, i64, i64),
}

fn state(path: &Path) -> State {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let mut db = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
    let tables: Vec<String> = diesel::RunQueryDsl::load::<Row>(
        diesel::sql_query("SELECT name AS line FROM sqlite_master WHERE type = 'table' ORDER BY name"),
        &mut db,
    )
    .unwrap()
    .into_iter()
    .map(|r| r.line)
    .collect();
    let count = |db: &mut diesel::SqliteConnection, table: &str| -> i64 {
        let rows: Vec<Row> = diesel::RunQueryDsl::load(
            diesel::sql_query(format!("SELECT CAST(count(*) AS TEXT) AS line FROM {table}")),
            db,
        )
        .unwrap();
        rows[0].line.parse().unwrap()
    };
    let counts = (count(&mut db, "plans"), count(&mut db, "triggers"), count(&mut db, "verifications"));
    let zero_six = ["calibration_proposals", "heuristic_thresholds", "phases", "plans", "schema_versions"];
    if tables.iter().any(|t| t == "__diesel_schema_migrations") {
        assert!(
            !tables.iter().any(|t| t == "schema_versions" || t.starts_with("zero_six_")),
            "a mix: {tables:?}"
        );
        State::Adopted(counts.0, counts.1, counts.2)
    } else {
        assert!(zero_six.iter().all(|t| tables.iter().any(|found| found == t)), "a mix: {tables:?}");
        assert!(!tables.iter().any(|t| t.starts_with("zero_six_")), "a mix: {tables:?}");
        State::ZeroSix(counts.0, counts.1, counts.2)
    }
}

#[test]
fn an_adoption_killed_at_any_point_leaves_the_0_6_database_or_the_adopted_one() {
    killed_at_any_point(250, true);
}

/// The same on about 100,000 plans: `cargo test --all-features --test cli -- --ignored`
/// (adopting them takes the debug binary about a minute a time; BENCHMARKS.md has a run).
#[test]
#[ignore = "about ten minutes: run with --ignored"]
fn an_adoption_of_100k_plans_killed_at_any_point_leaves_the_0_6_database_or_the_adopted_one() {
    killed_at_any_point(8_333, false);
}

/// Kills an adoption of the fixture with every plan copied `copies` times, at 20 points spread
/// over it, and checks what is left each time: the 0.6 database as it was, or the adopted one,
/// never a mix; with `resume`, the next command then finishes the adoption.
fn killed_at_any_point(copies: u32, resume: bool) {
    use std::hash::{BuildHasher, Hasher};
    let env = Env::new();
    let original = env.path("original.sqlite");
    large_zero_six_database(&original, copies);
    let before = state(&original);
    let State::ZeroSix(plans, triggers, verifications) = before else { panic!("{before:?}") };
    assert_eq!(plans, 12 * (i64::from(copies) + 1));
    let adopted = State::Adopted(plans, triggers, verifications);

    // One adoption to the end, to time it.
    let reference = env.path("reference.sqlite");
    std::fs::copy(&original, &reference).unwrap();
    let started = std::time::Instant::now();
    env.ok(&["--database-url", &reference.display().to_string(), "calibration", "query", "--limit", "1"]);
    let took = started.elapsed();
    assert_eq!(state(&reference), adopted);

    let seed = std::collections::hash_map::RandomState::new();
    for trial in 0..20_u32 {
        let db = env.path(&format!("trial-{trial}/calibration.sqlite"));
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        std::fs::copy(&original, &db).unwrap();
        // Spread over the whole adoption, with some jitter.
        let mut jitter = seed.build_hasher();
        jitter.write_u32(trial);
        let fraction = (f64::from(trial) + (jitter.finish() % 1000) as f64 / 1000.0) / 20.0;
        let mut child = env
            .command(&["--database-url", &db.display().to_string(), "calibration", "query", "--limit", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        let found = state(&db);
        assert!(found == before || found == adopted, "trial {trial} at {fraction:.2}: {found:?}");
        if resume {
            // Whatever was left, the next command finishes the job.
            env.ok(&["--database-url", &db.display().to_string(), "calibration", "query", "--limit", "1"]);
            assert_eq!(state(&db), adopted, "trial {trial}");
        }
        std::fs::remove_dir_all(db.parent().unwrap()).unwrap();
    }
}
