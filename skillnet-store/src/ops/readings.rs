//! What a skillnet 0.6 database may hold that skillnet does not allow, and what adopting it
//! reads each as. 0.6 stored a sidecar's plan id, verification outcome and tag keys as they
//! were written and checked no elapsed time; skillnet keeps every row, reading such a value as
//! the one it means (core's [`Outcome::from_written`] and [`TagKey::from_written`]; a plan id
//! without the white space around it, `plan-without-id` for an empty one), and leaves out only
//! a tag without a value, which says nothing skillnet can store.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use skillnet_core::tag::TagKey;
use skillnet_core::{Outcome, PlanId};

use super::dialect::{Conn, ZERO_SIX};
use crate::error::Result;
use crate::store::Reading;

/// The fields readings are about, as [`Reading::field`] names them.
const OUTCOME: &str = "outcome";
const ELAPSED: &str = "elapsed_seconds";
const TAG_KEY: &str = "tag key";
const TAG: &str = "tag";
const PLAN_ID: &str = "plan id";

#[derive(QueryableByName)]
struct Written {
    #[diesel(sql_type = Text)]
    written: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The values of the set-aside 0.6 tables that skillnet does not allow, with how many rows hold
/// each and what each reads as: outcomes, negative elapsed times, tag keys, tags without a
/// value, then plan ids, each in byte order.
pub(super) fn readings(conn: &mut Conn) -> Result<Vec<Reading>> {
    let mut load = |sql: String| -> Result<Vec<Written>> {
        let mut rows: Vec<Written> = diesel::sql_query(sql).load(conn)?;
        rows.sort_by(|a, b| a.written.cmp(&b.written));
        Ok(rows)
    };
    let known = Outcome::ALL.map(|o| format!("'{o}'")).join(", ");
    let outcomes = load(format!(
        "SELECT outcome AS written, count(*) AS n FROM {ZERO_SIX}verifications \
         WHERE outcome NOT IN ({known}) GROUP BY outcome"
    ))?;
    let elapsed = load(format!(
        "SELECT CAST(elapsed_seconds AS TEXT) AS written, count(*) AS n FROM {ZERO_SIX}verifications \
         WHERE elapsed_seconds < 0 GROUP BY elapsed_seconds"
    ))?;
    let keys = load(format!("SELECT key AS written, count(*) AS n FROM {ZERO_SIX}tags GROUP BY key"))?;
    let empty = load(format!(
        "SELECT key AS written, count(*) AS n FROM {ZERO_SIX}tags WHERE value = '' GROUP BY key"
    ))?;
    let read = |field: &str, written: String, read_as: Option<String>, rows: i64| Reading {
        field: field.to_owned(),
        written,
        read_as,
        rows,
    };
    let mut readings = Vec::new();
    for w in outcomes {
        let outcome = Outcome::from_written(&w.written).to_string();
        readings.push(read(OUTCOME, w.written, Some(outcome), w.n));
    }
    readings.extend(elapsed.into_iter().map(|w| read(ELAPSED, w.written, Some("null".into()), w.n)));
    for w in keys.into_iter().filter(|w| TagKey::new(w.written.as_str()).is_err()) {
        let key = TagKey::from_written(&w.written).to_string();
        readings.push(read(TAG_KEY, w.written, Some(key), w.n));
    }
    readings.extend(empty.into_iter().map(|w| read(TAG, format!("{}=", w.written), None, w.n)));
    readings.extend(plan_ids(conn)?);
    Ok(readings)
}

/// The set-aside 0.6 plans' ids that [`PlanId`] refuses (empty, or with white space around),
/// each read as [`PlanId::from_written`] says, after `-2`, `-3`, ... when another plan has that
/// id, in byte order.
fn plan_ids(conn: &mut Conn) -> Result<Vec<Reading>> {
    let mut found = vec!["id = ''".to_owned()];
    for edge in [' ', '\t', '\n', '\r'] {
        found.push(format!("id LIKE '{edge}%' OR id LIKE '%{edge}'"));
    }
    let mut refused: Vec<Written> = diesel::sql_query(format!(
        "SELECT id AS written, count(*) AS n FROM {ZERO_SIX}plans WHERE {} GROUP BY id",
        found.join(" OR ")
    ))
    .load(conn)?;
    refused.retain(|w| PlanId::new(w.written.as_str()).is_err());
    refused.sort_by(|a, b| a.written.cmp(&b.written));
    let mut given = BTreeSet::new();
    let mut readings = Vec::new();
    for w in refused {
        let base = PlanId::from_written(&w.written);
        let base = base.as_str();
        let mut id = base.to_owned();
        for n in 2.. {
            let taken: Vec<Written> = diesel::sql_query(format!(
                "SELECT id AS written, count(*) AS n FROM {ZERO_SIX}plans WHERE id = {} GROUP BY id",
                literal(&id)
            ))
            .load(conn)?;
            if taken.is_empty() && !given.contains(&id) {
                break;
            }
            id = format!("{base}-{n}");
        }
        given.insert(id.clone());
        readings.push(Reading {
            field: PLAN_ID.to_owned(),
            written: w.written,
            read_as: Some(id),
            rows: w.n,
        });
    }
    Ok(readings)
}

/// The SQL expression that gives a plan id in `column` of a set-aside table as skillnet reads
/// it.
pub(super) fn plan_id(column: &str, readings: &[Reading]) -> String {
    cases(column, readings, PLAN_ID)
}

/// The plan ids that read as others, each with the id it reads as.
pub(super) fn plan_ids_read(readings: &[Reading]) -> HashMap<&str, &str> {
    let read = readings.iter().filter(|r| r.field == PLAN_ID);
    read.filter_map(|r| Some((r.written.as_str(), r.read_as.as_deref()?))).collect()
}

/// `text` as an SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The SQL expression that gives a set-aside verification's outcome as skillnet reads it.
pub(super) fn outcome(readings: &[Reading]) -> String {
    cases("outcome", readings, OUTCOME)
}

/// The SQL expression that gives a set-aside verification's elapsed time as skillnet reads it.
pub(super) fn elapsed_seconds() -> &'static str {
    "CASE WHEN elapsed_seconds < 0 THEN NULL ELSE elapsed_seconds END"
}

/// The SQL expression that gives a set-aside tag's key as skillnet reads it.
pub(super) fn tag_key(readings: &[Reading]) -> String {
    cases("key", readings, TAG_KEY)
}

/// `column`, or a `CASE` that replaces each value the readings of `field` name with what it
/// reads as.
fn cases(column: &str, readings: &[Reading], field: &str) -> String {
    let cases: Vec<String> = readings
        .iter()
        .filter(|r| r.field == field)
        .filter_map(|r| Some(format!("WHEN {} THEN {}", literal(&r.written), literal(r.read_as.as_deref()?))))
        .collect();
    match cases.is_empty() {
        true => column.to_owned(),
        false => format!("CASE {column} {} ELSE {column} END", cases.join(" ")),
    }
}
