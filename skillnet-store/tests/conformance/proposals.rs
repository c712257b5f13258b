//! Proposals and thresholds: `propose`, the decision state machine of SPEC §5.1 applied with a
//! compare-and-set, the threshold written in the same transaction, and history round trips.

use std::sync::Barrier;

use skillnet_core::analysis::{ProposalAction, ThresholdSource};
use skillnet_core::proposal::{Decision, ProposalState, TransitionEffect};
use skillnet_core::{Outcome, PlanRecord, Tag, Trigger};
use skillnet_store::{AnalysisQuery, CalibrationStore, HistoryItem, Missing, ProposalRequest, StoreError};

use crate::fixtures::*;
use crate::harness::{fresh_database, Raw};

const CP: &str = "convergence-point";

/// Twelve verified plans where convergence-point fired on ten and helped on all of them, and
/// missed twice (dead-on lower: signal (10 - 0 - 2) / 12 = 2/3, FN 2), all tagged `team=infra`,
/// the first six also `team=web`.
fn lower_history(store: &dyn CalibrationStore) {
    let plans: Vec<PlanRecord> = (0..12)
        .map(|i| {
            let mut p = plan_at(&format!("p{i:02}"), CREATED + i);
            p.triggers = vec![Trigger {
                name: CP.into(),
                input_value: if i < 10 { 4.0 } else { 1.0 },
                threshold: 3.0,
                fired: i < 10,
                section_added: Some("Merge-readiness checklist".into()),
            }];
            p.tags = vec![tag("team", "infra")];
            if i < 6 {
                p.tags.push(tag("team", "web"));
            }
            p
        })
        .collect();
    record(store, &plans);
    for i in 0..12 {
        let mut v = bare_verification(Outcome::Shipped, CREATED + 100);
        if i >= 10 {
            v.surprises = Some(format!("missed-signal: {CP}: merge went badly"));
        }
        verify(store, &format!("p{i:02}"), v);
    }
}

fn request(filter_tags: Vec<Tag>, threshold: Option<f64>) -> ProposalRequest {
    ProposalRequest {
        trigger: CP.into(),
        filter_tags,
        threshold,
        rationale: "misses cost two merges".into(),
        min_n: 10,
        at: CREATED + 200,
        supporting_plan_ids: None,
    }
}

fn analyze(store: &dyn CalibrationStore, filter_tags: Vec<Tag>) -> skillnet_core::analysis::AnalysisReport {
    store
        .analyze(&AnalysisQuery { trigger: None, filter_tags, min_n: 10, analyzed_at: CREATED + 300 })
        .unwrap()
}

pub fn propose_stores_the_analysis_as_evidence(store: &dyn CalibrationStore) {
    lower_history(store);
    let filter = vec![tag("team", "infra"), tag("team", "web"), tag("team", "infra")];
    let p = store.propose(&request(filter, Some(2.0))).unwrap();
    assert_eq!(p.trigger, CP);
    assert_eq!(p.action, ProposalAction::LowerThreshold);
    assert_eq!((p.current_threshold, p.proposed_threshold), (3.0, 2.0));
    // Filter tags are a list of pairs: a repeated key (and even a repeated pair) is kept as given.
    assert_eq!(p.filter_tags, [tag("team", "infra"), tag("team", "web"), tag("team", "infra")]);
    assert_eq!(p.state, ProposalState::Pending);
    assert_eq!((p.proposed_at, p.decided_at, p.decision_rationale.as_deref()), (CREATED + 200, None, None));
    // The evidence is the analysis under the filter: team=infra AND team=web is p00..p05, which
    // all fired and helped: 6 fires < min-n 10, hence the explicit threshold.
    assert_eq!(p.evidence.analysis.fires, 6);
    assert_eq!(p.evidence.analysis.verdict_text(), "n=6 < min-n=10");
    assert_eq!(p.evidence.min_n, 10);
    assert_eq!(store.proposal(p.id).unwrap(), p);
}

pub fn propose_takes_the_one_notch_move_or_an_explicit_threshold(store: &dyn CalibrationStore) {
    lower_history(store);
    let first = store.propose(&request(vec![], None)).unwrap();
    assert_eq!((first.action, first.proposed_threshold), (ProposalAction::LowerThreshold, 2.0));
    assert_eq!(first.evidence.analysis.supporting_plan_ids, ["p10", "p11"]);
    assert_eq!(first.evidence.analysis.signal_rate, Some(8.0 / 12.0));

    let explicit = store.propose(&request(vec![], Some(5.0))).unwrap();
    assert_eq!((explicit.action, explicit.proposed_threshold), (ProposalAction::RaiseThreshold, 5.0));
    assert!(explicit.id > first.id);
    let ids: Vec<i64> = store.proposals(None).unwrap().iter().map(|p| p.id).collect();
    assert_eq!(ids, [first.id, explicit.id]);
}

/// skillnet 0.6's `propose --supporting-plan-ids a,b`: the proposer names the evidence; each
/// plan must be recorded.
pub fn propose_keeps_the_supporting_plans_the_proposer_names(store: &dyn CalibrationStore) {
    lower_history(store);
    let mut named = request(vec![], Some(2.0));
    named.supporting_plan_ids = Some(vec![id("p03"), id("p01")]);
    let p = store.propose(&named).unwrap();
    assert_eq!(p.evidence.analysis.supporting_plan_ids, ["p03", "p01"]);
    assert_eq!(store.proposal(p.id).unwrap(), p);

    named.supporting_plan_ids = Some(vec![id("p01"), id("ghost")]);
    let err = store.propose(&named).unwrap_err();
    assert!(matches!(&err, StoreError::NotFound(Missing::Plan { id, .. }) if id == "ghost"), "{err:?}");
    assert!(err.to_string().ends_with("ghost (named as a supporting plan)"), "{err}");
    assert_eq!(store.proposals(None).unwrap().len(), 1, "nothing written");
}

pub fn bad_proposals_are_refused_and_write_nothing(store: &dyn CalibrationStore) {
    lower_history(store);
    let mut unknown = request(vec![], None);
    unknown.trigger = "no-such-heuristic".into();
    assert!(
        matches!(store.propose(&unknown), Err(StoreError::NotFound(Missing::Trigger { name })) if name == "no-such-heuristic")
    );
    // In the catalog, but no verified plan has it: no evidence.
    let mut absent = request(vec![], Some(2.0));
    absent.trigger = "revendor-phase".into();
    assert!(matches!(store.propose(&absent), Err(StoreError::InvalidInput(_))));
    // Too few fires under the filter and no explicit threshold: nothing to propose.
    let err = store.propose(&request(vec![tag("team", "web")], None)).unwrap_err();
    assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains("n=6 < min-n=10")), "{err}");
    // The current threshold again.
    assert!(matches!(store.propose(&request(vec![], Some(3.0))), Err(StoreError::InvalidInput(_))));
    assert!(matches!(store.propose(&request(vec![], Some(f64::NAN))), Err(StoreError::InvalidInput(_))));
    let mut silent = request(vec![], None);
    silent.rationale = "  ".into();
    assert!(matches!(store.propose(&silent), Err(StoreError::InvalidInput(_))));
    assert_eq!(counts(store).proposals, 0);
}

pub fn accepting_sets_the_threshold_and_supersedes_the_previous_one(store: &dyn CalibrationStore) {
    lower_history(store);
    let first = store.propose(&request(vec![], None)).unwrap();
    let outcome = store.decide(first.id, Decision::Accept, "two misses were enough", CREATED + 400).unwrap();
    assert_eq!(outcome.effect, TransitionEffect::Applied);
    assert_eq!(outcome.superseded, None);
    assert_eq!(outcome.proposal.state, ProposalState::Accepted);
    assert_eq!(outcome.proposal.rationale, "misses cost two merges", "the proposal keeps its rationale");
    assert_eq!(outcome.proposal.decision_rationale.as_deref(), Some("two misses were enough"));
    assert_eq!(outcome.proposal.decided_at, Some(CREATED + 400));

    let thresholds = store.thresholds().unwrap();
    assert_eq!(thresholds.len(), 1);
    assert_eq!((thresholds[0].trigger.as_str(), thresholds[0].threshold), (CP, 2.0));
    assert_eq!((thresholds[0].proposal_id, thresholds[0].updated_at), (Some(first.id), CREATED + 400));
    let cp = analyze(store, vec![]).triggers.into_iter().find(|t| t.trigger == CP).unwrap();
    assert_eq!(cp.current_threshold, Some(2.0));
    assert_eq!(cp.default_threshold, Some(3.0));
    assert_eq!(cp.threshold_source, Some(ThresholdSource::accepted_proposal(first.id, CREATED + 400)));
    assert_eq!(
        cp.verdict_text(),
        "lower threshold (2->1)",
        "the next notch starts from the active threshold"
    );

    // Accepting again changes nothing.
    let again = store.decide(first.id, Decision::Accept, "still", CREATED + 500).unwrap();
    assert_eq!(again.effect, TransitionEffect::NoOp);
    assert_eq!(again.proposal, outcome.proposal);

    // A newer accepted proposal for the same trigger and no filter supersedes the first.
    let second = store.propose(&request(vec![], None)).unwrap();
    assert_eq!((second.current_threshold, second.proposed_threshold), (2.0, 1.0));
    let outcome = store.decide(second.id, Decision::Accept, "one more", CREATED + 600).unwrap();
    assert_eq!(outcome.superseded, Some(first.id));
    let first_now = store.proposal(first.id).unwrap();
    assert_eq!(first_now.state, ProposalState::Superseded);
    assert_eq!(first_now.superseded_by, Some(second.id));
    assert_eq!(first_now.decision_rationale.as_deref(), Some("two misses were enough"));
    assert_eq!(store.thresholds().unwrap()[0].threshold, 1.0);

    // A proposal under filter tags sets a threshold of its own and supersedes nothing outside it;
    // the same tags in another order are the same filter.
    let filtered = store.propose(&request(vec![tag("team", "infra")], Some(2.5))).unwrap();
    assert_eq!(filtered.current_threshold, 1.0, "no threshold of its own yet: the overall one");
    store.decide(filtered.id, Decision::Accept, "infra is different", CREATED + 700).unwrap();
    assert_eq!(store.proposal(second.id).unwrap().state, ProposalState::Accepted);
    let infra = analyze(store, vec![tag("team", "infra")]);
    assert_eq!(infra.triggers[0].current_threshold, Some(2.5));
    assert_eq!(analyze(store, vec![]).triggers[0].current_threshold, Some(1.0));
    let thresholds = store.thresholds().unwrap();
    assert_eq!(thresholds.len(), 2);
    assert!(thresholds[0].filter_tags.is_empty(), "the overall threshold first");
    assert_eq!(thresholds[1].filter_tags, [tag("team", "infra")]);
    assert_eq!(store.proposals(Some(ProposalState::Accepted)).unwrap().len(), 2);
    assert_eq!(store.proposals(Some(ProposalState::Superseded)).unwrap().len(), 1);
}

pub fn every_decision_out_of_a_final_state_is_a_conflict(store: &dyn CalibrationStore) {
    lower_history(store);
    let rejected = store.propose(&request(vec![], None)).unwrap();
    let withdrawn = store.propose(&request(vec![], None)).unwrap();
    let accepted = store.propose(&request(vec![], None)).unwrap();
    store.decide(rejected.id, Decision::Reject, "not yet", CREATED + 400).unwrap();
    store.decide(withdrawn.id, Decision::Withdraw, "wrong filter", CREATED + 400).unwrap();
    store.decide(accepted.id, Decision::Accept, "fine", CREATED + 400).unwrap();
    let before = export_jsonl(store);
    for (p, state) in [(&rejected, "rejected"), (&withdrawn, "withdrawn"), (&accepted, "accepted")] {
        for decision in [Decision::Accept, Decision::Reject, Decision::Withdraw] {
            if state == "accepted" && decision == Decision::Accept {
                continue;
            }
            match store.decide(p.id, decision, "again", CREATED + 500) {
                Err(e @ StoreError::IllegalTransition { .. }) => {
                    assert!(e.to_string().starts_with(&format!("proposal {}: illegal", p.id)), "{e}");
                    let StoreError::IllegalTransition { transition, .. } = e else { unreachable!() };
                    assert_eq!(transition.from, state);
                    assert!(transition.legal.iter().all(|s| s == "superseded"), "{transition:?}");
                }
                other => panic!("{state} -> {decision:?}: {other:?}"),
            }
        }
    }
    assert_eq!(export_jsonl(store), before, "nothing changed");
    assert!(matches!(
        store.decide(999, Decision::Accept, "x", 0),
        Err(StoreError::NotFound(Missing::Proposal { id: 999 }))
    ));
    assert!(matches!(store.decide(rejected.id, Decision::Accept, " ", 0), Err(StoreError::InvalidInput(_))));
}

/// Two writers decide the same pending proposal at once, one accepting and one rejecting:
/// exactly one wins, and the threshold matches the winner.
pub fn racing_decisions_have_one_winner(store: &dyn CalibrationStore) {
    lower_history(store);
    let other = super::harness::reopen(store).unwrap();
    for round in 0..5 {
        let p = store.propose(&request(vec![], Some(10.0 + f64::from(round)))).unwrap();
        let barrier = Barrier::new(2);
        let (accept, reject) = std::thread::scope(|s| {
            let accept = s.spawn(|| {
                barrier.wait();
                store.decide(p.id, Decision::Accept, "accept", CREATED + 400)
            });
            let reject = s.spawn(|| {
                barrier.wait();
                other.decide(p.id, Decision::Reject, "reject", CREATED + 400)
            });
            (accept.join().unwrap(), reject.join().unwrap())
        });
        let winner = match (&accept, &reject) {
            (Ok(_), Err(StoreError::Conflict(_) | StoreError::IllegalTransition { .. })) => {
                ProposalState::Accepted
            }
            (Err(StoreError::Conflict(_) | StoreError::IllegalTransition { .. }), Ok(_)) => {
                ProposalState::Rejected
            }
            other => panic!("round {round}: {other:?}"),
        };
        assert_eq!(store.proposal(p.id).unwrap().state, winner);
        let active = store.thresholds().unwrap().into_iter().find(|t| t.proposal_id == Some(p.id));
        assert_eq!(active.is_some(), winner == ProposalState::Accepted, "round {round}");
    }
}

/// The decision and the threshold are one transaction: when the threshold cannot be written, the
/// proposal stays pending.
pub fn a_failed_threshold_write_leaves_the_proposal_pending(store: &dyn CalibrationStore) {
    lower_history(store);
    let p = store.propose(&request(vec![], None)).unwrap();
    let mut raw = Raw::connect(store);
    match raw.backend() {
        skillnet_store::Backend::Sqlite => raw.execute(
            "CREATE TRIGGER refuse_thresholds BEFORE INSERT ON heuristic_thresholds
             BEGIN SELECT RAISE(ABORT, 'threshold writes refused'); END",
        ),
        skillnet_store::Backend::Postgres => {
            raw.execute(
                "CREATE FUNCTION refuse_thresholds() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN RAISE EXCEPTION 'threshold writes refused'; END $$",
            );
            raw.execute(
                "CREATE TRIGGER refuse_thresholds BEFORE INSERT OR UPDATE ON heuristic_thresholds
                 FOR EACH ROW EXECUTE FUNCTION refuse_thresholds()",
            );
        }
    }
    let err = store.decide(p.id, Decision::Accept, "go", CREATED + 400).unwrap_err();
    assert!(err.to_string().contains("threshold writes refused"), "{err}");
    let after = store.proposal(p.id).unwrap();
    assert_eq!(
        (after.state, after.decided_at, after.decision_rationale),
        (ProposalState::Pending, None, None)
    );
    assert!(store.thresholds().unwrap().is_empty());
}

/// Export and import carry proposals with their ids, states, both rationales and the active
/// thresholds; a proposal made after an import gets a fresh id.
pub fn proposals_and_thresholds_survive_export_and_import(store: &dyn CalibrationStore) {
    lower_history(store);
    let first = store.propose(&request(vec![], None)).unwrap();
    store.decide(first.id, Decision::Accept, "ok", CREATED + 400).unwrap();
    let second = store.propose(&request(vec![tag("team", "web"), tag("team", "infra")], Some(4.0))).unwrap();
    store.decide(second.id, Decision::Reject, "no", CREATED + 450).unwrap();
    let third = store.propose(&request(vec![], None)).unwrap();
    store.decide(third.id, Decision::Accept, "more", CREATED + 500).unwrap();
    let exported = export(store);
    let proposals: Vec<_> = exported.iter().filter(|i| matches!(i, HistoryItem::Proposal(_))).collect();
    assert_eq!(proposals.len(), 3, "after the plans");
    assert!(matches!(exported.last(), Some(HistoryItem::Proposal(p)) if p.id == third.id));

    let copy_db = fresh_database(store);
    let copy = skillnet_store::open(copy_db.url()).unwrap();
    copy.import(&mut stream(&exported)).unwrap();
    assert_eq!(export(&*copy), exported);
    assert_eq!(counts(&*copy), counts(store));
    assert_eq!(copy.thresholds().unwrap(), store.thresholds().unwrap());
    assert_eq!(copy.proposal(first.id).unwrap().superseded_by, Some(third.id));
    let next = copy.propose(&request(vec![], Some(9.0))).unwrap();
    assert!(next.id > third.id, "ids continue after the imported ones: {}", next.id);

    // Importing again into the same store replaces, and duplicates nothing.
    store.import(&mut stream(&exported)).unwrap();
    assert_eq!(export(store), exported);
}
