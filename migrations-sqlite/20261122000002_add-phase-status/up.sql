-- Granular progress of a running plan: each phase's current status and attempt, and an
-- append-only log of every transition (the state machine lives in skillnet-core; the store
-- applies it with a compare-and-set on phases.status).

ALTER TABLE phases ADD COLUMN status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'blocked', 'verifying', 'landed', 'failed', 'skipped'));
ALTER TABLE phases ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);

CREATE TABLE phase_transitions (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    from_status TEXT NOT NULL
        CHECK (from_status IN ('queued', 'running', 'blocked', 'verifying', 'landed', 'failed', 'skipped')),
    to_status TEXT NOT NULL
        CHECK (to_status IN ('queued', 'running', 'blocked', 'verifying', 'landed', 'failed', 'skipped')),
    at INTEGER NOT NULL,
    attempt INTEGER NOT NULL CHECK (attempt >= 1),
    note TEXT
);
CREATE INDEX phase_transitions_plan_id_idx ON phase_transitions (plan_id, ordinal, id);
