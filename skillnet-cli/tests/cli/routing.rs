//! `calibration routing`: the per-tier report of a tracked history, as JSON, as a table, with a
//! filter, and drawn as SVG.

use serde_json::json;

use crate::support::{sidecar, Env};

/// Two plans (`team=core` and `team=web`), each with phases `schema` and `api` on `high` and
/// `docs` on `low`, moved with explicit times.
fn tracked_history() -> Env {
    let env = Env::new();
    let mut web = sidecar("p-2");
    web["tags"] = json!({"team": "web"});
    env.ok(&["calibration", "record", &env.plan_dir("p1", &sidecar("p-1")), &env.plan_dir("p2", &web)]);
    let moves: &[(&str, &str, &str, &str)] = &[
        // p-1 schema: running 100..160 (60), verifying 160..190 (30), landed.
        ("p-1", "schema", "start", "100"),
        ("p-1", "schema", "verify", "160"),
        ("p-1", "schema", "land", "190"),
        // p-1 api: running 100..400 (300), failed, retry, running 500..700 (200), verifying
        // since 700 (not ended).
        ("p-1", "api", "start", "100"),
        ("p-1", "api", "fail", "400"),
        ("p-1", "api", "retry", "410"),
        ("p-1", "api", "start", "500"),
        ("p-1", "api", "verify", "700"),
        ("p-1", "docs", "skip", "100"),
        // p-2 schema: running 0..1000 (1000), verifying 1000..1010 (10), landed.
        ("p-2", "schema", "start", "0"),
        ("p-2", "schema", "verify", "1000"),
        ("p-2", "schema", "land", "1010"),
    ];
    for (plan, phase, action, at) in moves {
        env.ok(&["calibration", "phase", plan, phase, action, "--at", at]);
    }
    env
}

#[test]
fn routing_reports_each_tier_as_json_with_and_without_a_filter() {
    let env = tracked_history();
    let all = env.ok(&["calibration", "routing", "--format", "json"]).json();
    assert_eq!(
        all,
        json!({
            "filter_tags": [],
            "tiers": [
                // docs of both plans: nothing ran.
                {"routing_tier": "low", "phases": 2, "landed": 0, "failed": 0, "retries": 0,
                 "running": {"samples": 0, "median_seconds": null, "p90_seconds": null},
                 "verifying": {"samples": 0, "median_seconds": null, "p90_seconds": null}},
                // running 60 200 300 1000: median rank ceil(2.0) = 2 -> 200, p90 rank ceil(3.6) = 4 -> 1000;
                // verifying 10 30: median rank 1 -> 10, p90 rank ceil(1.8) = 2 -> 30.
                {"routing_tier": "high", "phases": 4, "landed": 2, "failed": 0, "retries": 1,
                 "running": {"samples": 4, "median_seconds": 200, "p90_seconds": 1000},
                 "verifying": {"samples": 2, "median_seconds": 10, "p90_seconds": 30}}
            ]
        })
    );
    let core = env.ok(&["calibration", "routing", "--filter-tag", "team=core", "--format", "json"]).json();
    assert_eq!(core["filter_tags"], json!([{"key": "team", "value": "core"}]));
    // p-1 only: running 60 200 300 -> median rank 2 -> 200, p90 rank 3 -> 300; verifying 30.
    assert_eq!(
        core["tiers"][1],
        json!({"routing_tier": "high", "phases": 2, "landed": 1, "failed": 0, "retries": 1,
               "running": {"samples": 3, "median_seconds": 200, "p90_seconds": 300},
               "verifying": {"samples": 1, "median_seconds": 30, "p90_seconds": 30}})
    );
    let none = env.ok(&[
        "calibration",
        "routing",
        "--filter-tag",
        "team=core",
        "--filter-tag",
        "team=web",
        "--format",
        "json",
    ]);
    assert_eq!(none.json()["tiers"], json!([]), "both pairs must match");
}

#[test]
fn routing_prints_a_table_and_draws_an_svg() {
    let env = tracked_history();
    let plot = env.path("routing.svg");
    let run = env.ok(&["calibration", "routing", "--format", "table", "--plot", plot.to_str().unwrap()]);
    let out = run.stdout();
    assert!(out.contains("RUNNING MEDIAN"), "{out}");
    let high = out.lines().find(|l| l.contains("high")).unwrap_or_else(|| panic!("{out}"));
    for cell in ["4", "2", "1", "3m 20s", "16m 40s", "10s", "30s"] {
        assert!(high.contains(cell), "{cell} in {high}");
    }
    assert!(run.stderr().contains("wrote the routing chart to"), "{}", run.stderr());
    assert!(run.stderr().contains("2 routing tiers"), "{}", run.stderr());
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    for text in ["Time in status per routing tier", "time in status (minutes)", "high", "low", "n=4"] {
        assert!(svg.contains(text), "{text} missing from the SVG");
    }
}

#[test]
fn routing_refuses_a_bad_filter_tag_with_exit_3_and_reports_an_unwritable_plot() {
    let env = tracked_history();
    for bad in ["team", "Team=core", "team="] {
        let run = env.run(&["calibration", "routing", "--filter-tag", bad]);
        assert_eq!(run.code(), 3, "{bad}: {}", run.stderr());
        assert!(run.stderr().contains("--filter-tag"), "{}", run.stderr());
        assert!(run.stdout().is_empty());
    }
    let missing = env.path("no/such/dir/routing.svg");
    let run = env.run(&["calibration", "routing", "--plot", missing.to_str().unwrap()]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("cannot write the plot"), "{}", run.stderr());
    assert!(run.stdout().is_empty(), "nothing printed when the chart fails");
}
