//! The whole history: export, import (and the cascades it relies on), counts, the write probe
//! and vacuum.

use skillnet_core::Outcome;
use skillnet_store::{AnalysisQuery, CalibrationStore, HistoryItem, StoreError, TableCounts};

use crate::fixtures::*;
use crate::harness::fresh_database;

/// A history with a bit of everything: verified several times, unverified, user tags, NULLs.
fn sample_history(store: &dyn CalibrationStore) {
    let mut renamed = plan_at("c-renamed", CREATED + 5);
    renamed.plan.flavor = "mixed".into();
    record(store, &[plan("a-full"), bare_plan("b-bare"), renamed, plan("d-unverified")]);
    verify(store, "a-full", verification(Outcome::Abandoned, CREATED + 100));
    verify(store, "a-full", verification(Outcome::Shipped, CREATED + 200));
    verify(store, "b-bare", bare_verification(Outcome::Partial, CREATED + 300));
    store.add_tags(&id("a-full"), &[tag("owner", "alice"), tag("team", "infra")]).unwrap();
    store.add_tags(&id("d-unverified"), &[tag("owner", "bob")]).unwrap();
}

pub fn export_then_import_into_a_fresh_store_is_identical(store: &dyn CalibrationStore) {
    sample_history(store);
    let exported = export(store);
    assert_eq!(exported.len(), 4);
    let jsonl = export_jsonl(store);

    let target_db = fresh_database(store);
    let target = skillnet_store::open(target_db.url()).unwrap();
    assert_eq!(target.import(&mut stream(&exported)).unwrap(), 4);
    assert_eq!(export(&*target), exported);
    assert_eq!(export_jsonl(&*target), jsonl, "the JSON Lines export is byte for byte the same");
    assert_eq!(counts(&*target), counts(store));
    // What a reader of the target sees is what a reader of the source sees.
    assert_eq!(
        target.query_plans(&Default::default()).unwrap(),
        store.query_plans(&Default::default()).unwrap()
    );
    // Imported trigger rows are judged by their plan's newest verification, as recorded ones are.
    let every_trigger = AnalysisQuery { min_n: 1, analyzed_at: CREATED + 1_000, ..Default::default() };
    let judged = store.analyze(&every_trigger).unwrap();
    assert!(judged.triggers.iter().any(|t| t.fires + t.misses > 0), "the sample history has judged triggers");
    assert_eq!(target.analyze(&every_trigger).unwrap(), judged);

    // Each item survives its JSON form too (what `export --format jsonl | import` does).
    let parsed: Vec<HistoryItem> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(parsed, exported);
}

/// Text sorts in byte order everywhere (export, the `query_plans` tie-break, a plan's tags), the
/// one order every backend and every database collation can agree on, so that the same history
/// reads the same from SQLite and PostgreSQL.
pub fn ids_and_tags_sort_in_byte_order(store: &dyn CalibrationStore) {
    // Mixed case, punctuation and non-ASCII, all written at the same time.
    let ids = ["b", "B", "a-b", "aB", "ab", "a_b", "\u{c4}", "z", "0", "\u{e4}"];
    record(store, &ids.map(bare_plan));
    let mut expected: Vec<&str> = ids.to_vec();
    expected.sort_unstable();
    let exported: Vec<String> = export(store)
        .into_iter()
        .map(|item| match item {
            HistoryItem::Plan(details) => details.plan.id.to_string(),
            other => panic!("only plans were written: {other:?}"),
        })
        .collect();
    assert_eq!(exported, expected, "export order");
    let listed: Vec<String> =
        store.query_plans(&Default::default()).unwrap().into_iter().map(|s| s.plan.id.to_string()).collect();
    assert_eq!(listed, expected, "query_plans order among plans written at the same time");

    let values = ["beta", "Zeta", "alpha", "\u{c4}pfel", "a-z", "a_z"];
    store.add_tags(&id("b"), &values.map(|v| tag("label", v))).unwrap();
    let mut expected: Vec<&str> = values.to_vec();
    expected.sort_unstable();
    assert_eq!(tag_values(store, "b", "label"), expected, "tag order");
}

pub fn export_pages_through_a_large_history(store: &dyn CalibrationStore) {
    let plans: Vec<_> = (0..1_234).map(|i| bare_plan(&format!("plan-{i:05}"))).collect();
    record(store, &plans);
    let exported = export(store);
    assert_eq!(exported.len(), 1_234);
    let ids: Vec<String> = exported
        .iter()
        .map(|item| match item {
            HistoryItem::Plan(details) => details.plan.id.to_string(),
            other => panic!("only plans were written: {other:?}"),
        })
        .collect();
    let expected: Vec<String> = plans.iter().map(|p| p.plan.id.to_string()).collect();
    assert_eq!(ids, expected, "every plan once, in id order");
}

pub fn empty_batches_and_an_empty_store(store: &dyn CalibrationStore) {
    assert!(export(store).is_empty());
    assert_eq!(store.import(&mut stream(&[])).unwrap(), 0);
    assert_eq!(store.record_plans(&[], RECORDED).unwrap(), Default::default());
    assert_eq!(store.verify_plans(&[]).unwrap(), 0);
    assert_eq!(counts(store), TableCounts::default());
}

/// An import reads its items one at a time; an error from the items, however late, ends it
/// and writes nothing, not even the groups already sent to the database.
pub fn an_import_cut_short_by_a_bad_item_writes_nothing(store: &dyn CalibrationStore) {
    sample_history(store);
    let exported = export(store);
    let target_db = fresh_database(store);
    let target = skillnet_store::open(target_db.url()).unwrap();
    // Three rounds' worth of plans (1,024 each), then the bad item.
    let many: Vec<HistoryItem> = (0..2_100)
        .map(|i| {
            let HistoryItem::Plan(mut d) = exported[0].clone() else { panic!("a plan comes first") };
            d.plan.id = id(&format!("copy-{i:04}"));
            HistoryItem::Plan(d)
        })
        .collect();
    let mut items =
        stream(&many).chain(std::iter::once(Err(StoreError::InvalidInput("line 2101: bad".into()))));
    let error = target.import(&mut items).unwrap_err();
    assert!(matches!(&error, StoreError::InvalidInput(m) if m == "line 2101: bad"), "{error:?}");
    assert_eq!(counts(&*target), TableCounts::default());
}

/// Export reads one snapshot: a plan recorded while the export runs is not half in it.
pub fn export_reads_one_consistent_snapshot(store: &dyn CalibrationStore) {
    // More plans than one export page, so the export reads the plans table more than once.
    let plans: Vec<_> = (0..1_100).map(|i| bare_plan(&format!("plan-{i:05}"))).collect();
    record(store, &plans);
    let mut seen = Vec::new();
    store
        .export(&mut |item| {
            let HistoryItem::Plan(details) = item else { panic!("no proposal was written") };
            if seen.is_empty() {
                // Another connection writes while the export is under way.
                record(store, &[bare_plan("plan-99999-late")]);
                store.add_tags(&id("plan-01099"), &[tag("late", "yes")]).unwrap();
            }
            seen.push(details);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen.len(), 1_100);
    assert!(seen.iter().all(|d| d.plan.id.as_str() != "plan-99999-late"));
    assert!(seen.last().unwrap().tags.iter().all(|t| t.key.as_str() != "late"));
    assert_eq!(counts(store).plans, 1_101, "the write itself went through");
}

/// Import replaces a plan with the same id: its old phases, triggers, tags and verifications
/// go (by the ON DELETE CASCADE), and nothing is duplicated.
pub fn import_replaces_plans_with_the_same_ids(store: &dyn CalibrationStore) {
    sample_history(store);
    let exported = export(store);
    let before = counts(store);

    // Importing the same history again changes nothing.
    store.import(&mut stream(&exported)).unwrap();
    assert_eq!(counts(store), before);
    assert_eq!(export(store), exported);

    // Importing a smaller version of one plan removes what the old version owned.
    let HistoryItem::Plan(mut small) = exported[0].clone() else { panic!("plans come first") };
    assert_eq!(small.plan.id.as_str(), "a-full");
    small.phases.truncate(1);
    small.phase_status.truncate(1);
    small.plan.phase_count = 1;
    small.triggers.clear();
    small.tags.retain(|t| t.key.as_str() == "flavor");
    small.verifications.truncate(1);
    store.import(&mut stream(&[HistoryItem::Plan(small.clone())])).unwrap();
    let after = counts(store);
    let old = store.plan(&id("b-bare")).unwrap();
    assert_eq!(old.plan.id.as_str(), "b-bare", "other plans stay");
    assert_eq!(after.plans, before.plans);
    assert_eq!(after.phases, before.phases - 2);
    assert_eq!(after.triggers, before.triggers - 2);
    assert_eq!(after.verifications, before.verifications - 1);
    let HistoryItem::Plan(full) = &exported[0] else { panic!("plans come first") };
    assert_eq!(after.tags, before.tags - (full.tags.len() as i64 - 1));
    assert_eq!(store.plan(&id("a-full")).unwrap(), *small);
}

pub fn counts_count_every_table(store: &dyn CalibrationStore) {
    assert_eq!(counts(store), TableCounts::default());
    record(store, &[plan("p"), bare_plan("q")]);
    verify(store, "p", verification(Outcome::Shipped, CREATED));
    verify(store, "p", verification(Outcome::Partial, CREATED + 1));
    store.add_tags(&id("q"), &[tag("owner", "alice")]).unwrap();
    store.record_skill_use(&skill_use("simplify", "claude-code", CREATED)).unwrap();
    // p: 7 tags (see records.rs) + outcome; q: flavor, risk, scope + owner.
    assert_eq!(
        counts(store),
        TableCounts {
            plans: 2,
            phases: 3,
            triggers: 3,
            verifications: 2,
            tags: 12,
            phase_transitions: 0,
            proposals: 0,
            thresholds: 0,
            skill_uses: 1
        }
    );
}

pub fn check_writable_leaves_nothing_behind(store: &dyn CalibrationStore) {
    store.check_writable().unwrap();
    assert_eq!(counts(store), TableCounts::default());
    sample_history(store);
    let before = export_jsonl(store);
    store.check_writable().unwrap();
    store.check_writable().unwrap();
    assert_eq!(export_jsonl(store), before);
    assert_eq!(store.query_plans(&Default::default()).unwrap().len(), 4);
}

pub fn vacuum_keeps_every_row(store: &dyn CalibrationStore) {
    store.vacuum().unwrap();
    sample_history(store);
    let before = export_jsonl(store);
    store.import(&mut stream(&export(store))).unwrap();
    store.vacuum().unwrap();
    assert_eq!(export_jsonl(store), before);
    store.check_writable().unwrap();
    record(store, &[plan("after-vacuum")]);
    assert_eq!(counts(store).plans, 5);
}
