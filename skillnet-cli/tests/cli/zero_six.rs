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

#[test]
fn doctor_and_config_show_announce_the_adoption_and_the_next_command_makes_it() {
    let env = Env::new();
    let db = env.default_db();
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::copy(fixture("calibration.sqlite"), &db).unwrap();
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
fn sixteen_processes_opening_a_zero_six_postgres_database_adopt_it_once() {
    let Some(db) = postgres_database() else { return };
    let dump: String = std::fs::read_to_string(fixture("postgres.sql"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .map(|line| format!("{line}\n"))
        .collect();
    diesel::PgConnection::establish(db.url()).unwrap().batch_execute(&dump).unwrap();
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
