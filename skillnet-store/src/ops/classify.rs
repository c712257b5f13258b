//! Trigger classes: each recorded trigger judged against its plan's newest verification.

use std::collections::{BTreeMap, HashMap};

use diesel::dsl::max;
use diesel::prelude::*;
use skillnet_core::analysis::{Class, Verified};

use super::dialect::{self, Conn};
use super::{for_each_page_of_plans, MAX_BINDS};
use crate::error::Result;
use crate::rows::VerificationRow;
use crate::schema::{triggers, verifications};

/// A trigger row as classification reads it: id, plan id, name, fired, section added, class.
type TriggerVerdict = (i64, String, String, bool, Option<String>, Option<String>);

/// Classifies every trigger row of the plans `ids` under the plan's newest verification
/// (the rules of `skillnet_core::analysis`), updating the rows whose class changed.
/// Rows of unverified plans keep no class.
pub(super) fn classify_plans(conn: &mut Conn, ids: &[&str]) -> Result<()> {
    for chunk in ids.chunks(MAX_BINDS) {
        let newest: Vec<i64> = verifications::table
            .filter(verifications::plan_id.eq_any(chunk))
            .group_by(verifications::plan_id)
            .select(max(verifications::id))
            .load::<Option<i64>>(conn)?
            .into_iter()
            .flatten()
            .collect();
        if newest.is_empty() {
            continue;
        }
        let mut verified = HashMap::with_capacity(newest.len());
        for row in verifications::table
            .filter(verifications::id.eq_any(&newest))
            .select(VerificationRow::as_select())
            .load(conn)?
        {
            let plan_id = row.plan_id.clone();
            verified.insert(plan_id, Verified::new(&row.into_verification()?));
        }
        let plan_ids: Vec<&str> = verified.keys().map(String::as_str).collect();
        let rows: Vec<TriggerVerdict> = triggers::table
            .filter(triggers::plan_id.eq_any(&plan_ids))
            .select((
                triggers::id,
                triggers::plan_id,
                triggers::name,
                triggers::fired,
                triggers::section_added,
                triggers::class,
            ))
            .load(conn)?;
        let mut changed: BTreeMap<Class, Vec<(String, i64)>> = BTreeMap::new();
        for (id, plan_id, name, fired, section_added, stored) in rows {
            let class = verified[&plan_id].classify(&name, fired, section_added.as_deref());
            if stored.as_deref() != Some(class.as_str()) {
                changed.entry(class).or_default().push((plan_id, id));
            }
        }
        for (class, rows) in changed {
            for rows in rows.chunks(MAX_BINDS / 2) {
                dialect::set_trigger_class(conn, class.as_str(), rows)?;
            }
        }
    }
    Ok(())
}

/// Classifies the trigger rows of every plan (after the migration that added classes).
pub(super) fn classify_all(conn: &mut Conn) -> Result<()> {
    for_each_page_of_plans(conn, |conn, ids| {
        classify_plans(conn, &ids.iter().map(String::as_str).collect::<Vec<_>>())
    })
}
