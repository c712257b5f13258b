//! Regression tests of the reliability sweep: each is named after the defect it pins down.
//! Validation lives in `skillnet-core`, before any backend sees a value, so both backends refuse
//! the same inputs; these run on the SQLite default.

use serde_json::{json, Value};

use crate::support::{sidecar, verified, Env};

/// A run that refused its input: exit 3, one line on stderr that names `expected`, no panic.
fn assert_refused(run: &crate::support::Run, expected: &str) {
    let stderr = run.stderr();
    assert_eq!(run.code(), 3, "{stderr}");
    assert!(stderr.contains(expected), "expected {expected:?} in: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn defect_1_a_time_after_year_9999_is_refused_and_a_stored_one_never_panics_a_view() {
    let env = Env::new();
    let mut s = sidecar("p-far");
    s["plan"]["created_at"] = json!(253_402_300_800_i64);
    let dir = env.plan_dir("far", &s);
    assert_refused(&env.run(&["calibration", "record", &dir]), "plan.created_at");
    assert_eq!(env.counts().plans, 0);

    // A database written before times were bounded may hold one: every view still renders.
    let url = format!("sqlite://{}", env.default_db().display());
    let store = skillnet_store::open(&url).unwrap();
    let mut record =
        skillnet_core::sidecar::parse(&serde_json::to_string(&sidecar("p-old")).unwrap(), "x").unwrap();
    record.plan.created_at = i64::MAX;
    store.record_plans(&[record], i64::MAX).unwrap();
    drop(store);
    for args in [
        &["calibration", "query", "--format", "table"][..],
        &["calibration", "show", "p-old", "--format", "table"],
        &["calibration", "show", "p-old", "--format", "json"],
        &["calibration", "status", "p-old", "--format", "table"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code(), 0, "{args:?}: {}", run.stderr());
    }
    let table = env.ok(&["calibration", "query", "--format", "table"]).stdout();
    assert!(table.contains("9223372036854775807"), "{table}");
}

#[test]
fn defect_6_nul_characters_and_oversized_text_are_refused_before_any_backend() {
    let env = Env::new();
    let cases: [(&str, Value, &str); 4] = [
        ("nul-in-name", json!("bad\u{0}name"), "plan.name"),
        ("nul-id", json!("\u{0}"), "plan.id"),
        ("huge-tier", json!("x".repeat(2000)), "routing_tier"),
        ("huge-name", json!("x".repeat(2 << 20)), "plan.name"),
    ];
    for (name, value, field) in cases {
        let mut s = sidecar("p-1");
        match field {
            "plan.name" => s["plan"]["name"] = value,
            "plan.id" => s["plan"]["id"] = value,
            _ => s["phases"][0]["routing_tier"] = value,
        }
        let dir = env.plan_dir(name, &s);
        let run = env.run(&["calibration", "record", &dir]);
        assert_refused(&run, field);
        assert!(run.stderr().contains(&dir), "{name}: names the file: {}", run.stderr());
        assert!(run.stderr().len() < 400, "{name}: echoes the input: {} bytes", run.stderr().len());
    }
    assert_eq!(env.counts().plans, 0);
}

#[test]
fn defect_7_dubious_sidecars_are_refused_with_exit_3_and_nothing_written() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, &str); 9] = [
        ("time-max", |s| s["plan"]["created_at"] = json!(i64::MAX), "plan.created_at"),
        ("time-negative", |s| s["plan"]["created_at"] = json!(-1), "plan.created_at"),
        ("negative-ordinal", |s| s["phases"][0]["ordinal"] = json!(-1), "phases[0].ordinal"),
        (
            "duplicate-trigger",
            |s| s["triggers"][1]["name"] = json!("shared-file-contention"),
            "triggers[1].name",
        ),
        ("duplicate-slug", |s| s["phases"][1]["slug"] = json!("schema"), "phases[1].slug"),
        (
            "no-triggers-key",
            |s| drop(s.as_object_mut().unwrap().remove("triggers")),
            "missing field `triggers`",
        ),
        ("empty-tier", |s| s["phases"][0]["routing_tier"] = json!(""), "phases[0].routing_tier"),
        ("empty-trigger", |s| s["triggers"][0]["name"] = json!(""), "triggers[0].name"),
        ("empty-slug", |s| s["phases"][0]["slug"] = json!(""), "phases[0].slug"),
    ];
    let env = Env::new();
    for (name, edit, expected) in cases {
        let mut s = verified("p-1", "shipped", 1_760_100_000);
        edit(&mut s);
        let dir = env.plan_dir(name, &s);
        for command in ["record", "verify"] {
            assert_refused(&env.run(&["calibration", command, &dir]), expected);
        }
        assert_eq!(env.counts().plans, 0, "{name} wrote something");
    }
    let mut s = verified("p-1", "shipped", 1_760_100_000);
    s["verify"]["verified_at"] = json!(253_402_300_800_i64);
    assert_refused(&env.run(&["calibration", "verify", &env.plan_dir("late", &s)]), "verify.verified_at");
}

#[test]
fn defect_7_a_contradicting_routing_dist_and_auto_key_tags_are_stored_with_a_warning() {
    let env = Env::new();
    let mut s = sidecar("p-1");
    s["plan"]["routing_dist"] = json!({"max": 3});
    s["tags"]["risk"] = json!("none");
    let run = env.ok(&["calibration", "record", &env.plan_dir("p", &s)]);
    let stderr = run.stderr();
    assert!(stderr.contains("plan.routing_dist") && stderr.contains("disagrees with the phases"), "{stderr}");
    assert!(stderr.contains("tags.risk: the value `none` is ignored"), "{stderr}");
    let shown = env.ok(&["calibration", "show", "p-1", "--format", "json"]).json();
    assert_eq!(shown["routing_dist"], json!({"max": 3}), "stored as written");
    let risk: Vec<&Value> = shown["tags"].as_array().unwrap().iter().filter(|t| t["key"] == "risk").collect();
    assert_eq!(risk.len(), 1, "one risk tag, the derived one");
    assert_ne!(risk[0]["value"], "none", "the sidecar's risk tag is not stored");
    // The example sidecars and those init writes carry their auto tags: no warning for them.
    let quiet = env.ok(&["calibration", "record", &env.plan_dir("q", &sidecar("p-2"))]);
    assert!(!quiet.stderr().contains("warning"), "{}", quiet.stderr());
}

#[test]
fn defect_10_an_unknown_huge_plan_id_is_not_echoed() {
    let env = Env::new();
    let id = "x".repeat(10 << 20);
    let dir = env.plan_dir("huge", &verified(&id, "shipped", 1_760_100_000));
    let run = env.run(&["calibration", "verify", &dir]);
    assert_eq!(run.code(), 3, "{}", &run.stderr()[..run.stderr().len().min(300)]);
    assert!(run.stderr().len() < 400, "{} bytes on stderr", run.stderr().len());
}

#[test]
fn defect_11_a_byte_order_mark_before_a_valid_sidecar_is_read() {
    let env = Env::new();
    let dir = env.path("bom");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!("\u{feff}{}", serde_json::to_string_pretty(&sidecar("p-bom")).unwrap());
    std::fs::write(dir.join(".calibration.json"), text).unwrap();
    env.ok(&["calibration", "record", &dir.display().to_string()]);
    assert_eq!(env.counts().plans, 1);
}

#[test]
fn defect_5_invalid_utf8_in_json_lines_is_invalid_input() {
    use std::io::Write;
    let env = Env::new();
    let mut child = env
        .command(&["calibration", "record", "--jsonl", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"\xff\n").unwrap();
    let run = crate::support::Run(child.wait_with_output().unwrap());
    assert_refused(&run, "stdin line 1: not UTF-8 text");
}

#[test]
fn defect_4_no_form_of_database_url_prints_its_password() {
    let env = Env::new();
    let cases = [
        ("host=127.0.0.1 port=1 password=hunter2 dbname=x", "hunter2"),
        ("postgres://u:pw%zz@127.0.0.1:1/db", "pw%zz"),
        ("postgres://u:pa/ss@127.0.0.1:1/db", "pa/ss"),
        ("postgres://u:pa?ss@127.0.0.1:1/db", "pa?ss"),
        ("postgres://u:p@ss@127.0.0.1:1/db", "p@ss"),
        ("postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=1", "s3cret"),
        ("postgres://127.0.0.1:1/db?user=u&password=s3cret&connect_timeout=1", "s3cret"),
    ];
    for (url, password) in cases {
        for args in [&["calibration", "query"][..], &["config", "show"], &["doctor"]] {
            let mut all = vec!["--database-url", url];
            all.extend_from_slice(args);
            let run = env.run(&all);
            let output = format!("{}{}", run.stdout(), run.stderr());
            assert!(!output.contains(password), "{url} {args:?} printed the password: {output}");
            assert!(!output.contains("panicked"), "{output}");
        }
    }
}

#[test]
fn defect_5_a_corrupted_database_file_exits_6() {
    let env = Env::new().with_examples();
    let db = env.default_db();
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 3 * 4096, "the examples fill several pages");
    // Page 4 is the root of the `plans` table (the first table the first migration creates,
    // after the schema and the migration bookkeeping): the file opens, the query breaks.
    for b in &mut bytes[3 * 4096..4 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let _ = std::fs::remove_file(db.with_extension("sqlite-wal"));
    let run = env.run(&["calibration", "query", "--format", "json"]);
    assert_eq!(run.code(), 6, "{}", run.stderr());
    assert!(run.stderr().contains("malformed"), "{}", run.stderr());
}

#[test]
fn defect_5_and_9_a_read_only_database_file_refuses_writes_with_exit_6_and_serves_reads() {
    let env = Env::new().with_examples();
    let db = env.default_db();
    env.ok(&["calibration", "vacuum"]);
    // Everyone may reach and read the history; only root may write it.
    let files: Vec<_> = std::fs::read_dir(db.parent().unwrap()).unwrap().map(|f| f.unwrap().path()).collect();
    env.readable_by_all(&files.iter().map(|f| f.as_path()).collect::<Vec<_>>());
    let before = std::fs::read(&db).unwrap();
    let url = db.display().to_string();

    let plan = env.plan_dir("extra", &sidecar("p-extra"));
    env.readable_by_all(&[&std::path::Path::new(&plan).join(".calibration.json")]);
    let Some(write) = env.as_nobody(&["--database-url", &url, "calibration", "record", &plan]) else {
        return;
    };
    assert_eq!(write.code(), 6, "{}", write.stderr());
    assert!(write.stderr().contains("read"), "{}", write.stderr());

    for args in [
        &["calibration", "query", "--format", "json"][..],
        &["calibration", "analyze", "--min-n", "1", "--format", "json"],
        &["calibration", "export"],
    ] {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        let run = env.as_nobody(&all).unwrap();
        assert_eq!(run.code(), 0, "{args:?}: {}", run.stderr());
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file changed");
}

/// A small filesystem of its own, unmounted on drop; `None` where mounting is not allowed.
struct TinyDisk(std::path::PathBuf);

impl TinyDisk {
    fn mount(at: std::path::PathBuf, size: &str) -> Option<Self> {
        std::fs::create_dir_all(&at).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(TinyDisk(at))
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn defect_8_doctor_on_a_full_disk_does_not_say_writable() {
    let env = Env::new();
    let Some(disk) = TinyDisk::mount(env.path("tiny"), "2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let db = disk.0.join("calibration.sqlite");
    let url = db.display().to_string();
    let mut args = vec!["--database-url", url.as_str(), "calibration", "record"];
    let plans = crate::support::example_plans();
    args.extend(plans.iter().map(String::as_str));
    env.ok(&args);
    env.ok(&["--database-url", &url, "doctor"]);
    // Fill the disk, then free a little: enough to open the database, too little to record.
    let mut filler = std::fs::File::create(disk.0.join("filler")).unwrap();
    let block = vec![0_u8; 64 * 1024];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    let _ = filler.sync_all();
    let len = filler.metadata().unwrap().len();
    filler.set_len(len.saturating_sub(96 * 1024)).unwrap();
    let batch: Vec<String> = (0..40)
        .map(|i| env.plan_dir(&format!("b{i}"), &verified(&format!("p-{i}"), "shipped", 1_760_100_000)))
        .collect();
    let mut args = vec!["--database-url", url.as_str(), "calibration", "record"];
    args.extend(batch.iter().map(String::as_str));
    let record = env.run(&args);
    assert_eq!(record.code(), 6, "{}", record.stderr());
    assert!(record.stderr().contains("full"), "{}", record.stderr());
    let run = env.run(&["--database-url", &url, "doctor", "--format", "json"]);
    assert_eq!(run.code(), 6, "{}{}", run.stdout(), run.stderr());
    let report: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["healthy"], false);
    let writable = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "writable").unwrap();
    assert_eq!(writable["ok"], false, "{writable}");
    drop(filler);
}

#[test]
fn defect_6_an_import_is_held_to_the_same_bounds_as_a_record() {
    let env = Env::new();
    env.ok(&["calibration", "record", &env.plan_dir("p", &sidecar("p-1"))]);
    let export = env.ok(&["calibration", "export"]).stdout();
    let mut line: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    line["name"] = json!("bad\u{0}name");
    let file = env.path("history.jsonl");
    std::fs::write(&file, serde_json::to_string(&line).unwrap()).unwrap();
    let target = Env::new();
    let run = target.run(&["calibration", "import", "--jsonl", &file.display().to_string()]);
    assert_refused(&run, "plan.name: contains a NUL character");
    assert_eq!(target.counts().plans, 0);
}
