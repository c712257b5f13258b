-- The calibration history: plans, what they own, and how they went.
-- Table names follow skillnet 0.6. Every child table is reachable from its plan id through an
-- index whose first column is plan_id, and is deleted with its plan.

CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
    name TEXT NOT NULL,
    path TEXT,
    flavor TEXT NOT NULL,
    worktype TEXT,
    created_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    phase_count INTEGER NOT NULL CHECK (phase_count >= 0),
    wave_count INTEGER NOT NULL CHECK (wave_count >= 0),
    max_chain_depth INTEGER NOT NULL CHECK (max_chain_depth >= 0),
    repo_spread INTEGER NOT NULL CHECK (repo_spread >= 0),
    routing_dist TEXT NOT NULL CHECK (json_valid(routing_dist)),
    shape_hash TEXT NOT NULL,
    capture_reasons TEXT NOT NULL CHECK (json_valid(capture_reasons))
);

CREATE TABLE phases (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    slug TEXT NOT NULL,
    routing_tier TEXT NOT NULL,
    files TEXT NOT NULL CHECK (json_valid(files))
);
CREATE UNIQUE INDEX phases_plan_id_ordinal_idx ON phases (plan_id, ordinal);

CREATE TABLE triggers (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    input_value REAL NOT NULL,
    threshold REAL NOT NULL,
    fired INTEGER NOT NULL CHECK (fired IN (0, 1)),
    section_added TEXT
);
CREATE INDEX triggers_plan_id_idx ON triggers (plan_id);

CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    verified_at INTEGER NOT NULL,
    elapsed_seconds INTEGER CHECK (elapsed_seconds >= 0),
    outcome TEXT NOT NULL CHECK (outcome IN ('shipped', 'partial', 'abandoned')),
    phase_outcomes TEXT NOT NULL CHECK (json_valid(phase_outcomes)),
    emergency_changes TEXT CHECK (json_valid(emergency_changes)),
    surprises TEXT
);
CREATE INDEX verifications_plan_id_idx ON verifications (plan_id, id);

CREATE TABLE tags (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('auto', 'sidecar', 'user')),
    PRIMARY KEY (plan_id, key, value)
) WITHOUT ROWID;
CREATE INDEX tags_key_value_idx ON tags (key, value);
