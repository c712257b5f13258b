//! A shell script written for skillnet 0.6 runs unchanged against skillnet and prints what 0.6
//! printed: `tests/fixtures/zero-six-script/script.sh`, whose `expected.stdout` skillnet 0.6.0
//! wrote (`regenerate-with-0.6.sh` writes it again).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Env;

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zero-six-script")
}

/// Every `YYYY-MM-DD` written as that pattern, as `regenerate-with-0.6.sh` writes 0.6's dates.
fn mask_dates(line: &str) -> String {
    let is_date = |s: &[u8]| {
        s.len() == 10
            && s.iter()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
    };
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.len() - i >= 10 && is_date(&bytes[i..i + 10]) {
            out.push_str("YYYY-MM-DD");
            i += 10;
        } else {
            let c = line[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// skillnet's stdout as 0.6 would have printed it: dates masked, and without the changelog lines
/// skillnet adds after 0.6's (SPEC §13 item 4 allows them).
fn as_0_6_printed(stdout: &str) -> String {
    const EXTRA: [&str; 3] = ["- **Proposed because**:", "- **Proposal**:", "- **Superseded by**:"];
    stdout
        .lines()
        .filter(|line| !EXTRA.iter().any(|extra| line.starts_with(extra)))
        .map(|line| mask_dates(line) + "\n")
        .collect()
}

#[test]
fn a_script_written_for_0_6_prints_what_0_6_printed() {
    let env = Env::new();
    let work = env.path("work");
    std::fs::create_dir(&work).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_skillnet")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg(script_dir().join("script.sh"))
        .arg(&work)
        .env_clear()
        .env("PATH", path)
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.path("data"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the script failed:\n{stderr}");
    let expected = std::fs::read_to_string(script_dir().join("expected.stdout")).unwrap();
    let ours = as_0_6_printed(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(ours, expected, "stderr:\n{stderr}");
    // The history went where 0.6's would have: under skillnet_DATA_DIR.
    assert!(work.join("data/multi-phase-plan/calibration.sqlite").exists());
}

#[test]
fn dates_are_masked_and_only_skillnet_s_extra_lines_dropped() {
    assert_eq!(mask_dates("### 2026-12-02 — t: 4 → 5 (2026-1-02)"), "### YYYY-MM-DD — t: 4 → 5 (2026-1-02)");
    let ours = "- **Rationale**: x\n- **Proposal**: 1, accepted 2026-12-02\n- **Proposals**: 2\n";
    assert_eq!(as_0_6_printed(ours), "- **Rationale**: x\n- **Proposals**: 2\n");
}
