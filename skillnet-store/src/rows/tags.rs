//! `tags`: a plan's key=value tags and where each came from.

use diesel::prelude::*;
use skillnet_core::{Tag, TagSource};

use crate::schema::tags;

#[derive(Debug, Insertable)]
#[diesel(table_name = tags, treat_none_as_default_value = false)]
pub(crate) struct NewTag<'a> {
    pub plan_id: &'a str,
    pub key: String,
    pub value: String,
    pub source: &'static str,
}

impl<'a> NewTag<'a> {
    pub fn new(
        plan_id: &'a str,
        key: impl Into<String>,
        value: impl Into<String>,
        source: TagSource,
    ) -> Self {
        Self { plan_id, key: key.into(), value: value.into(), source: source.as_str() }
    }

    pub fn from_tag(plan_id: &'a str, tag: &Tag, source: TagSource) -> Self {
        Self::new(plan_id, tag.key.as_str(), tag.value.as_str(), source)
    }
}

#[derive(Debug, Queryable, Selectable)]
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
#[diesel(table_name = tags)]
pub(crate) struct TagRow {
    pub plan_id: String,
    pub key: String,
    pub value: String,
    pub source: String,
}
