//! A fresh home for each test, and builders for sidecars.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};
use skillnet_store::TableCounts;

/// The repository root (for the example plans).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The example plan directories shipped in `examples/plans`, sorted.
pub fn example_plans() -> Vec<String> {
    let mut plans: Vec<String> = std::fs::read_dir(repo_root().join("examples/plans"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    plans.sort();
    plans
}

/// A temporary home: XDG directories inside it, nothing inherited from the host.
pub struct Env {
    pub dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Env {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap(), vars: Vec::new() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Sets an environment variable for every command run from here.
    pub fn set(mut self, key: &str, value: impl Into<String>) -> Self {
        self.vars.push((key.to_owned(), value.into()));
        self
    }

    /// The SQLite file a command resolves to when nothing is configured.
    pub fn default_db(&self) -> PathBuf {
        self.path("data/skillnet/multi-phase-plan/calibration.sqlite")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillnet"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_CONFIG_DIRS", self.path("etc-xdg"))
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    /// Lets every user reach and read `paths` (files 0644), and the folders from each up to
    /// this home (0755), as [`Env::as_nobody`] needs; only root may still write them.
    pub fn readable_by_all(&self, paths: &[&Path]) {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path, mode| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        for path in paths {
            mode(path, if path.is_dir() { 0o755 } else { 0o644 });
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| d.starts_with(self.dir.path())) {
                mode(d, 0o755);
                dir = d.parent();
            }
        }
    }

    /// Runs skillnet as the unprivileged user `nobody` (the tests run as root, whom file modes do
    /// not stop); `None` when this is not root or `setpriv` is missing.
    pub fn as_nobody(&self, args: &[&str]) -> Option<Run> {
        let is_root = std::process::Command::new("id").arg("-u").output().ok()?.stdout == b"0\n";
        let setpriv =
            ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| std::path::Path::new(p).exists())?;
        if !is_root {
            return None;
        }
        let cmd = self.command(args);
        // The build may live where `nobody` cannot reach (a checkout under /root): run a copy.
        let binary = self.path("skillnet-as-nobody");
        if !binary.exists() {
            std::fs::copy(cmd.get_program(), &binary).ok()?;
        }
        let mut wrapped = std::process::Command::new(setpriv);
        wrapped.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&binary).args(args);
        wrapped.env_clear().envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
        wrapped.current_dir("/").stdin(std::process::Stdio::null());
        Some(Run(wrapped.output().unwrap()))
    }

    /// Records `n` plans `plan-00000`, `plan-00001`, ... into `url`, every third one verified
    /// (`shipped`).
    pub fn record_history(&self, url: &str, n: usize) {
        let lines: Vec<String> = (0..n)
            .map(|i| {
                let id = format!("plan-{i:05}");
                if i % 3 == 0 {
                    verified(&id, "shipped", 1_000 + i as i64).to_string()
                } else {
                    sidecar(&id).to_string()
                }
            })
            .collect();
        let file = self.path("history.jsonl");
        std::fs::write(&file, lines.join("\n")).unwrap();
        let file = file.to_str().unwrap();
        self.ok(&["--database-url", url, "-q", "calibration", "record", "--jsonl", file]);
        self.ok(&["--database-url", url, "-q", "calibration", "verify", "--jsonl", file]);
    }

    /// Runs `skillnet ARGS` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Run {
        Run(self.command(args).output().unwrap())
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code(), 0, "skillnet {args:?} failed:\n{}", run.stderr());
        run
    }

    /// Writes `sidecar` as `<name>/.calibration.json` and returns the directory.
    pub fn plan_dir(&self, name: &str, sidecar: &Value) -> String {
        let dir = self.path(&format!("plans/{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".calibration.json"), serde_json::to_string_pretty(sidecar).unwrap())
            .unwrap();
        dir.display().to_string()
    }

    /// Records and verifies the example plans into the default database, as the README's quick
    /// start does.
    pub fn with_examples(self) -> Self {
        let plans = example_plans();
        for command in ["record", "verify"] {
            let mut args = vec!["calibration", command];
            args.extend(plans.iter().map(String::as_str));
            self.ok(&args);
        }
        self
    }

    /// Row counts of the default database (zero when it does not exist yet).
    pub fn counts(&self) -> TableCounts {
        counts_at(&self.default_db())
    }
}

pub fn counts_at(db: &Path) -> TableCounts {
    if !db.exists() {
        return TableCounts::default();
    }
    skillnet_store::open(&format!("sqlite://{}", db.display())).unwrap().counts().unwrap()
}

/// What a finished command did.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.0.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
}

/// A valid sidecar of plan `id` with three phases and three triggers.
pub fn sidecar(id: &str) -> Value {
    json!({
        "schema_version": 1,
        "plan": {
            "id": id, "name": format!("plan {id}"), "flavor": "codex", "worktype": "feature",
            "created_at": 1_760_000_000, "phase_count": 3, "wave_count": 2, "max_chain_depth": 3,
            "repo_spread": 1, "routing_dist": {"low": 1, "high": 2}, "shape_hash": "0badc0de"
        },
        "triggers": [
            {"name": "shared-file-contention", "input_value": 2.0, "threshold": 2.0, "fired": true,
             "section_added": "Shared-file lockstep"},
            {"name": "long-serial-chain", "input_value": 3.0, "threshold": 4.0, "fired": false, "section_added": null},
            {"name": "trivial-phase-swamp", "input_value": 0.5, "threshold": 4.0, "fired": false, "section_added": null}
        ],
        "phases": [
            {"ordinal": 1, "slug": "schema", "routing_tier": "high", "files": ["db/schema.sql"]},
            {"ordinal": 2, "slug": "api", "routing_tier": "high", "files": ["src/api.rs", "src/db.rs"]},
            {"ordinal": 3, "slug": "docs", "routing_tier": "low", "files": []}
        ],
        "meta_heuristics_fired": ["uniform-random"],
        "tags": {"team": "core"},
        "verify": null
    })
}

/// `sidecar(id)` with a verify block.
pub fn verified(id: &str, outcome: &str, at: i64) -> Value {
    let mut s = sidecar(id);
    s["verify"] = json!({
        "verified_at": at, "elapsed_seconds": 3600, "outcome": outcome,
        "phase_outcomes": {"schema": "passed", "api": "passed", "docs": "skipped"},
        "emergency_changes": null, "surprises": null
    });
    s
}
