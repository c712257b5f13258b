DROP INDEX skill_invocations_canonical_idx;
DROP INDEX skill_invocations_source_event_idx;
ALTER TABLE skill_invocations DROP COLUMN canonical_skill_name;
ALTER TABLE skill_invocations DROP COLUMN adapter_version;
ALTER TABLE skill_invocations DROP COLUMN source_event_id;
ALTER TABLE skill_invocations DROP COLUMN harness;
