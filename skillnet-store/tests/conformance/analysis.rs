//! `analyze`: the SPEC §6 rules over a stored history, counted by SQL.
//!
//! The first test builds a history where every verdict and skew case occurs and checks the report
//! against numbers worked out by hand in the comments. The second compares the store's SQL path
//! with the in-memory reference evaluator of skillnet-core on random histories that grow through
//! records, re-records, verifications and re-verifications.

use std::collections::BTreeMap;
use std::convert::Infallible;

use serde_json::json;
use skillnet_core::analysis::{
    build_report, evaluate, surprise_marks, AnalysisReport, Observation, ProposalAction, ReportInput,
    ThresholdSource, TriggerInput, TriggerReport, Verdict,
};
use skillnet_core::{catalog, Outcome, PlanRecord, Tag, Trigger, Verification};
use skillnet_store::{AnalysisQuery, CalibrationStore};

use crate::fixtures::*;

/// When the analyses run: 2026-05-24 12:00:00 UTC.
const ANALYZED_AT: i64 = 1_779_624_000;

const CP: &str = "convergence-point"; // default 3, section "Merge-readiness checklist"
const HP: &str = "hidden-prerequisite"; // default 1
const TPS: &str = "trivial-phase-swamp"; // default 4, the ratio heuristic: notch 0.5
const LSC: &str = "long-serial-chain"; // default 4
const RC: &str = "risk-concentration"; // default 2
const MS: &str = "mechanical-streak"; // default 3
const TRIGGERS: [&str; 6] = [CP, HP, TPS, LSC, RC, MS];

/// A confusion class, as the hand-written tables below spell it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum C {
    Tp,
    Fp,
    Fn,
    Tn,
}
use C::*;

/// A group of plans that look alike: how many, flavor, worktype, outcome, and the class each
/// trigger must land in (in [`TRIGGERS`] order).
struct Group {
    prefix: &'static str,
    count: usize,
    flavor: &'static str,
    worktype: Option<&'static str>,
    outcome: Outcome,
    classes: [C; 6],
}

/// The groups, in creation order. Ids are chosen so that id order differs from creation order
/// (`b5-..` sorts before `q4-..` but is written later), to check that supporting plan ids come in
/// creation order.
#[rustfmt::skip]
const GROUPS: [Group; 6] = [
    //                                                                      CP  HP  TPS LSC RC  MS
    Group { prefix: "p1",  count: 30, flavor: "codex",  worktype: Some("feature"), outcome: Outcome::Shipped,   classes: [Tp, Fp, Tn, Tn, Tn, Tn] },
    Group { prefix: "p2",  count: 10, flavor: "codex",  worktype: Some("feature"), outcome: Outcome::Shipped,   classes: [Fn, Tn, Tp, Tn, Tn, Fp] },
    Group { prefix: "p3a", count: 3,  flavor: "codex",  worktype: Some("bugfix"),  outcome: Outcome::Shipped,   classes: [Tn, Tp, Tp, Tp, Tn, Tp] },
    Group { prefix: "p3b", count: 7,  flavor: "codex",  worktype: Some("bugfix"),  outcome: Outcome::Shipped,   classes: [Tn, Tp, Tp, Tn, Tn, Tp] },
    Group { prefix: "q4",  count: 20, flavor: "claude", worktype: None,            outcome: Outcome::Shipped,   classes: [Tp, Tn, Fp, Tn, Tp, Tn] },
    Group { prefix: "b5",  count: 10, flavor: "claude", worktype: Some("bugfix"),  outcome: Outcome::Abandoned, classes: [Tn, Tn, Fp, Tn, Fp, Tn] },
];

/// The plans and verifications of [`GROUPS`]. Each class is produced by a different route where
/// the rules have several: false positives by a `dead-weight` line or by an abandoned outcome;
/// the ten convergence-point false negatives by a `missed-signal` line (5), by the emergency
/// changes naming the trigger (3) and by them naming its section (2). Decoys that must change
/// nothing: a true negative whose emergency changes name the trigger in capitals, and notes
/// after the second colon of a surprises line.
fn hand_history() -> Vec<(PlanRecord, Verification)> {
    let mut out = Vec::new();
    let mut created = CREATED;
    for group in &GROUPS {
        for i in 0..group.count {
            let plan_id = format!("{}-{i:02}", group.prefix);
            let mut record = bare_plan(&plan_id);
            created += 10;
            record.plan.created_at = created;
            record.plan.flavor = group.flavor.into();
            record.plan.worktype = group.worktype.map(Into::into);
            let mut surprises = vec!["the rollout needed a flag: see notes".to_owned()];
            let mut emergency = None;
            record.triggers = TRIGGERS
                .iter()
                .zip(group.classes)
                .map(|(&name, class)| {
                    let fired = matches!(class, Tp | Fp);
                    if class == Fp && group.outcome != Outcome::Abandoned {
                        surprises.push(format!("dead-weight: {name}: nobody needed it: really"));
                    }
                    if class == Fn {
                        match i % 10 {
                            0..=4 => surprises.push(format!("missed-signal: {name}: should have fired")),
                            5..=7 => emergency = Some(json!({"hotfix": format!("late {name} work")})),
                            _ => emergency = Some(json!({"added": ["Merge-readiness checklist"]})),
                        }
                    }
                    Trigger {
                        name: name.into(),
                        input_value: if fired { 5.0 } else { 0.0 },
                        threshold: 1.0,
                        fired,
                        section_added: catalog::heuristic(name).unwrap().section_added.map(Into::into),
                    }
                })
                .collect();
            if group.prefix == "p3a" {
                emergency = Some(json!({"note": "CONVERGENCE-POINT was fine"}));
            }
            let verification = Verification {
                verified_at: created + 5,
                elapsed_seconds: None,
                outcome: group.outcome,
                phase_outcomes: BTreeMap::new(),
                emergency_changes: emergency,
                surprises: Some(surprises.join("\n")),
            };
            out.push((record, verification));
        }
    }
    out
}

fn record_and_verify(store: &dyn CalibrationStore, history: &[(PlanRecord, Verification)]) {
    let records: Vec<PlanRecord> = history.iter().map(|(r, _)| r.clone()).collect();
    record(store, &records);
    let verifications: Vec<_> = history.iter().map(|(r, v)| (r.plan.id.clone(), v.clone())).collect();
    store.verify_plans(&verifications).expect("verify_plans");
}

fn query(trigger: Option<&str>, filter_tags: Vec<Tag>, min_n: u64) -> AnalysisQuery {
    AnalysisQuery { trigger: trigger.map(Into::into), filter_tags, min_n, analyzed_at: ANALYZED_AT }
}

fn ids(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}-{i:02}")).collect()
}

fn line<'a>(report: &'a AnalysisReport, trigger: &str) -> &'a TriggerReport {
    report.triggers.iter().find(|t| t.trigger == trigger).unwrap_or_else(|| panic!("no line for {trigger}"))
}

/// (TP, FP, FN, TN, fires, misses)
fn counts_of(t: &TriggerReport) -> (u64, u64, u64, u64, u64, u64) {
    (t.true_positives, t.false_positives, t.false_negatives, t.true_negatives, t.fires, t.misses)
}

/// Every verdict and skew case of SPEC §6, against numbers worked out by hand.
pub fn every_verdict_and_skew_case_by_hand(store: &dyn CalibrationStore) {
    record_and_verify(store, &hand_history());
    // A plan that is recorded but never verified does not count.
    let mut unverified = bare_plan("zz-unverified");
    unverified.triggers =
        vec![Trigger { name: CP.into(), input_value: 9.0, threshold: 3.0, fired: true, section_added: None }];
    record(store, &[unverified]);

    let report = store.analyze(&query(None, vec![], 10)).unwrap();
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.analyzed_at, 1_779_624_000, "2026-05-24 12:00:00");
    assert_eq!(serde_json::to_value(&report).unwrap()["analyzed_at"], "2026-05-24 12:00:00");
    assert_eq!(report.min_n, 10);
    // 80 verified plans x 6 triggers.
    assert_eq!(report.dataset_size, 480);
    let names: Vec<&str> = report.triggers.iter().map(|t| t.trigger.as_str()).collect();
    assert_eq!(names, [CP, HP, LSC, MS, RC, TPS], "sorted by name");

    // convergence-point: TP p1 30 + q4 20 = 50; FN p2 10; TN p3a 3 + p3b 7 + b5 10 = 20.
    // fire rate 50/80 = 0.625; signal (50 - 0 - 10) / 60 = 2/3 >= 0.3 and FN 10 >= 2: lower 3 -> 2.
    let cp = line(&report, CP);
    assert_eq!(counts_of(cp), (50, 0, 10, 20, 50, 30));
    assert_eq!((cp.fire_rate, cp.signal_rate), (0.625, Some(40.0 / 60.0)));
    assert_eq!(cp.verdict_text(), "lower threshold (3->2)");
    assert_eq!(
        (cp.verdict, cp.proposed_threshold, cp.action()),
        (Verdict::Lower, Some(2.0), Some(ProposalAction::LowerThreshold))
    );
    assert_eq!((cp.default_threshold, cp.current_threshold), (Some(3.0), Some(3.0)));
    assert_eq!(cp.threshold_source, Some(ThresholdSource::Default));
    assert_eq!(cp.supporting_plan_ids, ids("p2", 10));

    // hidden-prerequisite: TP p3a 3 + p3b 7 = 10; FP p1 30 (dead weight); TN p2 10 + q4 20 + b5 10 = 40.
    // fire rate 40/80 = 0.5; signal (10 - 30 - 0) / 40 = -0.5 <= 0 and fire rate >= 0.5: raise 1 -> 2.
    let hp = line(&report, HP);
    assert_eq!(counts_of(hp), (10, 30, 0, 40, 40, 40));
    assert_eq!((hp.fire_rate, hp.signal_rate), (0.5, Some(-0.5)));
    assert_eq!(hp.verdict_text(), "raise threshold (1->2)");
    assert_eq!(hp.supporting_plan_ids, ids("p1", 30));

    // trivial-phase-swamp: TP p2 10 + p3 10 = 20; FP q4 20 (dead weight) + b5 10 (abandoned) = 30;
    // TN p1 30. fire rate 50/80 = 0.625; signal (20 - 30) / 50 = -0.2: raise by the ratio notch,
    // 4 -> 4.5. Supporting plans in creation order: q4 before b5.
    let tps = line(&report, TPS);
    assert_eq!(counts_of(tps), (20, 30, 0, 30, 50, 30));
    assert_eq!((tps.fire_rate, tps.signal_rate), (0.625, Some(-0.2)));
    assert_eq!(tps.verdict_text(), "raise threshold (4->4.5)");
    assert_eq!(tps.supporting_plan_ids, [ids("q4", 20), ids("b5", 10)].concat());

    // long-serial-chain: TP p3a 3; TN 77. 3 fires < min-n 10: no signal, no verdict.
    let lsc = line(&report, LSC);
    assert_eq!(counts_of(lsc), (3, 0, 0, 77, 3, 77));
    assert_eq!((lsc.fire_rate, lsc.signal_rate), (3.0 / 80.0, None));
    assert_eq!(lsc.verdict_text(), "n=3 < min-n=10");
    assert!(lsc.supporting_plan_ids.is_empty());

    // risk-concentration: TP q4 20; FP b5 10 (abandoned); TN 50. signal 10/30 >= 0.3 but FN 0 < 2:
    // hold.
    let rc = line(&report, RC);
    assert_eq!(counts_of(rc), (20, 10, 0, 50, 30, 50));
    assert_eq!((rc.fire_rate, rc.signal_rate), (0.375, Some(10.0 / 30.0)));
    assert_eq!(rc.verdict_text(), "hold");

    // mechanical-streak: TP p3 10; FP p2 10; TN 60. signal 0 <= 0 but fire rate 20/80 = 0.25 < 0.5:
    // hold.
    let ms = line(&report, MS);
    assert_eq!(counts_of(ms), (10, 10, 0, 60, 20, 60));
    assert_eq!((ms.fire_rate, ms.signal_rate), (0.25, Some(0.0)));
    assert_eq!(ms.verdict_text(), "hold");
    assert!(ms.supporting_plan_ids.is_empty());

    let proposals: Vec<_> = report
        .proposals
        .iter()
        .map(|p| {
            (
                p.trigger.as_str(),
                p.action,
                p.current_threshold,
                p.proposed_threshold,
                p.supporting_plan_ids.len(),
            )
        })
        .collect();
    assert_eq!(
        proposals,
        [
            (CP, ProposalAction::LowerThreshold, 3.0, 2.0, 10),
            (HP, ProposalAction::RaiseThreshold, 1.0, 2.0, 30),
            (TPS, ProposalAction::RaiseThreshold, 4.0, 4.5, 30),
        ]
    );

    // Skew, band by band (min-n 1; a warning needs >= 30 band fires and a difference > 0.3):
    // flavor=codex (p1 p2 p3): CP TP30 FN10 TN10: 30 fires, (30-10)/40 = 0.5 vs 2/3: 0.17, none.
    //   HP TP10 FP30: 40 fires, -0.5 vs -0.5: none. TPS 20 fires, MS 20 fires, LSC 3: too few.
    // flavor=claude (q4 b5): CP TP20: 20 fires, 1.0 vs 2/3: 0.33 but too few fires: none.
    //   TPS FP30: 30 fires, -1.0 vs -0.2: 0.8: WARNING. RC TP20 FP10: 30 fires, 1/3 vs 1/3: none.
    // worktype=feature (p1 p2): CP TP30 FN10: 0.5 vs 2/3: none. HP FP30: 30 fires, -1.0 vs -0.5:
    //   0.5: WARNING. TPS 10, MS 10 fires: too few.
    // worktype=bugfix (p3 b5): at most 20 fires: none. q4 has no worktype: no band.
    let skews: Vec<_> = report
        .skew_warnings
        .iter()
        .map(|w| {
            (
                w.trigger.as_str(),
                w.tag_key.as_str(),
                w.tag_value.as_str(),
                w.global_signal_rate,
                w.band_signal_rate,
                w.band_fires,
            )
        })
        .collect();
    assert_eq!(
        skews,
        [(TPS, "flavor", "claude", -0.2, -1.0, 30), (HP, "worktype", "feature", -0.5, -1.0, 30)]
    );
    assert!(report.skew_warnings.iter().all(|w| w.message.contains(&w.trigger)));

    // With a filter tag: only the codex plans, and never skew warnings.
    // CP over codex: TP30 FN10 TN10: signal 0.5 >= 0.3, FN 10: lower.
    let codex = store.analyze(&query(None, vec![tag("flavor", "codex")], 10)).unwrap();
    assert_eq!(codex.filter_tags, [tag("flavor", "codex")]);
    assert_eq!(codex.filter_tags_applied, codex.filter_tags);
    assert_eq!(codex.dataset_size, 50 * 6);
    assert_eq!(counts_of(line(&codex, CP)), (30, 0, 10, 10, 30, 20));
    assert_eq!(line(&codex, CP).verdict_text(), "lower threshold (3->2)");
    assert!(codex.skew_warnings.is_empty());
    // Two pairs are ANDed: codex plans that are bugfixes are p3a and p3b.
    let both =
        store.analyze(&query(Some(HP), vec![tag("flavor", "codex"), tag("worktype", "bugfix")], 10)).unwrap();
    assert_eq!(both.triggers.len(), 1);
    assert_eq!(counts_of(&both.triggers[0]), (10, 0, 0, 0, 10, 0));
    // A filter nothing matches gives an empty report.
    let none = store.analyze(&query(None, vec![tag("flavor", "mixed")], 10)).unwrap();
    assert!(none.triggers.is_empty() && none.proposals.is_empty() && none.dataset_size == 0);

    // With a min-n above every trigger's fires, no signal anywhere, so no proposal and no skew.
    let strict = store.analyze(&query(None, vec![], 100)).unwrap();
    assert!(strict.triggers.iter().all(|t| t.signal_rate.is_none()));
    assert_eq!(line(&strict, CP).verdict_text(), "n=50 < min-n=100");
    assert!(strict.proposals.is_empty() && strict.skew_warnings.is_empty());
}

/// Re-verifying changes a plan's classes (the newest verification counts); re-recording keeps
/// them for the new trigger rows.
pub fn the_newest_verification_counts(store: &dyn CalibrationStore) {
    let mut record_a = bare_plan("a");
    record_a.triggers[0].name = CP.into();
    record_a.triggers[0].fired = true;
    record(store, &[record_a.clone()]);
    verify(store, "a", bare_verification(Outcome::Shipped, CREATED));
    let report = store.analyze(&query(None, vec![], 1)).unwrap();
    assert_eq!(counts_of(line(&report, CP)), (1, 0, 0, 0, 1, 0));

    verify(store, "a", bare_verification(Outcome::Abandoned, CREATED + 1));
    let report = store.analyze(&query(None, vec![], 1)).unwrap();
    assert_eq!(counts_of(line(&report, CP)), (0, 1, 0, 0, 1, 0), "abandoned now: a false positive");

    // Re-recorded without firing: a true negative under the same (abandoned) verification.
    record_a.triggers[0].fired = false;
    record(store, &[record_a]);
    let report = store.analyze(&query(None, vec![], 1)).unwrap();
    assert_eq!(counts_of(line(&report, CP)), (0, 0, 0, 1, 0, 1));
}

/// A custom trigger (not in the catalog) is analysed too; its current threshold is the one
/// recorded with its newest analysed plan, with no source.
pub fn custom_triggers_use_the_newest_recorded_threshold(store: &dyn CalibrationStore) {
    let mut old = bare_plan("old");
    old.triggers[0].threshold = 2.0;
    let mut new = plan_at("new", CREATED + 100);
    new.triggers = old.triggers.clone();
    new.triggers[0].threshold = 7.0;
    record(store, &[old, new]);
    verify(store, "old", bare_verification(Outcome::Shipped, CREATED));
    verify(store, "new", bare_verification(Outcome::Shipped, CREATED));
    let report = store.analyze(&query(None, vec![], 10)).unwrap();
    let custom = line(&report, "custom-heuristic");
    assert_eq!((custom.default_threshold, custom.current_threshold), (None, Some(7.0)));
    assert_eq!(custom.threshold_source, None);
}

/// Plans created in the same second come in the order they were (last) recorded, as in
/// skillnet 0.6 (its rows are ordered by creation time, then trigger row): in supporting plan ids,
/// and in which one's threshold a custom trigger takes.
pub fn plans_created_in_the_same_second_come_in_record_order(store: &dyn CalibrationStore) {
    let wasted = |plan_id: &str, threshold: f64| {
        let mut record = bare_plan(plan_id);
        record.triggers[0].input_value = 9.0;
        record.triggers[0].fired = true;
        record.triggers[0].threshold = threshold;
        record
    };
    record(store, &[wasted("z-first", 2.0), wasted("m-second", 3.0)]);
    record(store, &[wasted("a-third", 4.0)]);
    for plan_id in ["z-first", "m-second", "a-third"] {
        verify(store, plan_id, bare_verification(Outcome::Abandoned, CREATED));
    }
    let raised = |store: &dyn CalibrationStore| {
        let report = store.analyze(&query(None, vec![], 1)).unwrap();
        let custom = line(&report, "custom-heuristic");
        let proposal = report.proposals.iter().find(|p| p.trigger == "custom-heuristic").unwrap();
        assert_eq!(proposal.action, ProposalAction::RaiseThreshold);
        (proposal.supporting_plan_ids.clone(), custom.current_threshold)
    };
    assert_eq!(raised(store), (vec!["z-first".into(), "m-second".into(), "a-third".into()], Some(4.0)));
    // Recorded again, a plan goes last.
    record(store, &[wasted("z-first", 5.0)]);
    assert_eq!(raised(store), (vec!["m-second".into(), "a-third".into(), "z-first".into()], Some(5.0)));
}

/// A small deterministic generator (xorshift64*), so failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len() as u64) as usize]
    }
}

const RANDOM_TRIGGERS: [&str; 4] = [CP, TPS, "risk-late-in-plan", "custom-heuristic"];

fn random_plan(rng: &mut Rng, plan_id: &str) -> PlanRecord {
    let mut record = bare_plan(plan_id);
    record.plan.created_at = CREATED + rng.below(50) as i64;
    record.plan.flavor = rng.pick(&["codex", "claude"]).into();
    record.plan.worktype = rng.chance(70).then(|| rng.pick(&["feature", "bugfix", "chore"]).into());
    record.triggers = Vec::new();
    for name in RANDOM_TRIGGERS {
        if !rng.chance(85) {
            continue;
        }
        let section = catalog::heuristic(name).and_then(|h| h.section_added);
        record.triggers.push(Trigger {
            name: name.into(),
            input_value: 1.0,
            threshold: (1 + rng.below(5)) as f64,
            fired: rng.chance(50),
            section_added: section.filter(|_| rng.chance(80)).map(Into::into),
        });
    }
    if rng.chance(40) {
        record.tags = vec![tag("team", rng.pick(&["infra", "web"]))];
    }
    record
}

/// A verification; claude plans are abandoned more often, so that bands differ and skew
/// warnings occur.
fn random_verification(rng: &mut Rng, flavor: &str) -> Verification {
    let lines: Vec<String> = (0..rng.below(4))
        .map(|_| {
            let kind = rng.pick(&["dead-weight", "missed-signal", "note", " missed-signal "]);
            format!("{kind}: {}: because", rng.pick(&RANDOM_TRIGGERS))
        })
        .collect();
    let emergency = match rng.below(4) {
        0 => None,
        1 => Some(json!({"fix": rng.pick(&RANDOM_TRIGGERS)})),
        2 => Some(json!(["Merge-readiness checklist", {"n": 1}])),
        _ => Some(json!({"z": "Risk-tier callout", "a": "late-risk warning"})),
    };
    Verification {
        verified_at: CREATED + rng.below(1_000) as i64,
        elapsed_seconds: None,
        outcome: if flavor == "claude" && rng.chance(60) {
            Outcome::Abandoned
        } else {
            Outcome::ALL[rng.below(3) as usize]
        },
        phase_outcomes: BTreeMap::new(),
        emergency_changes: emergency,
        surprises: (!lines.is_empty()).then(|| lines.join("\n")),
    }
}

/// The analysis computed without the store's SQL: every stored plan read back, each trigger row
/// classified in memory by skillnet-core's reference evaluator. `recorded` is each plan's place
/// in the order of the plans' last records.
fn reference_report(
    store: &dyn CalibrationStore,
    q: &AnalysisQuery,
    recorded: &BTreeMap<String, usize>,
) -> AnalysisReport {
    let mut verified: Vec<_> = export(store)
        .into_iter()
        .filter_map(|item| match item {
            skillnet_store::HistoryItem::Plan(d) => Some(*d),
            _ => None,
        })
        .filter(|d| !d.verifications.is_empty())
        .collect();
    verified.sort_by_key(|d| (d.plan.created_at, recorded[d.plan.id.as_str()]));
    // A custom trigger's threshold is the one recorded with its newest verified plan, whatever
    // the filters: a property of the trigger, not of the slice analysed.
    let newest_threshold = |name: &str| {
        verified.iter().rev().find_map(|d| d.triggers.iter().find(|t| t.name == name)).map(|t| t.threshold)
    };
    let plans: Vec<_> = verified
        .iter()
        .filter(|d| q.filter_tags.iter().all(|f| d.tags.iter().any(|t| t.key == f.key && t.value == f.value)))
        .collect();
    let emergency: Vec<Option<String>> = plans
        .iter()
        .map(|d| d.latest_verification().unwrap().emergency_changes.as_ref().map(|v| v.to_string()))
        .collect();
    let marks: Vec<_> = plans
        .iter()
        .map(|d| surprise_marks(d.latest_verification().unwrap().surprises.as_deref().unwrap_or("")))
        .collect();
    let mut rows = Vec::new();
    let mut band_rows: BTreeMap<(String, String), Vec<(&str, Observation<'_>)>> = BTreeMap::new();
    for (i, d) in plans.iter().enumerate() {
        for t in d.triggers.iter().filter(|t| q.trigger.as_ref().is_none_or(|name| *name == t.name)) {
            let observation = Observation {
                trigger: &t.name,
                fired: t.fired,
                section_added: t.section_added.as_deref(),
                outcome: d.latest_verification().unwrap().outcome,
                dead_weight: marks[i].dead_weight.contains(&t.name),
                missed_signal: marks[i].missed_signal.contains(&t.name),
                emergency_changes: emergency[i].as_deref(),
            };
            rows.push((d.plan.id.as_str(), observation));
            band_rows
                .entry(("flavor".into(), d.plan.flavor.clone()))
                .or_default()
                .push((d.plan.id.as_str(), observation));
            if let Some(w) = &d.plan.worktype {
                band_rows
                    .entry(("worktype".into(), w.clone()))
                    .or_default()
                    .push((d.plan.id.as_str(), observation));
            }
        }
    }
    let evaluations = evaluate(rows);
    let triggers = evaluations
        .iter()
        .map(|(name, e)| {
            let (current_threshold, threshold_source) = match catalog::heuristic(name) {
                Some(h) => (h.default_threshold, Some(ThresholdSource::Default)),
                None => (newest_threshold(name).unwrap(), None),
            };
            TriggerInput {
                trigger: name.clone(),
                confusion: e.confusion,
                current_threshold,
                threshold_source,
            }
        })
        .collect();
    let bands = band_rows
        .into_iter()
        .flat_map(|((key, value), rows)| {
            evaluate(rows).into_iter().map(move |(trigger, e)| skillnet_core::analysis::BandInput {
                trigger,
                tag_key: key.clone(),
                tag_value: value.clone(),
                confusion: e.confusion,
            })
        })
        .collect();
    let input = ReportInput {
        analyzed_at: q.analyzed_at,
        min_n: q.min_n,
        filter_tags: q.filter_tags.clone(),
        triggers,
        bands: if q.filter_tags.is_empty() { bands } else { vec![] },
    };
    build_report(input, |trigger, class| Ok::<_, Infallible>(evaluations[trigger].plan_ids(class).to_vec()))
        .unwrap()
}

/// The SQL path and the in-memory reference agree on random histories, after every round of
/// random records, re-records, verifications and re-verifications.
pub fn sql_counts_match_the_reference_evaluator(store: &dyn CalibrationStore) {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut recorded: BTreeMap<String, String> = BTreeMap::new(); // id -> flavor
    let mut record_order: BTreeMap<String, usize> = BTreeMap::new(); // id -> place of its last record
    let mut places = 0..;
    let (mut proposals, mut skew_warnings, mut supporting) = (0, 0, 0);
    for round in 0..8 {
        // New plans and re-records of old ones.
        let mut batch: Vec<PlanRecord> =
            (0..40).map(|i| random_plan(&mut rng, &format!("r{round}-{i:02}"))).collect();
        let known: Vec<String> = recorded.keys().cloned().collect();
        for _ in 0..5.min(known.len()) {
            let again = &known[rng.below(known.len() as u64) as usize];
            batch.push(random_plan(&mut rng, again));
        }
        record(store, &batch);
        recorded.extend(batch.iter().map(|r| (r.plan.id.to_string(), r.plan.flavor.clone())));
        for r in &batch {
            record_order.insert(r.plan.id.to_string(), places.next().unwrap());
        }
        // Verifications of some plans, a few of them verified again.
        let mut verifications = Vec::new();
        for (plan_id, flavor) in &recorded {
            if rng.chance(45) {
                verifications.push((id(plan_id), random_verification(&mut rng, flavor)));
            }
        }
        store.verify_plans(&verifications).unwrap();

        let queries = [
            query(None, vec![], 10),
            query(None, vec![], 1),
            query(None, vec![], 3),
            query(Some(CP), vec![], 2),
            query(None, vec![tag("team", "infra")], 2),
            query(None, vec![tag("flavor", "codex"), tag("worktype", "feature")], 1),
        ];
        for q in &queries {
            let sql = store.analyze(q).unwrap();
            let reference = reference_report(store, q, &record_order);
            assert_eq!(sql, reference, "round {round}, {q:?}");
            proposals += sql.proposals.len();
            skew_warnings += sql.skew_warnings.len();
            supporting += sql.proposals.iter().map(|p| p.supporting_plan_ids.len()).sum::<usize>();
        }
    }
    // The histories reach every part of the report, not only the counts.
    assert!(
        proposals > 10 && skew_warnings > 3 && supporting > 50,
        "{proposals} {skew_warnings} {supporting}"
    );
}
