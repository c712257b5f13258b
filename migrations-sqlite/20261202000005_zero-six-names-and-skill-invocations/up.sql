-- skillnet 0.6's names for the facts 0.6 kept too, so its users' SQL and dashboards keep
-- working on a skillnet database (and on a 0.6 database skillnet adopted):
-- calibration_proposals.trigger_name and .decision, heuristic_thresholds.name.
ALTER TABLE calibration_proposals RENAME COLUMN trigger TO trigger_name;
ALTER TABLE calibration_proposals RENAME COLUMN state TO decision;

-- A threshold 0.6 accepted may name no proposal skillnet knows (a manual override), so
-- proposal_id becomes optional, and updated_by says who set it, as in 0.6 (`proposal:<id>`).
CREATE TABLE heuristic_thresholds_new (
    name TEXT NOT NULL,
    filter_key TEXT NOT NULL,
    filter_tags TEXT NOT NULL CHECK (json_valid(filter_tags)),
    threshold REAL NOT NULL,
    proposal_id INTEGER REFERENCES calibration_proposals (id),
    updated_at INTEGER NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (name, filter_key)
) WITHOUT ROWID;
INSERT INTO heuristic_thresholds_new (name, filter_key, filter_tags, threshold, proposal_id, updated_at, updated_by)
    SELECT trigger, filter_key, filter_tags, threshold, proposal_id, updated_at, 'proposal:' || proposal_id
      FROM heuristic_thresholds;
DROP TABLE heuristic_thresholds;
ALTER TABLE heuristic_thresholds_new RENAME TO heuristic_thresholds;

-- Skill usage, as skillnet 0.6's hooks recorded it (its migration 003), kept for usage reports.
CREATE TABLE skill_invocations (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    skill_name TEXT NOT NULL,
    tool_name TEXT,
    project_dir TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT,
    plan_id TEXT REFERENCES plans (id) ON DELETE SET NULL,
    payload TEXT NOT NULL,
    hook_event TEXT NOT NULL
);
CREATE INDEX skill_invocations_skill_name_idx ON skill_invocations (skill_name);
CREATE INDEX skill_invocations_session_idx ON skill_invocations (session_id);
CREATE INDEX skill_invocations_started_at_idx ON skill_invocations (started_at DESC);
CREATE INDEX skill_invocations_plan_id_idx ON skill_invocations (plan_id);
