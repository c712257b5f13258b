//! Comparing the migrations a database has with the ones this build embeds.
//!
//! Each backend applies its own dialect's folder under a lock of its own (SQLite: a
//! `BEGIN IMMEDIATE` transaction; PostgreSQL: an advisory lock), but both decide the same way
//! what is pending and refuse a database that is newer than the binary.

use diesel::backend::Backend as DieselBackend;
use diesel::migration::MigrationSource;
use diesel_migrations::EmbeddedMigrations;

use crate::error::{Result, StoreError};
use crate::store::MigrationStatus;

/// The migration that added `triggers.class`; the rows it finds are classified in Rust, in the
/// same transaction, right after it is applied.
pub(crate) const TRIGGER_CLASSES: &str = "20261122000003";

/// The migration that added `plans.shape_signature`; the plans it finds are signed in Rust, in
/// the same transaction, right after it is applied.
pub(crate) const SHAPE_SIGNATURES: &str = "20261202000004";

/// The versions embedded in `migrations`, oldest first.
pub(crate) fn known_versions<DB: DieselBackend>(migrations: &EmbeddedMigrations) -> Result<Vec<String>> {
    let list = MigrationSource::<DB>::migrations(migrations)
        .map_err(|e| StoreError::Migration(format!("cannot read the embedded migrations: {e}")))?;
    let mut versions: Vec<String> = list.iter().map(|m| m.name().version().to_string()).collect();
    versions.sort();
    Ok(versions)
}

/// Compares `applied` with `known`; a version this build does not know means the database was
/// migrated by a newer skillnet, and is refused.
pub(crate) fn compare(mut applied: Vec<String>, known: &[String]) -> Result<MigrationStatus> {
    applied.sort();
    let unknown: Vec<&str> = applied.iter().filter(|v| !known.contains(v)).map(String::as_str).collect();
    if !unknown.is_empty() {
        return Err(StoreError::Migration(format!(
            "the database has schema version {} which this skillnet does not know (it knows up to {}); \
             it was migrated by a newer skillnet: upgrade skillnet (the database was not modified)",
            unknown.join(", "),
            known.last().map_or("none", String::as_str),
        )));
    }
    let pending = known.iter().filter(|v| !applied.contains(v)).cloned().collect();
    Ok(MigrationStatus { applied, pending, zero_six_plans: None })
}

pub(crate) fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError::Migration(format!("applying migrations failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pending_is_what_the_database_lacks() {
        let status = compare(v(&["1"]), &v(&["1", "2"])).unwrap();
        assert_eq!(status.pending, v(&["2"]));
        assert_eq!(status.current(), Some("1"));
        assert!(compare(v(&[]), &v(&["1"])).unwrap().current().is_none());
    }

    #[test]
    fn a_newer_database_is_refused() {
        let err = compare(v(&["1", "3"]), &v(&["1", "2"])).unwrap_err().to_string();
        assert!(err.contains("schema version 3") && err.contains("knows up to 2"), "{err}");
    }
}
