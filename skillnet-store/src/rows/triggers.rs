//! `triggers`: each heuristic's verdict on a plan, and its class once verified.

use diesel::prelude::*;
use skillnet_core::analysis::Verified;
use skillnet_core::{Plan, Trigger};

use crate::schema::triggers;

#[derive(Debug, Insertable)]
#[diesel(table_name = triggers, treat_none_as_default_value = false)]
pub(crate) struct NewTrigger<'a> {
    pub plan_id: &'a str,
    pub name: &'a str,
    pub input_value: f64,
    pub threshold: f64,
    pub fired: bool,
    pub section_added: Option<&'a str>,
    pub plan_flavor: &'a str,
    pub plan_worktype: Option<&'a str>,
    pub class: Option<&'static str>,
}

impl<'a> NewTrigger<'a> {
    /// A trigger row of `plan`, not classified yet: the store classifies the rows of verified
    /// plans once the plan's verifications are in (`classify_plans`).
    pub fn new(plan: &'a Plan, t: &'a Trigger) -> Self {
        Self {
            plan_id: plan.id.as_str(),
            name: &t.name,
            input_value: t.input_value,
            threshold: t.threshold,
            fired: t.fired,
            section_added: t.section_added.as_deref(),
            plan_flavor: &plan.flavor,
            plan_worktype: plan.worktype.as_deref(),
            class: None,
        }
    }

    /// A trigger row of `plan` classified under the plan's newest verification, if any: for
    /// rows written together with their plan's verifications.
    pub fn classified(plan: &'a Plan, t: &'a Trigger, newest: Option<&Verified>) -> Self {
        let class = newest.map(|v| v.classify(&t.name, t.fired, t.section_added.as_deref()).as_str());
        Self { class, ..Self::new(plan, t) }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
#[diesel(table_name = triggers)]
pub(crate) struct TriggerRow {
    pub plan_id: String,
    pub name: String,
    pub input_value: f64,
    pub threshold: f64,
    pub fired: bool,
    pub section_added: Option<String>,
}

impl TriggerRow {
    pub fn into_trigger(self) -> Trigger {
        Trigger {
            name: self.name,
            input_value: self.input_value,
            threshold: self.threshold,
            fired: self.fired,
            section_added: self.section_added,
        }
    }
}
