//! Migrations: applied on open, nothing applied twice, a database from a newer build refused and
//! left untouched, and the two dialects' folders in step.

use std::fs;
use std::path::Path;

use skillnet_store::{CalibrationStore, OpenOptions, StoreError};

use crate::fixtures::*;
use crate::harness::{fresh_database, reopen, Raw};
use crate::schema::schema_text;

/// The migration folder names of one dialect, sorted; each must hold `up.sql` and `down.sql`.
fn migration_names(dialect: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dialect);
    let mut names = Vec::new();
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().expect("UTF-8 name");
        assert!(entry.file_type().unwrap().is_dir(), "{dialect}/{name} is not a migration folder");
        for file in ["up.sql", "down.sql"] {
            let text = fs::read_to_string(entry.path().join(file))
                .unwrap_or_else(|e| panic!("{dialect}/{name}/{file}: {e}"));
            assert!(!text.trim().is_empty(), "{dialect}/{name}/{file} is empty");
        }
        names.push(name);
    }
    names.sort();
    names
}

/// The versions Diesel derives from the folder names (the part before the first `_`).
fn versions() -> Vec<String> {
    migration_names("migrations-sqlite")
        .iter()
        .map(|name| name.split('_').next().unwrap().to_owned())
        .collect()
}

/// SPEC.md §7: "one folder per dialect with the same migration names in both".
pub fn migration_folders_match_across_dialects() {
    let sqlite = migration_names("migrations-sqlite");
    let pg = migration_names("migrations-pg");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, pg, "migrations-sqlite/ and migrations-pg/ must hold the same migrations");
    for name in &sqlite {
        let (version, title) = name.split_once('_').unwrap_or_else(|| panic!("{name}: VERSION_title"));
        assert!(version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()), "{name}");
        assert!(!title.is_empty(), "{name}");
    }
}

pub fn open_applies_every_migration(store: &dyn CalibrationStore) {
    let status = store.migration_status().unwrap();
    assert_eq!(status.applied, versions());
    assert!(status.pending.is_empty(), "{status:?}");
    assert_eq!(status.current(), versions().last().map(String::as_str));
    assert!(store.migrate().unwrap().is_empty(), "nothing left to apply");
}

pub fn reopening_an_up_to_date_database_applies_nothing(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let mut raw = Raw::connect(store);
    let before = (schema_text(&mut raw), bookkeeping(&mut raw), export_jsonl(store));
    let again = reopen(store).unwrap();
    assert!(again.migrate().unwrap().is_empty());
    assert_eq!(again.migration_status().unwrap(), store.migration_status().unwrap());
    assert_eq!((schema_text(&mut raw), bookkeeping(&mut raw), export_jsonl(&*again)), before);
}

/// The bookkeeping rows, with when each migration ran: re-applying would change them.
fn bookkeeping(raw: &mut Raw) -> Vec<String> {
    raw.lines(
        "SELECT version || ' ' || CAST(run_on AS TEXT) AS line FROM __diesel_schema_migrations ORDER BY version",
    )
}

pub fn migrate_applies_what_is_pending(store: &dyn CalibrationStore) {
    let database = fresh_database(store);
    let url = skillnet_store::DatabaseUrl::parse(database.url()).unwrap();
    let unmigrated =
        skillnet_store::open_with(&url, &OpenOptions { migrate: false, ..OpenOptions::default() });
    let unmigrated = unmigrated.unwrap();
    let status = unmigrated.migration_status().unwrap();
    assert!(status.applied.is_empty());
    assert_eq!(status.pending, versions());
    assert_eq!(status.current(), None);
    assert_eq!(unmigrated.migrate().unwrap(), versions());
    assert!(unmigrated.migrate().unwrap().is_empty());
    let status = unmigrated.migration_status().unwrap();
    assert_eq!((status.applied, status.pending), (versions(), Vec::new()));
    // Migrated by hand, the database has the same schema as one migrated on open.
    let mut fresh = Raw::connect(&*unmigrated);
    let mut opened = Raw::connect(store);
    assert_eq!(schema_text(&mut fresh), schema_text(&mut opened));
}

pub fn a_database_migrated_by_a_newer_build_is_refused_untouched(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let mut raw = Raw::connect(store);
    raw.execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231235959')");
    let before = (schema_text(&mut raw), bookkeeping(&mut raw), export_jsonl(store));

    for options in [OpenOptions::default(), OpenOptions { migrate: false, ..OpenOptions::default() }] {
        let err = skillnet_store::open_with(store.url(), &options).unwrap_err();
        let StoreError::Migration(message) = &err else { panic!("expected a migration error, got {err:?}") };
        assert!(message.contains("99991231235959"), "{message}");
        assert!(message.contains("newer"), "{message}");
        assert!(message.contains("not modified"), "{message}");
    }
    assert!(matches!(store.migration_status(), Err(StoreError::Migration(_))));
    assert!(matches!(store.migrate(), Err(StoreError::Migration(_))));
    assert_eq!((schema_text(&mut raw), bookkeeping(&mut raw), export_jsonl(store)), before);
}

/// Runs the `down.sql` of migration `version` on the store's database and forgets that it was
/// applied: the database is as a build from before that migration left it.
fn undo_migration(store: &dyn CalibrationStore, version: &str) {
    let folder = migration_names("migrations-sqlite").into_iter().find(|n| n.starts_with(version)).unwrap();
    let dialect = match store.backend() {
        skillnet_store::Backend::Sqlite => "migrations-sqlite",
        skillnet_store::Backend::Postgres => "migrations-pg",
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dialect).join(&folder);
    let mut raw = Raw::connect(store);
    raw.execute(&fs::read_to_string(dir.join("down.sql")).unwrap());
    raw.execute(&format!("DELETE FROM __diesel_schema_migrations WHERE version = '{version}'"));
}

/// A history recorded before trigger rows had classes is classified when the migration that
/// adds them runs: the analysis of an upgraded database equals that of one migrated from the
/// start.
pub fn upgrading_classifies_an_existing_history(store: &dyn CalibrationStore) {
    record(store, &[plan("a"), plan("b"), bare_plan("c")]);
    verify(store, "a", verification(skillnet_core::Outcome::Shipped, CREATED));
    verify(store, "c", bare_verification(skillnet_core::Outcome::Abandoned, CREATED));
    let query =
        skillnet_store::AnalysisQuery { trigger: None, filter_tags: vec![], min_n: 1, analyzed_at: 0 };
    let before = store.analyze(&query).unwrap();
    assert_eq!(before.dataset_size, 3, "a: two triggers, c: one; b is not verified");

    // Take the database back to the schema before the migration, as an older build left it
    // (the migrations after it first, newest first, as the undo of each expects).
    undo_migration(store, "20261202000005");
    undo_migration(store, "20261122000003");

    let upgraded = reopen(store).unwrap();
    assert_eq!(upgraded.migration_status().unwrap().pending, Vec::<String>::new());
    assert_eq!(upgraded.analyze(&query).unwrap(), before);
}

/// A history recorded before plans had shape signatures is signed when the migration that adds
/// them runs, so `novel-shape-signature` knows the plans recorded before the upgrade.
pub fn upgrading_signs_an_existing_history(store: &dyn CalibrationStore) {
    record(store, &[plan("a"), bare_plan("c")]);
    let signature = |r: &skillnet_core::PlanRecord| {
        let p = &r.plan;
        skillnet_core::plan_dir::shape_hash::shape_signature(
            p.phase_count,
            p.max_chain_depth,
            p.repo_spread,
            &p.routing_dist,
        )
    };
    undo_migration(store, "20261202000004");
    let mut raw = Raw::connect(store);

    let upgraded = reopen(store).unwrap();
    assert!(upgraded.migration_status().unwrap().pending.is_empty());
    for r in [plan("a"), bare_plan("c")] {
        assert!(upgraded.shape_history(&signature(&r), &[]).unwrap().shape_seen, "{}", signature(&r));
    }
    assert_eq!(
        raw.lines("SELECT id || ' ' || shape_signature AS line FROM plans ORDER BY id"),
        ["a p3-d3-r2-high:1,low:1,medium:1", "c p0-d3-r1-"]
    );
}
