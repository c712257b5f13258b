//! Every operation is one transaction: a batch that fails anywhere writes nothing; and many
//! writers at once through one store all succeed.

use std::thread;

use skillnet_core::Outcome;
use skillnet_store::{CalibrationStore, Missing, PlanQuery, StoreError};

use crate::fixtures::*;

pub fn verify_batch_with_an_unknown_plan_writes_nothing(store: &dyn CalibrationStore) {
    record(store, &[plan("a"), plan("c")]);
    verify(store, "a", verification(Outcome::Partial, CREATED));
    let before = (counts(store), export_jsonl(store));
    let batch = [
        (id("a"), verification(Outcome::Shipped, CREATED + 1)),
        (id("b-unknown"), verification(Outcome::Shipped, CREATED + 1)),
        (id("c"), verification(Outcome::Shipped, CREATED + 1)),
    ];
    let err = store.verify_plans(&batch).unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(Missing::Plan { id, hint: Some(_) }) if id == "b-unknown"),
        "{err:?}"
    );
    assert!(err.to_string().contains("b-unknown (record it before verifying it)"), "{err}");
    assert_eq!((counts(store), export_jsonl(store)), before);
    assert_eq!(tag_values(store, "a", "outcome"), ["partial"]);
}

/// A verification the database refuses (a negative duration breaks a CHECK) in the middle of a
/// batch: `InvalidInput`, and neither the verifications nor the outcome tags before it stay.
pub fn verify_batch_breaking_a_check_writes_nothing(store: &dyn CalibrationStore) {
    record(store, &[plan("a"), plan("b")]);
    let before = (counts(store), export_jsonl(store));
    let mut bad = verification(Outcome::Shipped, CREATED);
    bad.elapsed_seconds = Some(-1);
    let batch = [
        (id("a"), verification(Outcome::Shipped, CREATED)),
        (id("b"), bad),
        (id("a"), verification(Outcome::Partial, CREATED + 1)),
    ];
    let err = store.verify_plans(&batch).unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
    assert_eq!((counts(store), export_jsonl(store)), before);
}

/// A record the database refuses (a negative `phase_count` breaks a CHECK; the record is built
/// directly, as a library user may, so no sidecar validation stands in front) in the middle of a
/// batch: `InvalidInput`, no new plan, and a plan re-recorded earlier in the batch keeps its old
/// phases, tags and verifications.
pub fn record_batch_breaking_a_check_writes_nothing(store: &dyn CalibrationStore) {
    record(store, &[plan("existing")]);
    verify(store, "existing", verification(Outcome::Shipped, CREATED));
    store.add_tags(&id("existing"), &[tag("owner", "alice")]).unwrap();
    let before = (counts(store), export_jsonl(store));

    let mut changed = plan("existing");
    changed.phases.clear();
    changed.plan.phase_count = 0;
    changed.tags.clear();
    let mut broken = plan("broken");
    broken.plan.phase_count = -1;
    let batch = [plan("new-before"), changed, broken, plan("new-after")];
    let err = store.record_plans(&batch, RECORDED + 1).unwrap_err();
    assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains("refused")), "{err:?}");
    assert_eq!((counts(store), export_jsonl(store)), before);

    // A child row the database refuses (two phases with one ordinal break the unique index) is
    // caught the same way, after the plan rows of the batch were written.
    let mut duplicate = plan("duplicate-ordinal");
    duplicate.phases[1].ordinal = 1;
    let err = store.record_plans(&[plan("new-before"), duplicate], RECORDED).unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
    assert_eq!((counts(store), export_jsonl(store)), before);

    // The store is still usable after the failures.
    record(store, &[plan("new-after")]);
    assert_eq!(counts(store).plans, 2);
}

/// Text the backends cannot agree to store must be refused the same way on both, as invalid
/// input with nothing written; text they can store comes back unchanged.
pub fn text_with_a_nul_character_round_trips_or_is_invalid_input(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let before = (counts(store), export_jsonl(store));
    let mut v = verification(Outcome::Shipped, CREATED);
    v.surprises = Some("before\0after".into());
    v.emergency_changes = Some(serde_json::json!({"note": "nul \u{0} inside"}));
    match store.verify_plans(&[(id("p"), v.clone())]) {
        Ok(_) => assert_eq!(store.plan(&id("p")).unwrap().verifications, [v]),
        Err(StoreError::InvalidInput(_)) => assert_eq!((counts(store), export_jsonl(store)), before),
        Err(other) => panic!("expected success or InvalidInput, got {other:?}"),
    }
}

pub fn many_threads_record_and_verify_at_once(store: &dyn CalibrationStore) {
    const THREADS: usize = 8;
    const PLANS: usize = 12;
    thread::scope(|scope| {
        for t in 0..THREADS {
            scope.spawn(move || {
                for i in 0..PLANS {
                    let plan_id = format!("t{t}-p{i:02}");
                    record(store, &[plan(&plan_id)]);
                    verify(store, &plan_id, verification(Outcome::Shipped, CREATED + i as i64));
                    store.add_tags(&id(&plan_id), &[tag("thread", &t.to_string())]).unwrap();
                }
            });
        }
    });
    let total = (THREADS * PLANS) as i64;
    let c = counts(store);
    assert_eq!((c.plans, c.phases, c.triggers, c.verifications), (total, 3 * total, 2 * total, total));
    assert_eq!(c.tags, 9 * total, "7 recorded + outcome + thread");
    let verified = PlanQuery { verified: Some(true), ..PlanQuery::default() };
    assert_eq!(store.query_plans(&verified).unwrap().len(), THREADS * PLANS);
    for t in 0..THREADS {
        let query = PlanQuery { tags: vec![tag("thread", &t.to_string())], ..PlanQuery::default() };
        assert_eq!(store.query_plans(&query).unwrap().len(), PLANS);
    }
}

/// A store whose connection the server dropped (a restart, an administrator) carries on with a
/// new one: the connection it keeps is checked before each use, as pooled ones are. PostgreSQL
/// only (see `postgres_only` in `main.rs`).
pub fn a_connection_the_server_dropped_is_replaced(store: &dyn CalibrationStore) {
    assert_eq!(store.backend(), skillnet_store::Backend::Postgres);
    record(store, &[plan("a")]);
    let mut raw = crate::harness::Raw::connect(store);
    raw.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    assert_eq!(store.query_plans(&PlanQuery::default()).unwrap().len(), 1);
    record(store, &[plan("b")]);
    assert_eq!(store.query_plans(&PlanQuery::default()).unwrap().len(), 2);
}
