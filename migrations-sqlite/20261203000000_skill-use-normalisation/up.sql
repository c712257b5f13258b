-- Skill uses from any harness: which harness reported it, the harness's own id of the event
-- (a retried report is one row), the version of the adapter that read it, and the skill's
-- canonical name (lower case, without a `namespace:` prefix), which reports group by.
ALTER TABLE skill_invocations ADD COLUMN harness TEXT NOT NULL DEFAULT 'claude-code';
ALTER TABLE skill_invocations ADD COLUMN source_event_id TEXT;
ALTER TABLE skill_invocations ADD COLUMN adapter_version TEXT;
ALTER TABLE skill_invocations ADD COLUMN canonical_skill_name TEXT;
UPDATE skill_invocations
SET canonical_skill_name = lower(trim(substr(trim(skill_name), instr(trim(skill_name), ':') + 1)));
CREATE UNIQUE INDEX skill_invocations_source_event_idx
    ON skill_invocations (harness, source_event_id) WHERE source_event_id IS NOT NULL;
CREATE INDEX skill_invocations_canonical_idx ON skill_invocations (canonical_skill_name, harness);
