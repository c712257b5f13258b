-- Phases and trigger rows are always reached through their plan, never by id alone: key them
-- by plan, so that each row written updates one index fewer.
-- A phase is its plan's phase at an ordinal; that pair was already unique.
ALTER TABLE phases DROP CONSTRAINT phases_pkey;
ALTER TABLE phases ADD CONSTRAINT phases_pkey PRIMARY KEY USING INDEX phases_plan_id_ordinal_idx;
-- A trigger row is found by plan, then ordered or picked by id: one index serves both.
ALTER TABLE triggers DROP CONSTRAINT triggers_pkey;
DROP INDEX triggers_plan_id_idx;
ALTER TABLE triggers ADD CONSTRAINT triggers_pkey PRIMARY KEY (plan_id, id);
