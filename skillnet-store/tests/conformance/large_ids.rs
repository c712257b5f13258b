//! Child row ids above 2^31 (and 2^32): every id column and every Rust type reading it must be
//! 64 bits wide, or a long-lived history stops working one day.

use skillnet_core::Outcome;
use skillnet_store::{Backend, CalibrationStore, PlanQuery};

use crate::fixtures::*;
use crate::harness::Raw;

/// Where the id sequences of the child tables are pushed: above both 2^31 and 2^32.
const START: i64 = 5_000_000_000;

pub fn ids_above_2_pow_31_work(store: &dyn CalibrationStore) {
    record(store, &[plan("filler")]);
    verify(store, "filler", verification(Outcome::Shipped, CREATED));
    let mut raw = Raw::connect(store);
    match raw.backend() {
        // SQLite hands out max(id) + 1: one row with a large id moves every later id past it.
        Backend::Sqlite => raw.execute(&format!(
            "INSERT INTO phases (id, plan_id, ordinal, slug, routing_tier, files)
                 VALUES ({START}, 'filler', 99, 'filler', 'low', '[]');
             INSERT INTO triggers (id, plan_id, name, input_value, threshold, fired)
                 VALUES ({START}, 'filler', 'filler', 0, 1, 0);
             INSERT INTO verifications (id, plan_id, verified_at, outcome, phase_outcomes)
                 VALUES ({START}, 'filler', {CREATED}, 'shipped', '{{}}');"
        )),
        Backend::Postgres => raw.execute(&format!(
            "ALTER TABLE phases ALTER COLUMN id RESTART WITH {START};
             ALTER TABLE triggers ALTER COLUMN id RESTART WITH {START};
             ALTER TABLE verifications ALTER COLUMN id RESTART WITH {START};"
        )),
    }

    record(store, &[plan("big")]);
    verify(store, "big", verification(Outcome::Abandoned, CREATED + 1));
    verify(store, "big", verification(Outcome::Partial, CREATED + 2));
    for table in ["phases", "triggers", "verifications"] {
        let smallest = raw.number(&format!("SELECT min(id) AS n FROM {table} WHERE plan_id = 'big'"));
        assert!(smallest >= START, "{table}: the new rows got ids from {smallest}");
    }

    let details = store.plan(&id("big")).unwrap();
    assert_eq!(details.phases, plan("big").phases);
    assert_eq!(details.triggers, plan("big").triggers);
    assert_eq!(
        details.verifications,
        [verification(Outcome::Abandoned, CREATED + 1), verification(Outcome::Partial, CREATED + 2)]
    );
    assert_eq!(tag_values(store, "big", "outcome"), ["partial"], "the newest is found by its large id");
    let summaries =
        store.query_plans(&PlanQuery { tags: vec![tag("outcome", "partial")], ..Default::default() });
    let summaries = summaries.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!((summaries[0].verifications, summaries[0].outcome), (2, Some(Outcome::Partial)));

    // Re-recording and a round trip through export/import keep working above 2^31.
    record(store, &[plan("big")]);
    let exported = export(store);
    store.import(&mut stream(&exported)).unwrap();
    assert_eq!(export(store), exported);
}
