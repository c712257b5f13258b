DROP TABLE heuristic_thresholds;
DROP TABLE calibration_proposals;
DROP INDEX triggers_analysis_idx;
ALTER TABLE triggers DROP COLUMN plan_worktype;
ALTER TABLE triggers DROP COLUMN plan_flavor;
ALTER TABLE triggers DROP COLUMN class;
