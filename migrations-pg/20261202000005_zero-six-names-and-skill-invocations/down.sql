DROP TABLE skill_invocations;
DELETE FROM heuristic_thresholds WHERE proposal_id IS NULL;
ALTER TABLE heuristic_thresholds DROP COLUMN updated_by;
ALTER TABLE heuristic_thresholds ALTER COLUMN proposal_id SET NOT NULL;
ALTER TABLE heuristic_thresholds RENAME COLUMN name TO trigger;
ALTER TABLE calibration_proposals RENAME COLUMN decision TO state;
ALTER TABLE calibration_proposals RENAME COLUMN trigger_name TO trigger;
