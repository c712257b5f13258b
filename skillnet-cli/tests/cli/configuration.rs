//! Which database the CLI uses under each environment the Home Manager module produces, and
//! how misconfiguration is reported (exit 6, one message, no backtrace, no password).

use serde_json::json;

use crate::support::{sidecar, Env};

fn resolved(env: &Env) -> serde_json::Value {
    env.ok(&["config", "show", "--format", "json"]).json()
}

/// `programs.skillnet.enable = true` and nothing else: SKILLNET_DATA_DIR, the CLI's default path.
#[test]
fn home_manager_default() {
    let env = Env::new();
    let data_dir = env.path("home-data/skillnet");
    let env = env.set("SKILLNET_DATA_DIR", data_dir.to_str().unwrap());
    let r = resolved(&env);
    let db = data_dir.join("multi-phase-plan/calibration.sqlite");
    assert_eq!(r["database_url"], format!("sqlite://{}", db.display()));
    assert_eq!(r["source"], json!({"kind": "data-dir", "dir": data_dir}));
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    assert!(db.exists());
}

/// `database.path = ...`: the module writes it into the generated config file.
#[test]
fn home_manager_sqlite_with_a_custom_path() {
    let env = Env::new();
    let db = env.path("custom/place/skillnet.sqlite");
    let config = env.path("config/skillnet/skillnet.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, format!("[database]\nbackend = \"sqlite\"\npath = \"{}\"\n", db.display()))
        .unwrap();
    let r = resolved(&env);
    assert_eq!(r["database_url"], format!("sqlite://{}", db.display()));
    assert_eq!(r["source"], json!({"kind": "config-file", "file": config, "key": "path"}));
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    assert!(db.exists());
}

/// `database.backend = "postgres"; database.url = ...`: SKILLNET_DATABASE_URL.
#[test]
fn home_manager_postgres_url() {
    let env = Env::new().set("SKILLNET_DATABASE_URL", "postgres://me:hunter2@db.example/skillnet");
    let run = env.ok(&["config", "show", "--format", "json"]);
    let r = run.json();
    assert_eq!(r["database_url"], "postgres://me:***@db.example/skillnet");
    assert_eq!(r["backend"], "postgres");
    assert_eq!(r["source"], json!({"kind": "env", "variable": "SKILLNET_DATABASE_URL"}));
    assert!(!run.stdout().contains("hunter2"));
}

/// `database.urlFile = ...`: SKILLNET_DATABASE_URL_FILE, read at run time.
#[test]
fn home_manager_postgres_url_file() {
    let env = Env::new();
    let file = env.path("secrets/skillnet-db-url");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "postgresql://me:hunter2@db.example/skillnet\n").unwrap();
    let env = env.set("SKILLNET_DATABASE_URL_FILE", file.to_str().unwrap());
    let run = env.ok(&["config", "show", "--format", "json"]);
    let r = run.json();
    assert_eq!(r["database_url"], "postgresql://me:***@db.example/skillnet");
    assert_eq!(
        r["source"],
        json!({"kind": "env-file", "variable": "SKILLNET_DATABASE_URL_FILE", "file": file})
    );
    assert!(!run.stdout().contains("hunter2"));
}

/// Writes the system-wide config file (what a NixOS host writes to /etc/xdg).
fn system_config(env: &Env, text: &str) -> std::path::PathBuf {
    let file = env.path("etc-xdg/skillnet/skillnet.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn the_system_config_file_chooses_the_database_for_every_process() {
    let env = Env::new();
    let shared = env.path("shared/calibration.sqlite");
    let file = system_config(&env, &format!("[database]\npath = \"{}\"\n", shared.display()));
    let plan = env.plan_dir("p", &sidecar("p-1"));
    env.ok(&["calibration", "record", &plan]);
    assert!(shared.exists() && !env.default_db().exists(), "the system file's database was used");
    let r = resolved(&env);
    assert_eq!(
        r["source"],
        json!({"kind": "config-file", "file": file.display().to_string(), "key": "path"})
    );
    assert_eq!(r["system_config_file"]["path"], file.display().to_string());
    assert_eq!(r["system_config_file"]["loaded"], true);

    // Where the system file names a server this user cannot reach: exit 6 naming it, and no
    // private SQLite file in its place.
    system_config(&env, "[database]\nurl = \"postgresql://skillnet@127.0.0.1:9/skillnet\"\n");
    let run = env.run(&["calibration", "query"]);
    assert_eq!(run.code(), 6, "{}", run.stderr());
    assert!(run.stderr().contains("postgresql://skillnet@127.0.0.1:9/skillnet"), "{}", run.stderr());
    assert!(run.stderr().contains("chosen by") && run.stderr().contains("skillnet.toml"), "{}", run.stderr());
    assert!(!env.default_db().exists() && !env.path("data").exists(), "no SQLite file was made");
}

#[test]
fn a_system_config_file_this_user_may_not_read_is_exit_6_not_a_private_database() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let file =
        system_config(&env, "[database]\nurl = \"postgresql://skillnet@/skillnet?host=/run/postgresql\"\n");
    env.readable_by_all(&[&file]);
    // Mode 0640, owned by root's group: what the NixOS module writes, for a non-member.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let Some(run) = env.as_nobody(&["calibration", "query"]) else {
        return; // not root: file modes would not stop the reader
    };
    assert_eq!(run.code(), 6, "{}", run.stderr());
    assert!(run.stderr().contains("system-wide config file"), "{}", run.stderr());
    assert!(run.stderr().contains("etc-xdg/skillnet/skillnet.toml"), "{}", run.stderr());
    assert!(!env.path("data").exists(), "no SQLite file was made");
}

#[test]
fn database_url_is_ignored_and_said_so() {
    let env = Env::new().set("DATABASE_URL", "postgres://other-app@h/db");
    let r = resolved(&env);
    assert_eq!(r["backend"], "sqlite");
    assert!(r["ignored"][0].as_str().unwrap().contains("DATABASE_URL is set but ignored"));
    let table = env.ok(&["config", "show", "--format", "table"]).stdout();
    assert!(table.contains("DATABASE_URL is set but ignored"), "{table}");
}

#[test]
fn the_deprecated_variable_still_works_with_a_warning() {
    let env = Env::new();
    let db = env.path("old.sqlite");
    let env = env.set("SKILLNET_DB_URL", db.to_str().unwrap());
    let run = env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    assert!(run
        .stderr()
        .contains("warning: SKILLNET_DB_URL is deprecated; set SKILLNET_DATABASE_URL instead"));
    assert!(db.exists());
}

#[test]
fn misconfiguration_exits_6_with_one_clear_message() {
    let env = Env::new();
    let dir = env.plan_dir("p", &sidecar("p-1"));
    let config = env.path("config/skillnet/skillnet.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (vec!["--database-url", "mysql://u:hunter2@h/db"], None, "accepted forms"),
        (vec!["--database-url", "calibration.txt"], None, "unsupported database URL `calibration.txt`"),
        (vec![], Some("[database]\nbackend = \"postgres\"\n"), "needs `url` or `url_file`"),
        (vec![], Some("[database]\npasword = \"x\"\n"), "unknown field `pasword`"),
        (vec![], Some("this is not toml"), "invalid config file"),
        (
            vec!["--config", "/nonexistent/skillnet.toml"],
            None,
            "cannot read the config file /nonexistent/skillnet.toml",
        ),
    ];
    for (flags, file, expected) in cases {
        match file {
            Some(text) => std::fs::write(&config, text).unwrap(),
            None => {
                let _ = std::fs::remove_file(&config);
            }
        }
        let mut args = flags.clone();
        args.extend(["calibration", "record", dir.as_str()]);
        let run = env.run(&args);
        assert_eq!(run.code(), 6, "{args:?}: {}", run.stderr());
        let stderr = run.stderr();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("hunter2")
                && !stderr.contains("panicked")
                && !stderr.contains("stack backtrace")
        );
        assert!(stderr.lines().count() <= 2, "{stderr}");
        assert!(!env.default_db().exists(), "nothing written");
    }
}

#[test]
fn doctor_reports_a_healthy_default_database() {
    let env = Env::new();
    let report = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(report["healthy"], true);
    assert!(!env.default_db().exists(), "doctor does not create the database");
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    let report = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(report["healthy"], true);
    assert_eq!(report["pending_migrations"], json!([]));
    assert!(report["schema_version"].is_string());
    let checks: Vec<&str> =
        report["checks"].as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert_eq!(checks, ["reachable", "migrated", "writable"]);
    assert_eq!(crate::support::counts_at(&env.default_db()).plans, 1, "the write probe left nothing");
}

#[test]
fn completions_and_man_need_no_database() {
    let env = Env::new();
    assert!(env.ok(&["completions", "bash"]).stdout().contains("skillnet"));
    assert!(env.ok(&["man"]).stdout().contains(".TH skillnet"));
    assert!(!env.default_db().exists());
}

/// A config file as skillnet 0.6 wrote it: its skills manager's keys are accepted, ignored and
/// listed by `config show`, and every command uses the database it names (`~` expanded).
#[test]
fn a_0_6_config_file_works_for_every_command() {
    let env = Env::new();
    let config = env.path("config/skillnet/skillnet.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        r#"skills_root = "~/src/ai-skills"
mirror_root = "~/.local/share/skillnet/mirror"

[global]
canonical_path = "~/src/ai-skills/skills"
views = [
  { label = "claude", path = "~/.claude/skills", scope = "global" },
]

[database]
backend = "sqlite"
path = "~/calibration/plans.sqlite"

[[projects]]
name = "demo"
path = "~/Projects/demo"
"#,
    )
    .unwrap();
    let db = env.path("calibration/plans.sqlite");

    let shown = resolved(&env);
    assert_eq!(shown["database_url"], format!("sqlite://{}", db.display()));
    let ignored = shown["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert!(ignored[0].as_str().unwrap().starts_with("global, skills_root, mirror_root, projects in "));
    let table = env.ok(&["config", "show"]).stdout();
    assert!(table.contains("global, skills_root, mirror_root, projects"), "{table}");

    let plan = env.plan_dir("p", &crate::support::verified("p-1", "shipped", 1_762_000_000));
    let commands: &[&[&str]] = &[
        &["calibration", "record", &plan],
        &["calibration", "verify", &plan],
        &["calibration", "tag", "p-1", "team=core"],
        &["calibration", "untag", "p-1", "team=core"],
        &["calibration", "show", "p-1"],
        &["calibration", "query"],
        &["calibration", "status", "p-1"],
        &["calibration", "analyze"],
        &[
            "calibration",
            "propose",
            "--trigger",
            "long-serial-chain",
            "--new-threshold",
            "5",
            "--rationale",
            "r",
            "--supporting-plan-ids",
            "p-1",
        ],
        &["calibration", "proposals"],
        &["calibration", "decide", "1", "accept", "--rationale", "ok"],
        &["calibration", "export-changelog"],
        &["calibration", "walkthrough", "--non-interactive"],
        &["calibration", "heuristics", "list"],
        &["calibration", "routing"],
        &["calibration", "export", "--out", "history.jsonl"],
        &["calibration", "migrate"],
        &["calibration", "vacuum"],
        &["doctor"],
    ];
    for args in commands {
        env.ok(args);
    }
    assert_eq!(crate::support::counts_at(&db).plans, 1);
    assert!(!env.default_db().exists(), "nothing went to the default database");
}
