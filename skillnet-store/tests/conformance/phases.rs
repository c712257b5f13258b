//! Phase status tracking (SPEC.md §5.2): moves validated by the core state machine, applied
//! with a compare-and-set, logged, kept across re-records and exports.

use std::sync::{Arc, Barrier};

use skillnet_core::phase_status::{PhaseStatus, PlanStatus};
use skillnet_core::Outcome;
use skillnet_store::{CalibrationStore, Missing, PhaseRef, PhaseTransitionRecord, StoreError};

use crate::fixtures::{export, id, plan, record, stream, verification, verify};

use PhaseStatus::*;

fn step(store: &dyn CalibrationStore, plan_id: &str, ordinal: i64, to: PhaseStatus, at: i64) {
    store
        .move_phase(&id(plan_id), &PhaseRef::Ordinal(ordinal), to, at, Some("note"))
        .unwrap_or_else(|e| panic!("{plan_id}#{ordinal} -> {to}: {e}"));
}

fn status_of(store: &dyn CalibrationStore, plan_id: &str, ordinal: i64) -> (PhaseStatus, i64) {
    let details = store.plan(&id(plan_id)).unwrap();
    let state = details.phase_status.iter().find(|s| s.ordinal == ordinal).unwrap();
    (state.status, state.attempt)
}

/// One phase through every legal move, the others to each final status; the log and the
/// derived plan status follow.
pub fn every_legal_move_is_applied_and_logged(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    assert_eq!(store.plan(&id("p")).unwrap().status(), PlanStatus::Recorded);
    let path = [
        Running, Blocked, Running, Verifying, Running, Verifying, Failed, Queued, Running, Verifying, Landed,
    ];
    for (i, to) in path.into_iter().enumerate() {
        step(store, "p", 1, to, 100 + i as i64);
        // A retry puts the only started phase back in the queue: every phase is queued again.
        let expected = if to == Queued { PlanStatus::Recorded } else { PlanStatus::InProgress };
        assert_eq!(store.plan(&id("p")).unwrap().status(), expected, "after {to}");
    }
    assert_eq!(status_of(store, "p", 1), (Landed, 2), "the retry counted an attempt");
    step(store, "p", 2, Skipped, 200);
    step(store, "p", 3, Running, 201);
    assert_eq!(store.plan(&id("p")).unwrap().status(), PlanStatus::InProgress);
    step(store, "p", 3, Failed, 202);
    let details = store.plan(&id("p")).unwrap();
    assert_eq!(details.status(), PlanStatus::Done);
    let log: Vec<(i64, PhaseStatus, PhaseStatus, i64, i64)> =
        details.transitions.iter().map(|t| (t.ordinal, t.from, t.to, t.at, t.attempt)).collect();
    let expected = vec![
        (1, Queued, Running, 100, 1),
        (1, Running, Blocked, 101, 1),
        (1, Blocked, Running, 102, 1),
        (1, Running, Verifying, 103, 1),
        (1, Verifying, Running, 104, 1),
        (1, Running, Verifying, 105, 1),
        (1, Verifying, Failed, 106, 1),
        (1, Failed, Queued, 107, 2),
        (1, Queued, Running, 108, 2),
        (1, Running, Verifying, 109, 2),
        (1, Verifying, Landed, 110, 2),
        (2, Queued, Skipped, 200, 1),
        (3, Queued, Running, 201, 1),
        (3, Running, Failed, 202, 1),
    ];
    assert_eq!(log, expected);
    assert!(details.transitions.iter().all(|t| t.note.as_deref() == Some("note")));
    verify(store, "p", verification(Outcome::Partial, 300));
    assert_eq!(store.plan(&id("p")).unwrap().status(), PlanStatus::Verified);
}

/// The moves that reach each status from `queued`.
fn path_to(status: PhaseStatus) -> &'static [PhaseStatus] {
    match status {
        Queued => &[],
        Running => &[Running],
        Blocked => &[Running, Blocked],
        Verifying => &[Running, Verifying],
        Landed => &[Running, Verifying, Landed],
        Failed => &[Running, Failed],
        Skipped => &[Skipped],
    }
}

/// Every (from, to) pair the state machine refuses is a `Conflict` naming both states and the
/// legal next ones, and changes neither the status nor the log.
pub fn every_illegal_move_is_a_conflict_and_changes_nothing(store: &dyn CalibrationStore) {
    let mut n = 0;
    for from in PhaseStatus::ALL {
        for to in PhaseStatus::ALL {
            if from.transition(to).is_ok() {
                continue;
            }
            n += 1;
            let plan_id = format!("{from}-{to}");
            record(store, &[plan(&plan_id)]);
            for (i, s) in path_to(from).iter().enumerate() {
                step(store, &plan_id, 1, *s, i as i64);
            }
            let before = store.plan(&id(&plan_id)).unwrap();
            let err = store.move_phase(&id(&plan_id), &PhaseRef::Ordinal(1), to, 99, None).unwrap_err();
            let message = err.to_string();
            let StoreError::IllegalTransition { transition, .. } = err else {
                panic!("{from} -> {to}: {err:?}")
            };
            let legal: Vec<String> = from.legal_next().iter().map(ToString::to_string).collect();
            assert_eq!((transition.from, transition.to), (from.to_string(), to.to_string()));
            assert_eq!(transition.legal, legal, "{from}: the legal next states");
            assert!(message.contains(&format!("from `{from}` to `{to}`")), "{message}");
            assert_eq!(store.plan(&id(&plan_id)).unwrap(), before, "{from} -> {to} changed something");
        }
    }
    assert_eq!(n, 49 - 12, "every pair but the 12 legal moves was tried");
}

/// The status view: each phase's status, attempt and since when, and the derived plan status.
pub fn the_status_view_says_where_a_plan_stands(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let recorded_at = store.plan(&id("p")).unwrap().recorded_at;
    step(store, "p", 1, Running, recorded_at + 10);
    step(store, "p", 1, Failed, recorded_at + 20);
    step(store, "p", 1, Queued, recorded_at + 30);
    step(store, "p", 1, Running, recorded_at + 40);
    step(store, "p", 2, Running, recorded_at + 50);
    let view = store.status(&id("p")).unwrap();
    assert_eq!((view.plan_id.as_str(), view.status), ("p", PlanStatus::InProgress));
    let lines: Vec<_> =
        view.phases.iter().map(|l| (l.ordinal, l.slug.as_str(), l.status, l.attempt, l.since)).collect();
    let details = store.plan(&id("p")).unwrap();
    assert_eq!(lines.len(), details.phases.len());
    assert_eq!(lines[0], (1, details.phases[0].slug.as_str(), Running, 2, recorded_at + 40));
    assert_eq!(lines[1], (2, details.phases[1].slug.as_str(), Running, 1, recorded_at + 50));
    assert!(lines[2..].iter().all(|l| l.2 == Queued && l.4 == recorded_at), "{lines:?}");
    assert_eq!(
        store.status(&id("ghost")).unwrap_err().missing(),
        Some(&Missing::Plan { id: "ghost".into(), hint: None })
    );
}

/// Two writers start the same queued phase at once: exactly one wins, the other gets
/// `Conflict`, and the log has one entry.
pub fn two_writers_racing_on_one_phase_exactly_one_wins(store: &dyn CalibrationStore) {
    let plans: Vec<String> = (0..10).map(|i| format!("race-{i}")).collect();
    record(store, &plans.iter().map(|p| plan(p)).collect::<Vec<_>>());
    std::thread::scope(|scope| {
        for plan_id in &plans {
            let barrier = Arc::new(Barrier::new(2));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let barrier = Arc::clone(&barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        store.move_phase(&id(plan_id), &PhaseRef::Slug("schema".into()), Running, 1, None)
                    })
                })
                .collect();
            let results: Vec<_> = racers.into_iter().map(|r| r.join().unwrap()).collect();
            let wins = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "{plan_id}: {results:?}");
            // The loser either lost the compare-and-set or read the winner's move first.
            assert!(
                results.iter().any(|r| matches!(
                    r,
                    Err(StoreError::Conflict(_) | StoreError::IllegalTransition { .. })
                )),
                "{results:?}"
            );
            let details = store.plan(&id(plan_id)).unwrap();
            assert_eq!(details.transitions.len(), 1);
            assert_eq!(status_of(store, plan_id, 1), (Running, 1));
        }
    });
}

/// Phases are named by ordinal or slug; unknown ones are `NotFound`.
pub fn phases_are_named_by_ordinal_or_slug(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let moved = store.move_phase(&id("p"), &PhaseRef::Slug("api".into()), Running, 5, None).unwrap();
    assert_eq!(
        (moved.ordinal, moved.slug.as_str(), moved.from, moved.to, moved.attempt),
        (2, "api", Queued, Running, 1)
    );
    assert_eq!("2".parse::<PhaseRef>().unwrap(), PhaseRef::Ordinal(2));
    assert_eq!("api".parse::<PhaseRef>().unwrap(), PhaseRef::Slug("api".into()));
    let phase_of_p = |phase: &str| Missing::Phase { plan: "p".into(), phase: phase.into() };
    for (plan_id, phase, missing) in [
        ("p", PhaseRef::Ordinal(9), phase_of_p("9")),
        ("p", PhaseRef::Slug("nope".into()), phase_of_p("nope")),
        ("nope", PhaseRef::Ordinal(1), Missing::Plan { id: "nope".into(), hint: None }),
    ] {
        let err = store.move_phase(&id(plan_id), &phase, Running, 5, None).unwrap_err();
        assert_eq!(err.missing(), Some(&missing), "{plan_id} {phase}: {err:?}");
    }
}

/// Re-recording a running plan keeps each phase's progress and the log; export and import
/// carry both.
pub fn progress_survives_re_record_and_export(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    step(store, "p", 1, Running, 10);
    step(store, "p", 1, Failed, 11);
    step(store, "p", 1, Queued, 12);
    record(store, &[plan("p")]);
    assert_eq!(status_of(store, "p", 1), (Queued, 2));
    assert_eq!(store.plan(&id("p")).unwrap().transitions.len(), 3);
    let exported = export(store);
    store.import(&mut stream(&exported)).unwrap();
    assert_eq!(export(store), exported);
    let last = store.plan(&id("p")).unwrap().transitions.pop().unwrap();
    assert_eq!(
        last,
        PhaseTransitionRecord {
            ordinal: 1,
            from: Failed,
            to: Queued,
            at: 12,
            attempt: 2,
            note: Some("note".into())
        }
    );
}

/// Verifying a tracked plan without phase outcomes derives them from the final statuses;
/// outcomes given by the sidecar win; an untracked plan gets none.
pub fn verify_derives_phase_outcomes_of_a_tracked_plan(store: &dyn CalibrationStore) {
    record(store, &[plan("tracked"), plan("told"), plan("untracked")]);
    for plan_id in ["tracked", "told"] {
        step(store, plan_id, 1, Running, 1);
        step(store, plan_id, 1, Verifying, 2);
        step(store, plan_id, 1, Landed, 3);
        step(store, plan_id, 2, Running, 4);
        step(store, plan_id, 2, Failed, 5);
        step(store, plan_id, 3, Skipped, 6);
    }
    let mut untold = verification(Outcome::Partial, 10);
    untold.phase_outcomes.clear();
    verify(store, "tracked", untold.clone());
    verify(store, "untracked", untold);
    let told = verification(Outcome::Partial, 10);
    verify(store, "told", told.clone());

    let outcomes = |plan_id: &str| store.plan(&id(plan_id)).unwrap().verifications[0].phase_outcomes.clone();
    let expected: std::collections::BTreeMap<String, String> =
        [("schema", "passed"), ("api", "failed"), ("rollout", "skipped")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    assert_eq!(outcomes("tracked"), expected);
    assert_eq!(outcomes("told"), told.phase_outcomes);
    assert!(outcomes("untracked").is_empty());
}
