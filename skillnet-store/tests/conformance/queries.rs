//! `query_plans`: tag filters, verified/unverified, limit, ordering and the summary fields.

use skillnet_core::Outcome;
use skillnet_store::{CalibrationStore, PlanQuery, StoreError};

use crate::fixtures::*;

fn ids(store: &dyn CalibrationStore, query: &PlanQuery) -> Vec<String> {
    store.query_plans(query).unwrap().into_iter().map(|s| s.plan.id.to_string()).collect()
}

fn tagged(tags: &[(&str, &str)]) -> PlanQuery {
    PlanQuery { tags: tags.iter().map(|(k, v)| tag(k, v)).collect(), ..PlanQuery::default() }
}

pub fn query_orders_newest_created_first_then_by_id(store: &dyn CalibrationStore) {
    // Recorded in an order that matches neither the expected order nor its reverse.
    record(
        store,
        &[plan_at("m", 200), plan_at("b", 300), plan_at("z", 100), plan_at("a", 300), plan_at("c", 200)],
    );
    assert_eq!(ids(store, &PlanQuery::default()), ["a", "b", "c", "m", "z"]);
    let limited = PlanQuery { limit: Some(3), ..PlanQuery::default() };
    assert_eq!(ids(store, &limited), ["a", "b", "c"]);
    let one = PlanQuery { limit: Some(1), ..PlanQuery::default() };
    assert_eq!(ids(store, &one), ["a"]);
    let more = PlanQuery { limit: Some(50), ..PlanQuery::default() };
    assert_eq!(ids(store, &more).len(), 5);
}

pub fn query_of_an_empty_store_is_empty(store: &dyn CalibrationStore) {
    assert!(store.query_plans(&PlanQuery::default()).unwrap().is_empty());
    assert!(store.query_plans(&tagged(&[("team", "infra")])).unwrap().is_empty());
}

pub fn query_requires_every_tag(store: &dyn CalibrationStore) {
    let mut claude = plan_at("claude", 2);
    claude.plan.flavor = "claude".into();
    let mut other_team = plan_at("other-team", 3);
    other_team.tags = vec![tag("team", "web")];
    record(store, &[plan_at("codex", 1), claude, other_team]);

    assert_eq!(ids(store, &tagged(&[("team", "infra")])), ["claude", "codex"]);
    assert_eq!(ids(store, &tagged(&[("flavor", "codex")])), ["other-team", "codex"]);
    assert_eq!(ids(store, &tagged(&[("team", "infra"), ("flavor", "codex")])), ["codex"]);
    assert!(ids(store, &tagged(&[("team", "web"), ("flavor", "claude")])).is_empty());
    assert!(ids(store, &tagged(&[("team", "nobody")])).is_empty());
    // Tag filters and limit together: the limit applies to the matching plans.
    let query = PlanQuery { limit: Some(1), ..tagged(&[("team", "infra")]) };
    assert_eq!(ids(store, &query), ["claude"]);
}

pub fn query_matches_any_value_of_a_repeated_key(store: &dyn CalibrationStore) {
    let mut both = plan_at("both", 2);
    both.tags = vec![tag("team", "infra"), tag("team", "web")];
    let mut web = plan_at("web", 1);
    web.tags = vec![tag("team", "web")];
    record(store, &[both, web, plan_at("infra", 3)]);
    store.add_tags(&id("infra"), &[tag("team", "data")]).unwrap();

    assert_eq!(ids(store, &tagged(&[("team", "infra")])), ["infra", "both"]);
    assert_eq!(ids(store, &tagged(&[("team", "web")])), ["both", "web"]);
    assert_eq!(ids(store, &tagged(&[("team", "data")])), ["infra"]);
    assert_eq!(ids(store, &tagged(&[("team", "infra"), ("team", "web")])), ["both"]);
    assert!(ids(store, &tagged(&[("team", "data"), ("team", "web")])).is_empty());
}

pub fn query_filters_verified_and_unverified(store: &dyn CalibrationStore) {
    record(store, &[plan_at("v1", 1), plan_at("u1", 2), plan_at("v2", 3), plan_at("u2", 4)]);
    verify(store, "v1", verification(Outcome::Shipped, CREATED));
    verify(store, "v2", verification(Outcome::Abandoned, CREATED));
    verify(store, "v2", verification(Outcome::Partial, CREATED + 1));

    let verified = PlanQuery { verified: Some(true), ..PlanQuery::default() };
    assert_eq!(ids(store, &verified), ["v2", "v1"]);
    let unverified = PlanQuery { verified: Some(false), ..PlanQuery::default() };
    assert_eq!(ids(store, &unverified), ["u2", "u1"]);
    assert_eq!(ids(store, &PlanQuery::default()), ["u2", "v2", "u1", "v1"]);
    let verified_partial = PlanQuery { verified: Some(true), ..tagged(&[("outcome", "partial")]) };
    assert_eq!(ids(store, &verified_partial), ["v2"]);
    // The outcome tag follows the newest verification only.
    assert!(ids(store, &tagged(&[("outcome", "abandoned")])).is_empty());
}

pub fn query_summaries_carry_the_listing_fields(store: &dyn CalibrationStore) {
    record(store, &[plan_at("full", 2), bare_plan("bare")]);
    verify(store, "full", verification(Outcome::Abandoned, CREATED));
    verify(store, "full", verification(Outcome::Shipped, CREATED + 1));
    store.add_tags(&id("full"), &[tag("owner", "alice")]).unwrap();
    let summaries = store.query_plans(&PlanQuery::default()).unwrap();
    assert_eq!(summaries.len(), 2);
    let bare = &summaries[0];
    assert_eq!(bare.plan, store.plan(&id("bare")).unwrap().plan, "every field of the plan");
    assert_eq!(bare.plan.name, "plan bare");
    assert_eq!((bare.plan.phase_count, bare.verifications, bare.outcome), (0, 0, None));
    let full = &summaries[1];
    let details = store.plan(&id("full")).unwrap();
    assert_eq!(full.plan, details.plan);
    assert_eq!(full.plan.created_at, 2);
    assert_eq!((full.plan.phase_count, full.verifications, full.outcome), (3, 2, Some(Outcome::Shipped)));
    assert_eq!(full.tags, details.tags, "auto, sidecar and user tags, in key and value order");
    assert!(full.tags.iter().any(|t| t.key.as_str() == "owner" && t.value == "alice"));
    assert!(full.tags.windows(2).all(|w| (&w[0].key, &w[0].value) <= (&w[1].key, &w[1].value)));
}

/// A limit of zero lists nothing; a negative limit means the same on every backend: refused as
/// invalid input, or no limit at all (SQLite's reading), never a backend error on one of them.
pub fn query_limits_at_the_edges(store: &dyn CalibrationStore) {
    record(store, &[plan_at("a", 1), plan_at("b", 2)]);
    let zero = PlanQuery { limit: Some(0), ..PlanQuery::default() };
    assert!(ids(store, &zero).is_empty());
    let negative = PlanQuery { limit: Some(-1), ..PlanQuery::default() };
    match store.query_plans(&negative) {
        Ok(all) => assert_eq!(all.len(), 2),
        Err(StoreError::InvalidInput(_)) => {}
        Err(other) => panic!("expected every plan or InvalidInput, got {other:?}"),
    }
}

/// skillnet 0.6's `query --trigger T [--fired|--missed]`.
pub fn query_filters_by_trigger_and_whether_it_fired(store: &dyn CalibrationStore) {
    let fired = plan_at("fired", 3);
    let mut missed = plan_at("missed", 2);
    missed.triggers[0].input_value = 1.0;
    missed.triggers[0].fired = false;
    missed.triggers[0].section_added = None;
    let mut without = bare_plan("without");
    without.plan.created_at = 1;
    record(store, &[fired.clone(), missed, without]);
    let name = fired.triggers[0].name.clone();
    let by = |fired: Option<bool>| PlanQuery { trigger: Some(name.clone()), fired, ..PlanQuery::default() };
    assert_eq!(ids(store, &by(None)), ["fired", "missed"]);
    assert_eq!(ids(store, &by(Some(true))), ["fired"]);
    assert_eq!(ids(store, &by(Some(false))), ["missed"]);
    let unknown = PlanQuery { trigger: Some("no-such-trigger".into()), ..PlanQuery::default() };
    assert!(ids(store, &unknown).is_empty());
    let alone = PlanQuery { fired: Some(true), ..PlanQuery::default() };
    assert!(matches!(store.query_plans(&alone), Err(skillnet_store::StoreError::InvalidInput(_))));
}
