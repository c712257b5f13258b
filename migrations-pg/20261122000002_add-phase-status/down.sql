DROP TABLE phase_transitions;
ALTER TABLE phases DROP COLUMN attempt;
ALTER TABLE phases DROP COLUMN status;
