//! Phase tracking: moving one phase through its state machine.

use diesel::prelude::*;
use skillnet_core::phase_status::PhaseStatus;
use skillnet_core::PlanId;

use super::dialect::Conn;
use super::require_plan;
use crate::error::{Missing, Result, StoreError};
use crate::rows::{parse_stored, NewPhaseTransition};
use crate::schema::{phase_transitions, phases};
use crate::store::{PhaseMove, PhaseRef, PhaseTransitionRecord};

pub(super) fn move_phase(
    conn: &mut Conn,
    id: &PlanId,
    phase: &PhaseRef,
    to: PhaseStatus,
    at: i64,
    note: Option<&str>,
) -> Result<PhaseMove> {
    let of_plan = phases::table.filter(phases::plan_id.eq(id.as_str()));
    let columns = (phases::ordinal, phases::slug, phases::status, phases::attempt);
    let found: Vec<(i64, String, String, i64)> = match phase {
        PhaseRef::Ordinal(n) => of_plan.filter(phases::ordinal.eq(*n)).select(columns).load(conn)?,
        PhaseRef::Slug(slug) => {
            of_plan.filter(phases::slug.eq(slug)).order(phases::ordinal).select(columns).load(conn)?
        }
    };
    let (ordinal, slug, status, attempt) = match found.len() {
        1 => found.into_iter().next().expect("one row"),
        0 => {
            require_plan(conn, id)?;
            return Err(StoreError::NotFound(Missing::Phase {
                plan: id.to_string(),
                phase: phase.to_string(),
            }));
        }
        n => {
            return Err(StoreError::InvalidInput(format!(
                "{n} phases of plan `{id}` have the slug `{phase}`; name the phase by its ordinal"
            )))
        }
    };
    let from: PhaseStatus = parse_stored(&status)?;
    let step = from.transition(to)?;
    let attempt = if step.starts_attempt { attempt + 1 } else { attempt };
    // Compare-and-set: only if nobody moved the phase since we read it.
    let changed = diesel::update(
        phases::table
            .filter(phases::plan_id.eq(id.as_str()))
            .filter(phases::ordinal.eq(ordinal))
            .filter(phases::status.eq(from.as_str())),
    )
    .set((phases::status.eq(to.as_str()), phases::attempt.eq(attempt)))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::Conflict(format!(
            "phase `{slug}` of plan `{id}` was moved by another writer meanwhile; \
             look at its status and try again"
        )));
    }
    let record = PhaseTransitionRecord { ordinal, from, to, at, attempt, note: note.map(str::to_owned) };
    diesel::insert_into(phase_transitions::table)
        .values(NewPhaseTransition::from_record(id.as_str(), &record))
        .execute(conn)?;
    Ok(PhaseMove { ordinal, slug, from, to, attempt })
}
