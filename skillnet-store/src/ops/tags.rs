//! User tags, and the tag rows every write keeps in step.

use std::collections::HashSet;

use diesel::dsl::exists;
use diesel::prelude::*;
use skillnet_core::tag::is_auto_key;
use skillnet_core::{PlanId, Tag, TagKey, TagSource};

use super::dialect::Conn;
use super::{insert_rows, require_plan, MAX_BINDS};
use crate::error::{Missing, Result, StoreError};
use crate::rows::NewTag;
use crate::schema::tags;

/// Refuses to add (`removing` false) or remove a tag under an auto key.
fn refuse_auto_key(key: &str, removing: bool) -> Result<()> {
    if is_auto_key(key) {
        let refusal = if removing {
            format!("cannot remove derived auto-tag key `{key}`: skillnet maintains it")
        } else {
            format!("tag key `{key}` is maintained by skillnet")
        };
        return Err(StoreError::InvalidInput(format!(
            "{refusal} (auto tags: flavor, worktype, scope, risk, signal, outcome)"
        )));
    }
    Ok(())
}

pub(super) fn add_tags(conn: &mut Conn, id: &PlanId, new_tags: &[Tag]) -> Result<usize> {
    require_plan(conn, id)?;
    let mut added = 0;
    for tag in new_tags {
        refuse_auto_key(tag.key.as_str(), false)?;
        let row = NewTag::from_tag(id.as_str(), tag, TagSource::User);
        let existed: bool =
            diesel::select(exists(tags::table.find((id.as_str(), tag.key.as_str(), tag.value.as_str()))))
                .get_result(conn)?;
        diesel::insert_into(tags::table)
            .values(&row)
            .on_conflict((tags::plan_id, tags::key, tags::value))
            .do_update()
            .set(tags::source.eq(TagSource::User.as_str()))
            .execute(conn)?;
        added += usize::from(!existed);
    }
    Ok(added)
}

pub(super) fn remove_tags(conn: &mut Conn, id: &PlanId, key: &TagKey, value: Option<&str>) -> Result<usize> {
    refuse_auto_key(key.as_str(), true)?;
    require_plan(conn, id)?;
    let matching = tags::table.filter(tags::plan_id.eq(id.as_str())).filter(tags::key.eq(key.as_str()));
    let removed = match value {
        Some(value) => diesel::delete(matching.filter(tags::value.eq(value))).execute(conn)?,
        None => diesel::delete(matching).execute(conn)?,
    };
    if removed == 0 {
        let tag = value.map_or_else(|| key.to_string(), |v| format!("{key}={v}"));
        return Err(StoreError::NotFound(Missing::Tag { plan: id.to_string(), tag }));
    }
    Ok(removed)
}

/// Inserts the tags among `rows` that the plans do not carry yet (a plan's tags are a
/// set; the first source to set a tag keeps it). Only plans in `tagged` can have
/// tags already.
pub(super) fn insert_missing_tags(conn: &mut Conn, mut rows: Vec<NewTag<'_>>, tagged: &[&str]) -> Result<()> {
    let mut present: HashSet<(String, String, String)> = HashSet::new();
    for chunk in tagged.chunks(MAX_BINDS) {
        present.extend(
            tags::table
                .filter(tags::plan_id.eq_any(chunk))
                .select((tags::plan_id, tags::key, tags::value))
                .load::<(String, String, String)>(conn)?,
        );
    }
    rows.retain(|r| present.insert((r.plan_id.to_owned(), r.key.clone(), r.value.clone())));
    insert_rows(conn, &rows)?;
    Ok(())
}
