//! `config show`, `doctor`, `calibration migrate` and `calibration vacuum`: the database itself.

use serde::Serialize;
use skillnet_store::{CalibrationStore, DatabaseUrl, OpenOptions};

use super::{count, Context};
use crate::cli::Format;
use crate::config::{ConfigFileInfo, Resolved, UrlSource};
use crate::output;

#[derive(Serialize)]
struct ConfigReport {
    database_url: String,
    /// Set when the database is a skillnet 0.6 one the next command adopts.
    #[serde(skip_serializing_if = "Option::is_none")]
    zero_six: Option<String>,
    backend: String,
    source: UrlSource,
    source_description: String,
    config_file: ConfigFileInfo,
    /// The system-wide config file beneath `config_file`, when one exists.
    system_config_file: Option<ConfigFileInfo>,
    ignored: Vec<String>,
}

impl ConfigReport {
    fn new(r: &Resolved) -> Self {
        Self {
            database_url: r.url.redacted(),
            zero_six: None,
            backend: r.url.backend().to_string(),
            source: r.source.clone(),
            source_description: r.source.to_string(),
            config_file: r.config_file.clone(),
            system_config_file: r.system_config_file.clone(),
            ignored: r.ignored.clone(),
        }
    }

    fn rows(&self) -> Vec<[String; 2]> {
        let describe = |file: &ConfigFileInfo, unread: &str| {
            format!(
                "{} ({}, {})",
                file.path.display(),
                file.chosen_by,
                if file.loaded { "loaded" } else { unread }
            )
        };
        let mut rows = vec![
            ["database".into(), self.database_url.clone()],
            ["backend".into(), self.backend.clone()],
            ["chosen by".into(), self.source_description.clone()],
            ["config file".into(), describe(&self.config_file, "not present")],
        ];
        // It exists when it is listed; it is not read when a database is chosen above it.
        rows.extend(self.system_config_file.iter().map(|f| {
            ["system config file".to_owned(), describe(f, "not read: a database is chosen above it")]
        }));
        rows.extend(self.ignored.iter().map(|i| ["ignored".to_owned(), i.clone()]));
        rows.extend(self.zero_six.iter().map(|z| ["database kind".to_owned(), z.clone()]));
        rows
    }
}

/// Prints the resolved configuration and where each value came from.
pub fn show(ctx: &Context, format: Format) -> anyhow::Result<()> {
    let resolved = ctx.resolve()?;
    let mut report = ConfigReport::new(&resolved);
    // Only an existing database is looked at, without migrating it; a failure to reach it is
    // `doctor`'s to report.
    let exists = !matches!(&resolved.url, DatabaseUrl::Sqlite(path) if !path.exists());
    if exists {
        let unmigrated = OpenOptions { migrate: false, pool_size: 1, ..OpenOptions::default() };
        if let Ok(store) = skillnet_store::open_with(&resolved.url, &unmigrated) {
            if let Ok(status) = store.migration_status() {
                report.zero_six = status.zero_six_plans.map(|plans| zero_six_note(&resolved.url, plans));
            }
        }
    }
    match format {
        Format::Json => output::json(&report),
        Format::Table => {
            let mut table = output::table(["setting", "value"]);
            for row in report.rows() {
                table.add_row(row);
            }
            output::text(table)
        }
    }
}

#[derive(Serialize)]
struct Check {
    check: &'static str,
    ok: bool,
    detail: String,
}

#[derive(Serialize)]
struct DoctorReport {
    #[serde(flatten)]
    config: ConfigReport,
    schema_version: Option<String>,
    pending_migrations: Vec<String>,
    checks: Vec<Check>,
    healthy: bool,
}

/// A driver's refusal, with what to do about it where skillnet knows: PostgreSQL refusing peer
/// authentication means the system user is not in the server's ident map, which a NixOS host
/// writes from its configuration.
fn explain_refusal(message: &str) -> String {
    if !message.contains("Peer authentication failed") {
        return message.to_owned();
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "this user".into());
    format!(
        "{message}. PostgreSQL lets a system user in as the role only through its ident map \
         (pg_ident.conf), which the NixOS module writes from the configuration's members of the \
         group: a user added to the group at run time (usermod -aG, LDAP) is not in it until the \
         configuration declares {user} (users.users.{user}.extraGroups) and is rebuilt \
         (nixos-rebuild switch)"
    )
}

/// Checks that the database is reachable, migrated and writable.
pub fn doctor(ctx: &Context, format: Format) -> anyhow::Result<()> {
    let resolved = ctx.resolve()?;
    let mut checks = Vec::new();
    let mut schema_version = None;
    let mut pending = Vec::new();
    let fresh_file = matches!(&resolved.url, DatabaseUrl::Sqlite(path) if !path.exists());
    if fresh_file {
        checks.push(Check {
            check: "database",
            ok: true,
            detail: "the SQLite file does not exist yet; it is created on first use".into(),
        });
    } else {
        match skillnet_store::open_with(
            &resolved.url,
            &OpenOptions { migrate: false, ..OpenOptions::default() },
        ) {
            Err(e) => {
                checks.push(Check { check: "reachable", ok: false, detail: explain_refusal(&e.to_string()) })
            }
            Ok(store) => {
                checks.push(Check { check: "reachable", ok: true, detail: store.url().redacted() });
                inspect(store.as_ref(), &mut checks, &mut schema_version, &mut pending);
            }
        }
    }
    let healthy = checks.iter().all(|c| c.ok);
    let report = DoctorReport {
        config: ConfigReport::new(&resolved),
        schema_version,
        pending_migrations: pending,
        checks,
        healthy,
    };
    match format {
        Format::Json => output::json(&report)?,
        Format::Table => {
            let mut table = output::table(["check", "status", "detail"]);
            for row in report.config.rows() {
                table.add_row([row[0].clone(), "info".into(), row[1].clone()]);
            }
            for c in &report.checks {
                table.add_row([
                    c.check.to_owned(),
                    if c.ok { "ok".into() } else { "FAIL".into() },
                    c.detail.clone(),
                ]);
            }
            output::text(table)?;
        }
    }
    if healthy {
        Ok(())
    } else {
        Err(crate::config::ConfigError::new("doctor found problems (see the report above)").into())
    }
}

/// What `doctor` and `config show` say of a skillnet 0.6 database awaiting adoption.
fn zero_six_note(url: &DatabaseUrl, plans: i64) -> String {
    let backup = match url {
        DatabaseUrl::Sqlite(path) => format!("backup: {}.0.6-backup-<unix time>", path.display()),
        _ => "in one transaction; back the server up as usual".to_owned(),
    };
    format!(
        "skillnet 0.6 database ({}): the next command will adopt it in place ({backup})",
        count(usize::try_from(plans).unwrap_or_default(), "plan")
    )
}

fn inspect(
    store: &dyn CalibrationStore,
    checks: &mut Vec<Check>,
    schema_version: &mut Option<String>,
    pending: &mut Vec<String>,
) {
    match store.migration_status() {
        Err(e) => checks.push(Check { check: "migrated", ok: false, detail: e.to_string() }),
        Ok(status) if status.zero_six_plans.is_some() => {
            let plans = status.zero_six_plans.unwrap_or_default();
            checks.push(Check { check: "migrated", ok: true, detail: zero_six_note(store.url(), plans) });
        }
        Ok(status) => {
            *schema_version = status.current().map(str::to_owned);
            *pending = status.pending.clone();
            let ok = status.pending.is_empty();
            let detail = if ok {
                format!("schema version {}", status.current().unwrap_or("none"))
            } else {
                format!(
                    "{} pending: run `skillnet calibration migrate`",
                    count(status.pending.len(), "migration")
                )
            };
            checks.push(Check { check: "migrated", ok, detail });
            if ok {
                let writable = store.check_writable();
                checks.push(Check {
                    check: "writable",
                    ok: writable.is_ok(),
                    detail: writable.map_or_else(|e| e.to_string(), |()| "a test write succeeded".into()),
                });
            }
        }
    }
}

/// Applies pending migrations.
pub fn migrate(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store_with(&OpenOptions { migrate: false, ..OpenOptions::default() })?;
    let applied = store.migrate()?;
    let status = store.migration_status()?;
    let version = status.current().unwrap_or("none");
    output::text("migrated calibration database")?;
    if applied.is_empty() {
        output::note(ctx.quiet, format!("{} is up to date (schema version {version})", store.url()));
    } else {
        output::note(
            ctx.quiet,
            format!(
                "applied {} to {} (schema version {version})",
                count(applied.len(), "migration"),
                store.url()
            ),
        );
    }
    Ok(())
}

/// Reclaims space.
pub fn vacuum(ctx: &Context) -> anyhow::Result<()> {
    let store = ctx.store()?;
    store.vacuum()?;
    output::text("vacuumed calibration database")?;
    output::note(ctx.quiet, format!("vacuumed {}", store.url()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::explain_refusal;

    #[test]
    fn a_peer_authentication_refusal_says_what_to_do() {
        let refused = "cannot reach the database at postgresql://skillnet@/skillnet?host=/run/postgresql: \
                       connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  Peer \
                       authentication failed for user \"skillnet\"";
        let explained = explain_refusal(refused);
        assert!(explained.starts_with(refused), "{explained}");
        assert!(explained.contains("ident map") && explained.contains("nixos-rebuild switch"), "{explained}");
        assert_eq!(explain_refusal("connection refused"), "connection refused");
    }
}
