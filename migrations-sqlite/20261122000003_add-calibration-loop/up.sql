-- The calibration loop: what analyze counts, the proposals it leads to, and the thresholds they set.
--
-- triggers.class is the row's confusion class under its plan's newest verification (NULL while the
-- plan is unverified). skillnet classifies with the rules of skillnet-core whenever a plan or a
-- verification is written, so analyze only counts; plan_flavor and plan_worktype copy the plan's
-- (they never change while the trigger row lives: re-recording replaces it) so that one scan of
-- triggers_analysis_idx gives the counts per trigger, class and skew band.

ALTER TABLE triggers ADD COLUMN class TEXT
    CHECK (class IN ('true-positive', 'false-positive', 'false-negative', 'true-negative'));
ALTER TABLE triggers ADD COLUMN plan_flavor TEXT NOT NULL DEFAULT '';
ALTER TABLE triggers ADD COLUMN plan_worktype TEXT;
UPDATE triggers SET
    plan_flavor = (SELECT flavor FROM plans WHERE plans.id = triggers.plan_id),
    plan_worktype = (SELECT worktype FROM plans WHERE plans.id = triggers.plan_id);
CREATE INDEX triggers_analysis_idx ON triggers (name, class, plan_flavor, plan_worktype, plan_id)
    WHERE class IS NOT NULL;

CREATE TABLE calibration_proposals (
    id INTEGER PRIMARY KEY,
    trigger TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('lower-threshold', 'raise-threshold')),
    current_threshold REAL NOT NULL,
    proposed_threshold REAL NOT NULL,
    filter_tags TEXT NOT NULL CHECK (json_valid(filter_tags)),
    filter_key TEXT NOT NULL,
    evidence TEXT NOT NULL CHECK (json_valid(evidence)),
    rationale TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'accepted', 'rejected', 'withdrawn', 'superseded')),
    proposed_at INTEGER NOT NULL,
    decided_at INTEGER,
    decision_rationale TEXT,
    superseded_by INTEGER REFERENCES calibration_proposals (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX calibration_proposals_trigger_idx ON calibration_proposals (trigger, filter_key, state);

CREATE TABLE heuristic_thresholds (
    trigger TEXT NOT NULL,
    filter_key TEXT NOT NULL,
    filter_tags TEXT NOT NULL CHECK (json_valid(filter_tags)),
    threshold REAL NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES calibration_proposals (id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (trigger, filter_key)
) WITHOUT ROWID;
