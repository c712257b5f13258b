//! End-to-end tests of the `skillnet` binary: each test runs the real binary in a fresh
//! temporary home with a clean environment.
//!
//! - `support`: the test environment and sidecar builders.
//! - `front_half`: init, eval, meta-heuristics and shape-hash against fixtures skillnet 0.6 wrote.
//! - `quickstart`: the README's first command, step by step.
//! - `reliability`: regression tests of the reliability sweep, one per defect.
//! - `sidecars`: every rejection of SPEC §4, with exit code 3 and nothing written.
//! - `history`: re-recording, tags, verifications, export/import, snapshots of show and query.
//! - `hook`: skill uses from Claude Code hooks and `usage`, and the hooks' settings entries.
//! - `phases`: moving phases and reading a running plan's status.
//! - `calibration`: analyze, proposals and their decisions (racing ones too), the changelog, the
//!   walkthrough, the heuristic catalog, and read-only commands leaving the file untouched.
//! - `routing`: the per-tier routing report, its filters, and its SVG chart.
//! - `concurrency`: many processes writing one SQLite file at once.
//! - `configuration`: database resolution as Home Manager's environments set it, and
//!   misconfiguration errors.
//! - `postgres`: the CLI against a real PostgreSQL server.
//! - `backup`: backups taken while another process writes, restored on either backend.
//! - `zero_six`: adopting a skillnet 0.6 database.
//! - `zero_six_script`: a shell script written for 0.6, run against skillnet.

mod backup;
mod calibration;
mod concurrency;
mod configuration;
mod front_half;
mod history;
mod hook;
mod phases;
mod postgres;
mod quickstart;
mod reliability;
mod routing;
mod sidecars;
mod support;
mod zero_six;
mod zero_six_script;
