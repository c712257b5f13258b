//! Adopting a skillnet 0.6 database in place: its tables are set aside, skillnet's schema is
//! created, every row is carried over (with what skillnet derives from it: trigger classes,
//! shape signatures), and the set-aside tables are dropped, all in the caller's one transaction
//! and under its migration lock, so a crash leaves the 0.6 database untouched or adopted, never
//! a mix.
//!
//! What changes on the way: 0.6's `schema_versions` table is dropped (a 0.6 binary then finds no
//! schema it believes it can use, tries to create its own and fails on the existing tables,
//! writing nothing); a tag's source is `auto` for the auto keys and `user` otherwise (0.6 kept
//! no source: `user` keeps it across re-records); a decided proposal's single 0.6 rationale is
//! its decision's rationale, a pending one's is its own; 0.6's `filter_tags` map becomes a list;
//! a plan's `recorded_at` is its `created_at` (0.6 kept no record time); the thresholds 0.6
//! seeded (`updated_by = 'seed'`) are dropped, the ones it accepted are kept with their
//! provenance; a phase repeating an ordinal of its plan (0.6 accepted such sidecars; phase
//! tracking needs one phase per ordinal) is left out, the first one kept, rather than making the
//! whole history impossible to adopt; and what 0.6 stored as it was written that skillnet does
//! not allow (an outcome, a tag key) is read as what it means ([`super::readings`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use skillnet_core::analysis::{ProposalAction, TriggerReport, Verdict, DEFAULT_MIN_N};
use skillnet_core::catalog;
use skillnet_core::proposal::ProposalState;
use skillnet_core::tag::AUTO_TAG_KEYS;
use skillnet_core::threshold::filter_identity;
use skillnet_core::Tag;

use super::classify::classify_all;
use super::dialect::{self, Conn, ZERO_SIX};
use super::insert_rows;
use super::maintenance::{apply_pending_migrations, sign_all};
use super::readings;
use crate::error::{Result, StoreError};
use crate::json::Json;
use crate::rows::{parse_stored, NewProposal, NewThreshold};
use crate::store::{Proposal, ProposalEvidence, Reading};

/// The tables skillnet 0.6's three migrations create.
const ZERO_SIX_TABLES: [&str; 9] = [
    "schema_versions",
    "plans",
    "triggers",
    "phases",
    "verifications",
    "tags",
    "calibration_proposals",
    "heuristic_thresholds",
    "skill_invocations",
];

/// The schema versions skillnet 0.6 knows.
const ZERO_SIX_VERSIONS: [i64; 3] = [1, 2, 3];

/// What a database holds before skillnet migrates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// No tables: a new database.
    Empty,
    /// skillnet's own (it has skillnet's migration bookkeeping).
    Skillnet,
    /// A skillnet 0.6 database, with its tables.
    ZeroSix { tables: Vec<String> },
    /// Something else: these tables.
    Other { tables: Vec<String> },
}

/// Says what the database on `conn` holds.
pub(crate) fn inspect(conn: &mut Conn) -> Result<Found> {
    let tables = dialect::table_names(conn)?;
    if tables.is_empty() {
        return Ok(Found::Empty);
    }
    if tables.iter().any(|t| t == "__diesel_schema_migrations") {
        return Ok(Found::Skillnet);
    }
    let zero_six_tables = tables.iter().all(|t| ZERO_SIX_TABLES.contains(&t.as_str()));
    if zero_six_tables && tables.iter().any(|t| t == "schema_versions") && tables.iter().any(|t| t == "plans")
    {
        let versions: Vec<i64> =
            diesel::sql_query("SELECT CAST(version AS BIGINT) AS n FROM schema_versions ORDER BY version")
                .load::<Number>(conn)?
                .into_iter()
                .map(|v| v.n)
                .collect();
        if versions.first() == Some(&1) && versions.iter().all(|v| ZERO_SIX_VERSIONS.contains(v)) {
            return Ok(Found::ZeroSix { tables });
        }
    }
    Ok(Found::Other { tables })
}

/// When the database on `conn` is a skillnet 0.6 one, how many plans it holds.
pub(crate) fn pending_adoption(conn: &mut Conn) -> Result<Option<i64>> {
    match inspect(conn)? {
        Found::ZeroSix { .. } => Ok(Some(zero_six_plans(conn)?)),
        _ => Ok(None),
    }
}

/// How many plans the 0.6 database on `conn` holds (before adoption).
pub(crate) fn zero_six_plans(conn: &mut Conn) -> Result<i64> {
    Ok(diesel::sql_query("SELECT count(*) AS n FROM plans").get_result::<Number>(conn)?.n)
}

/// The refusal of a database that is neither empty, skillnet's nor skillnet 0.6's.
pub(crate) fn refuse_other(tables: &[String]) -> StoreError {
    StoreError::unusable(format!(
        "the database holds tables skillnet does not know ({}): it is neither empty, a skillnet \
         database nor a skillnet 0.6 one, so skillnet leaves it untouched; point skillnet at another \
         database",
        tables.join(", ")
    ))
}

/// What adopting a 0.6 database did.
pub(crate) struct Adopted {
    /// The plans adopted.
    pub plans: i64,
    /// The versions of skillnet's migrations applied.
    pub applied: Vec<String>,
    /// The values 0.6 kept that skillnet does not allow, and what they were read as.
    pub readings: Vec<Reading>,
}

/// Adopts the 0.6 database on `conn`, which holds `tables`, inside the caller's transaction and
/// lock.
pub(crate) fn adopt(conn: &mut Conn, tables: &[String]) -> Result<Adopted> {
    let plans = zero_six_plans(conn)?;
    let has = |table: &str| tables.iter().any(|t| t == table);
    dialect::set_aside(conn, tables)?;
    let readings = readings::readings(conn)?;
    let applied = apply_pending_migrations(conn)?;
    let tag_source = AUTO_TAG_KEYS.map(|k| format!("'{k}'")).join(", ");
    let plan_id = |column: &str| readings::plan_id(column, &readings);
    let mut copies = vec![
        format!(
            "INSERT INTO plans (id, name, path, flavor, worktype, created_at, recorded_at, phase_count, \
             wave_count, max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons) \
             SELECT {}, name, path, flavor, worktype, created_at, created_at, phase_count, wave_count, \
             max_chain_depth, repo_spread, routing_dist, shape_hash, capture_reasons FROM {ZERO_SIX}plans",
            plan_id("id")
        ),
        format!(
            "INSERT INTO phases (id, plan_id, ordinal, slug, routing_tier, files) \
             SELECT id, {}, ordinal, slug, routing_tier, files FROM {ZERO_SIX}phases WHERE true ORDER BY id \
             ON CONFLICT (plan_id, ordinal) DO NOTHING",
            plan_id("plan_id")
        ),
        format!(
            "INSERT INTO triggers (id, plan_id, name, input_value, threshold, fired, section_added, \
             plan_flavor, plan_worktype) \
             SELECT t.id, {}, t.name, t.input_value, t.threshold, t.fired, t.section_added, p.flavor, \
             p.worktype FROM {ZERO_SIX}triggers t JOIN {ZERO_SIX}plans p ON p.id = t.plan_id ORDER BY t.id",
            plan_id("t.plan_id")
        ),
        format!(
            "INSERT INTO verifications (id, plan_id, verified_at, elapsed_seconds, outcome, phase_outcomes, \
             emergency_changes, surprises) \
             SELECT id, {}, verified_at, {}, {}, phase_outcomes, emergency_changes, \
             surprises FROM {ZERO_SIX}verifications ORDER BY id",
            plan_id("plan_id"),
            readings::elapsed_seconds(),
            readings::outcome(&readings)
        ),
        format!(
            "INSERT INTO tags (plan_id, key, value, source) \
             SELECT {}, {}, value, CASE WHEN key IN ({tag_source}) THEN 'auto' ELSE 'user' END \
             FROM {ZERO_SIX}tags WHERE value <> '' ON CONFLICT (plan_id, key, value) DO NOTHING",
            plan_id("plan_id"),
            readings::tag_key(&readings)
        ),
    ];
    if has("skill_invocations") {
        copies.push(format!(
            "INSERT INTO skill_invocations (id, session_id, skill_name, tool_name, project_dir, started_at, \
             ended_at, outcome, plan_id, payload, hook_event) \
             SELECT id, session_id, skill_name, tool_name, project_dir, started_at, ended_at, outcome, \
             {}, payload, hook_event FROM {ZERO_SIX}skill_invocations ORDER BY id",
            plan_id("plan_id")
        ));
        copies.push(format!(
            "UPDATE skill_invocations SET canonical_skill_name = {}",
            dialect::canonical_skill_name("skill_name")
        ));
    }
    for sql in copies {
        diesel::sql_query(sql).execute(conn)?;
    }
    let proposal_ids = adopt_proposals(conn, &readings::plan_ids_read(&readings))?;
    if has("heuristic_thresholds") {
        adopt_thresholds(conn, &proposal_ids)?;
    }
    classify_all(conn)?;
    sign_all(conn)?;
    dialect::sync_id_sequences(conn)?;
    dialect::drop_set_aside(conn, tables)?;
    Ok(Adopted { plans, applied, readings })
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A 0.6 proposal row.
#[derive(QueryableByName)]
struct ZeroSixProposal {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    proposed_at: i64,
    #[diesel(sql_type = Text)]
    trigger_name: String,
    #[diesel(sql_type = Double)]
    current_threshold: f64,
    #[diesel(sql_type = Double)]
    proposed_threshold: f64,
    #[diesel(sql_type = Text)]
    supporting_plan_ids: String,
    #[diesel(sql_type = Double)]
    fire_rate: f64,
    #[diesel(sql_type = Double)]
    signal_rate: f64,
    #[diesel(sql_type = Nullable<Text>)]
    filter_tags: Option<String>,
    #[diesel(sql_type = Text)]
    decision: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    decided_at: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    rationale: Option<String>,
}

/// Carries 0.6's proposals over with their ids, the plan ids they name read as `plan_ids`
/// says; returns the ids.
fn adopt_proposals(conn: &mut Conn, plan_ids: &HashMap<&str, &str>) -> Result<HashSet<i64>> {
    let json = dialect::json_text;
    let rows: Vec<ZeroSixProposal> = diesel::sql_query(format!(
        "SELECT CAST(id AS BIGINT) AS id, CAST(proposed_at AS BIGINT) AS proposed_at, trigger_name, \
         current_threshold, proposed_threshold, {} AS supporting_plan_ids, fire_rate, signal_rate, \
         {} AS filter_tags, decision, CAST(decided_at AS BIGINT) AS decided_at, rationale \
         FROM {ZERO_SIX}calibration_proposals ORDER BY id",
        json("supporting_plan_ids"),
        json("filter_tags"),
    ))
    .load(conn)?;
    let mut proposals = rows.into_iter().map(ZeroSixProposal::into_proposal).collect::<Result<Vec<_>>>()?;
    for id in proposals.iter_mut().flat_map(|p| &mut p.evidence.analysis.supporting_plan_ids) {
        if let Some(read) = plan_ids.get(id.as_str()) {
            *id = (*read).to_owned();
        }
    }
    let new_rows: Vec<NewProposal<'_>> = proposals.iter().map(|p| NewProposal::new(p, true)).collect();
    insert_rows(conn, &new_rows)?;
    Ok(proposals.iter().map(|p| p.id).collect())
}

impl ZeroSixProposal {
    fn into_proposal(self) -> Result<Proposal> {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            StoreError::Migration(format!("skillnet 0.6 proposal {}: {what}: {e}", self.id))
        };
        let supporting_plan_ids: Vec<String> =
            serde_json::from_str(&self.supporting_plan_ids).map_err(|e| bad("supporting_plan_ids", &e))?;
        let filter_map: BTreeMap<String, String> = match self.filter_tags.as_deref() {
            None | Some("null") => BTreeMap::new(),
            Some(text) => serde_json::from_str(text).map_err(|e| bad("filter_tags", &e))?,
        };
        let filter_tags = filter_map
            .iter()
            .map(|(k, v)| format!("{k}={v}").parse::<Tag>().map_err(|e| bad("filter_tags", &e)))
            .collect::<Result<Vec<_>>>()?;
        let state: ProposalState = parse_stored(&self.decision)?;
        let action = if self.proposed_threshold < self.current_threshold {
            ProposalAction::LowerThreshold
        } else {
            ProposalAction::RaiseThreshold
        };
        let (rationale, decision_rationale) = match state {
            ProposalState::Pending => (self.rationale.unwrap_or_default(), None),
            _ => (String::new(), self.rationale),
        };
        let analysis = TriggerReport {
            trigger: self.trigger_name.clone(),
            fires: 0,
            misses: 0,
            fire_rate: self.fire_rate,
            signal_rate: Some(self.signal_rate),
            verdict: match action {
                ProposalAction::LowerThreshold => Verdict::Lower,
                ProposalAction::RaiseThreshold => Verdict::Raise,
            },
            proposed_threshold: Some(self.proposed_threshold),
            default_threshold: catalog::heuristic(&self.trigger_name).map(|h| h.default_threshold),
            current_threshold: Some(self.current_threshold),
            threshold_source: None,
            true_positives: 0,
            false_positives: 0,
            false_negatives: 0,
            true_negatives: 0,
            supporting_plan_ids,
        };
        Ok(Proposal {
            id: self.id,
            trigger: self.trigger_name,
            action,
            current_threshold: self.current_threshold,
            proposed_threshold: self.proposed_threshold,
            filter_tags,
            evidence: ProposalEvidence { min_n: DEFAULT_MIN_N, analysis },
            rationale,
            state,
            proposed_at: self.proposed_at,
            decided_at: self.decided_at,
            decision_rationale,
            superseded_by: None,
        })
    }
}

/// A 0.6 threshold row.
#[derive(QueryableByName)]
struct ZeroSixThreshold {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Double)]
    threshold: f64,
    #[diesel(sql_type = BigInt)]
    updated_at: i64,
    #[diesel(sql_type = Nullable<Text>)]
    updated_by: Option<String>,
}

/// Carries over the thresholds 0.6 accepted (not the defaults it seeded), overall (0.6 had no
/// thresholds under filter tags), each tied to its proposal when it names one that exists.
fn adopt_thresholds(conn: &mut Conn, proposal_ids: &HashSet<i64>) -> Result<()> {
    let rows: Vec<ZeroSixThreshold> = diesel::sql_query(format!(
        "SELECT name, threshold, {} AS updated_at, updated_by FROM {ZERO_SIX}heuristic_thresholds \
         WHERE updated_by IS NULL OR updated_by <> 'seed' ORDER BY name",
        dialect::unix_seconds("updated_at"),
    ))
    .load(conn)?;
    let no_filter: Vec<Tag> = Vec::new();
    for row in &rows {
        let proposal_id = row
            .updated_by
            .as_deref()
            .and_then(|by| by.strip_prefix("proposal:"))
            .and_then(|id| id.trim().parse::<i64>().ok())
            .filter(|id| proposal_ids.contains(id));
        let new = NewThreshold {
            trigger: &row.name,
            filter_key: filter_identity(&no_filter),
            filter_tags: Json(&no_filter),
            threshold: row.threshold,
            proposal_id,
            updated_at: row.updated_at,
            updated_by: row.updated_by.clone(),
        };
        diesel::insert_into(crate::schema::heuristic_thresholds::table).values(&new).execute(conn)?;
    }
    Ok(())
}
