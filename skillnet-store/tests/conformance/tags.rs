//! `add_tags` and `remove_tags`: user tags, protected auto keys, and what is not there.

use skillnet_core::{Outcome, TagSource};
use skillnet_store::{CalibrationStore, Missing, StoreError};

use crate::fixtures::*;

pub fn add_tags_adds_user_tags_and_counts_the_new_ones(store: &dyn CalibrationStore) {
    record(store, &[plan("p"), plan("q")]);
    let added = store.add_tags(&id("p"), &[tag("owner", "alice"), tag("owner", "bob"), tag("sprint", "42")]);
    assert_eq!(added.unwrap(), 3);
    // Adding again is not new; a tag the sidecar set becomes the user's (and survives re-record).
    assert_eq!(store.add_tags(&id("p"), &[tag("owner", "alice"), tag("team", "infra")]).unwrap(), 0);
    let details = store.plan(&id("p")).unwrap();
    let user: Vec<String> = details
        .tags
        .iter()
        .filter(|t| t.source == TagSource::User)
        .map(|t| format!("{}={}", t.key, t.value))
        .collect();
    assert_eq!(user, ["owner=alice", "owner=bob", "sprint=42", "team=infra"]);
    assert!(tag_values(store, "q", "owner").is_empty(), "other plans are untouched");
    assert_eq!(store.add_tags(&id("p"), &[]).unwrap(), 0);
    // A tag named twice in one call is one tag.
    assert_eq!(store.add_tags(&id("q"), &[tag("owner", "carol"), tag("owner", "carol")]).unwrap(), 1);
    assert_eq!(tag_values(store, "q", "owner"), ["carol"]);
}

pub fn add_tags_refuses_auto_keys_and_writes_nothing(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let before = store.plan(&id("p")).unwrap();
    for auto in skillnet_core::tag::AUTO_TAG_KEYS {
        let err = store.add_tags(&id("p"), &[tag("owner", "alice"), tag(auto, "x")]).unwrap_err();
        assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains(auto)), "{auto}: {err:?}");
    }
    assert_eq!(store.plan(&id("p")).unwrap(), before, "not even the valid tag before it");
}

pub fn add_tags_on_an_unknown_plan_is_not_found(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    let before = counts(store);
    let err = store.add_tags(&id("ghost"), &[tag("owner", "alice")]).unwrap_err();
    assert!(matches!(&err, StoreError::NotFound(Missing::Plan { id, .. }) if id == "ghost"), "{err:?}");
    assert_eq!(counts(store), before);
}

pub fn remove_tags_by_key_and_value(store: &dyn CalibrationStore) {
    record(store, &[plan("p"), plan("q")]);
    store.add_tags(&id("p"), &[tag("owner", "alice"), tag("owner", "bob"), tag("sprint", "42")]).unwrap();
    store.add_tags(&id("q"), &[tag("owner", "alice")]).unwrap();

    assert_eq!(store.remove_tags(&id("p"), &key("owner"), Some("alice")).unwrap(), 1);
    assert_eq!(tag_values(store, "p", "owner"), ["bob"]);
    assert_eq!(store.remove_tags(&id("p"), &key("sprint"), None).unwrap(), 1);
    // Without a value every value of the key goes, sidecar tags included.
    store.add_tags(&id("p"), &[tag("team", "web")]).unwrap();
    assert_eq!(store.remove_tags(&id("p"), &key("team"), None).unwrap(), 2);
    assert!(tag_values(store, "p", "team").is_empty());
    assert_eq!(tag_values(store, "q", "owner"), ["alice"], "other plans are untouched");
    assert_eq!(tag_values(store, "q", "team"), ["infra"]);
}

pub fn remove_tags_refuses_auto_keys_and_missing_tags(store: &dyn CalibrationStore) {
    record(store, &[plan("p")]);
    verify(store, "p", verification(Outcome::Shipped, CREATED));
    let before = store.plan(&id("p")).unwrap();
    for auto in skillnet_core::tag::AUTO_TAG_KEYS {
        for value in [None, Some("codex"), Some("shipped")] {
            let err = store.remove_tags(&id("p"), &key(auto), value).unwrap_err();
            assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains(auto)), "{auto}: {err:?}");
        }
    }
    // A missing tag and a missing plan are told apart by what is missing, not by the wording.
    let missing = |plan: &str, k: &str, value: Option<&str>| {
        store.remove_tags(&id(plan), &key(k), value).unwrap_err().missing().cloned()
    };
    let tag_of_p = |tag: &str| Some(Missing::Tag { plan: "p".into(), tag: tag.into() });
    assert_eq!(missing("p", "owner", None), tag_of_p("owner"));
    assert_eq!(missing("p", "team", Some("web")), tag_of_p("team=web"));
    assert_eq!(missing("ghost", "team", None), Some(Missing::Plan { id: "ghost".into(), hint: None }));
    let err = store.remove_tags(&id("p"), &key("team"), Some("web")).unwrap_err();
    assert_eq!(err.to_string(), "tag `team=web` on plan `p` not found");
    assert_eq!(store.plan(&id("p")).unwrap(), before);
}

/// Auto tags are skillnet's: a sidecar `tags` entry under an auto key must not make a plan carry
/// an `outcome` (or `flavor`, ...) that contradicts its data. Either `record_plans` refuses it
/// (`InvalidInput`, nothing written) or the auto value is the only one that remains.
pub fn sidecar_tags_cannot_override_auto_tags(store: &dyn CalibrationStore) {
    let mut record = plan("p");
    record.tags.push(tag("outcome", "shipped"));
    record.tags.push(tag("flavor", "claude"));
    match store.record_plans(&[record], RECORDED) {
        Err(StoreError::InvalidInput(_)) => {
            assert_eq!(counts(store).plans, 0);
            return;
        }
        Err(other) => panic!("expected InvalidInput or success, got {other:?}"),
        Ok(_) => {}
    }
    assert_eq!(tag_values(store, "p", "flavor"), ["codex"]);
    assert!(tag_values(store, "p", "outcome").is_empty(), "the plan was never verified");
    verify(store, "p", verification(Outcome::Abandoned, CREATED));
    assert_eq!(tag_values(store, "p", "outcome"), ["abandoned"]);
}
