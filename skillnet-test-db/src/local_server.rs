//! The throwaway PostgreSQL server of one test process: `initdb` into a temporary directory,
//! `pg_ctl start` on a Unix socket there, as `nobody` when the tests run as root, and a detached
//! watchdog that stops it and removes the directory once the test process is gone.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use crate::url::percent_encode;
use crate::{connect, Server};

/// Superuser created by `initdb` for the throwaway server.
const SUPERUSER: &str = "skillnet";
/// Unprivileged account that runs the throwaway server when the tests run as root.
const UNPRIVILEGED_USER: &str = "nobody";

/// Starts this process's throwaway server; `Err` says why it could not.
pub(crate) fn start_local_server() -> Result<Server, String> {
    let bin = find_postgres_bin_dir()?;
    let initdb = bin.join("initdb");
    let pg_ctl = bin.join("pg_ctl");

    let dir = create_server_dir()?;
    // Before anything else can be left behind: from here on the watchdog removes `dir`.
    let runner = Runner::for_dir(&dir)
        .and_then(|runner| spawn_watchdog(&dir, &runner, &pg_ctl).map(|()| runner))
        .inspect_err(|_| {
            let _ = fs::remove_dir_all(&dir);
        })?;
    let data = dir.join("data");
    let log = dir.join("postgres.log");

    let output = runner
        .command(&initdb)
        .current_dir(&dir)
        .arg("--pgdata")
        .arg(&data)
        .args(["--auth=trust", "--username", SUPERUSER])
        .args(["--encoding=UTF8", "--locale=C", "--no-sync"])
        .output();
    check("initdb", &initdb, output)?;

    // Settings go into postgresql.conf rather than through `pg_ctl -o`, which passes them through
    // a shell and would need the socket path quoted for it.
    let port = 20_000 + std::process::id() % 40_000;
    let socket_dir = quote_conf(&dir.to_string_lossy());
    let settings = format!(
        "\n# skillnet-test-db: a throwaway server, Unix socket only, no durability\n\
         listen_addresses = ''\n\
         unix_socket_directories = {socket_dir}\n\
         port = {port}\n\
         max_connections = 300\n\
         fsync = off\n\
         synchronous_commit = off\n\
         full_page_writes = off\n"
    );
    fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .and_then(|mut conf| conf.write_all(settings.as_bytes()))
        .map_err(|error| format!("cannot write {}: {error}", data.display()))?;

    let output = runner
        .command(&pg_ctl)
        .current_dir(&dir)
        .arg("--pgdata")
        .arg(&data)
        .arg("--log")
        .arg(&log)
        .args(["-w", "start"])
        .output();
    check("pg_ctl start", &pg_ctl, output).map_err(|error| {
        let text = fs::read_to_string(&log).unwrap_or_default();
        format!("{error}\nserver log {}:\n{}", log.display(), text.trim_end())
    })?;

    let maintenance_url = format!(
        "postgresql://{SUPERUSER}@/postgres?host={}&port={port}",
        percent_encode(&dir.to_string_lossy())
    );
    connect(&maintenance_url)?;
    Ok(Server { maintenance_url })
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`: from `PATH` (following symlinks, so
/// that all three come from one installation), else the newest `/usr/lib/postgresql/*/bin`.
fn find_postgres_bin_dir() -> Result<PathBuf, String> {
    let has_all =
        |dir: &Path| ["initdb", "pg_ctl", "postgres"].iter().all(|name| is_executable(&dir.join(name)));
    let on_path = env::var_os("PATH")
        .map(|path| env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|dir| is_executable(&dir.join("initdb")))
        .filter_map(|dir| fs::canonicalize(dir.join("initdb")).ok())
        .filter_map(|initdb| initdb.parent().map(Path::to_path_buf))
        .find(|dir| has_all(dir));
    if let Some(dir) = on_path {
        return Ok(dir);
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.to_owned();
            let version = version.split('.').map(|part| part.parse().ok()).collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_all(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or under \
         /usr/lib/postgresql/*/bin"
            .to_owned()
    })
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// A new directory for the cluster and its socket, kept (the watchdog removes it).
fn create_server_dir() -> Result<PathBuf, String> {
    let mut base = env::temp_dir();
    // The socket path `<dir>/.s.PGSQL.<port>` must fit in 107 bytes, and when the server runs as
    // `nobody` every ancestor must be searchable by others; /tmp satisfies both.
    if base.as_os_str().len() > 64 || !base.is_absolute() || !others_can_search(&base) {
        base = PathBuf::from("/tmp");
    }
    tempfile::Builder::new()
        .prefix("skillnet-pg-")
        .tempdir_in(&base)
        .map(TempDir::keep)
        .map_err(|error| format!("cannot create a directory in {}: {error}", base.display()))
}

fn others_can_search(path: &Path) -> bool {
    path.ancestors().all(|dir| fs::metadata(dir).is_ok_and(|meta| meta.mode() & 0o001 != 0))
}

/// Runs the server's commands, as the current user or, for root, as [`UNPRIVILEGED_USER`].
#[derive(Debug)]
struct Runner {
    /// Command prefix such as `setpriv --reuid=65534 ... --`; empty when not root.
    prefix: Vec<OsString>,
}

impl Runner {
    /// Chooses how to run commands that use `dir`, and hands `dir` to the unprivileged user when
    /// the current user is root. The directory was just created by this process, so its owner is
    /// our effective user id: no `libc` call (and no `unsafe`) is needed to find it.
    fn for_dir(dir: &Path) -> Result<Self, String> {
        let meta = fs::metadata(dir).map_err(|e| format!("cannot stat {}: {e}", dir.display()))?;
        if meta.uid() != 0 {
            return Ok(Self { prefix: Vec::new() });
        }
        let (uid, gid) = lookup_user(UNPRIVILEGED_USER).ok_or_else(|| {
            format!(
                "running as root, and initdb/postgres refuse to run as root, but there is no \
                 user `{UNPRIVILEGED_USER}` in /etc/passwd to run them as"
            )
        })?;
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))
            .map_err(|e| format!("cannot chown {} to {UNPRIVILEGED_USER}: {e}", dir.display()))?;
        let prefix = if let Some(setpriv) = find_tool("setpriv") {
            vec![
                setpriv.into_os_string(),
                format!("--reuid={uid}").into(),
                format!("--regid={gid}").into(),
                "--clear-groups".into(),
                "--".into(),
            ]
        } else if let Some(runuser) = find_tool("runuser") {
            vec![runuser.into_os_string(), "-u".into(), UNPRIVILEGED_USER.into(), "--".into()]
        } else {
            return Err(format!(
                "running as root, and initdb/postgres refuse to run as root, but neither \
                 `setpriv` nor `runuser` (util-linux) is available to run them as \
                 `{UNPRIVILEGED_USER}`"
            ));
        };
        Ok(Self { prefix })
    }

    fn command(&self, program: &Path) -> Command {
        let mut command;
        if let Some((first, rest)) = self.prefix.split_first() {
            command = Command::new(first);
            command.args(rest).arg(program);
        } else {
            command = Command::new(program);
        }
        command.stdin(Stdio::null());
        command
    }
}

/// `(uid, gid)` of `name` from /etc/passwd.
fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != name {
            return None;
        }
        let uid = fields.nth(1)?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some((uid, gid))
    })
}

fn find_tool(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .chain(["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Polls for this process once a second; when it is gone (normal exit, panic, kill -9), stops the
/// server and removes `dir`. Runs in its own process group, so Ctrl-C in the terminal does not
/// kill it before it has cleaned up, and with no inherited stdio, so nothing waits for it.
const WATCHDOG_SCRIPT: &str = r#"
trap '' HUP INT QUIT
pid=$1; dir=$2; shift 2
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
"$@" --pgdata "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"
"#;

fn spawn_watchdog(dir: &Path, runner: &Runner, pg_ctl: &Path) -> Result<(), String> {
    Command::new("/bin/sh")
        .arg("-c")
        .arg(WATCHDOG_SCRIPT)
        .arg("skillnet-test-pg-watchdog")
        .arg(std::process::id().to_string())
        .arg(dir)
        .args(&runner.prefix)
        .arg(pg_ctl)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|error| format!("cannot start the cleanup watchdog (/bin/sh): {error}"))
}

/// Turns a finished command into `Ok` or an error carrying its command line, status and output.
fn check(what: &str, program: &Path, output: std::io::Result<Output>) -> Result<(), String> {
    let output = output.map_err(|error| format!("cannot run {}: {error}", program.display()))?;
    if output.status.success() {
        return Ok(());
    }
    let mut message = format!("{what} ({}) failed with {}", program.display(), output.status);
    for (name, text) in [("stderr", &output.stderr), ("stdout", &output.stdout)] {
        let text = String::from_utf8_lossy(text);
        if !text.trim().is_empty() {
            message.push_str(&format!("\n{name}:\n{}", text.trim_end()));
        }
    }
    Err(message)
}

/// A postgresql.conf string literal.
fn quote_conf(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conf_strings_are_quoted() {
        assert_eq!(quote_conf("/tmp/it's"), "'/tmp/it''s'");
        assert_eq!(quote_conf("C:\\pg"), "'C:\\\\pg'");
    }
}
