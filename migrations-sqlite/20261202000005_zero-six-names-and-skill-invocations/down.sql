DROP TABLE skill_invocations;
CREATE TABLE heuristic_thresholds_old (
    trigger TEXT NOT NULL,
    filter_key TEXT NOT NULL,
    filter_tags TEXT NOT NULL CHECK (json_valid(filter_tags)),
    threshold REAL NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES calibration_proposals (id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (trigger, filter_key)
) WITHOUT ROWID;
INSERT INTO heuristic_thresholds_old SELECT name, filter_key, filter_tags, threshold, proposal_id, updated_at
    FROM heuristic_thresholds WHERE proposal_id IS NOT NULL;
DROP TABLE heuristic_thresholds;
ALTER TABLE heuristic_thresholds_old RENAME TO heuristic_thresholds;
ALTER TABLE calibration_proposals RENAME COLUMN decision TO state;
ALTER TABLE calibration_proposals RENAME COLUMN trigger_name TO trigger;
