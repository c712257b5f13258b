ALTER TABLE triggers DROP CONSTRAINT triggers_pkey;
ALTER TABLE triggers ADD CONSTRAINT triggers_pkey PRIMARY KEY (id);
CREATE INDEX triggers_plan_id_idx ON triggers (plan_id);
ALTER TABLE phases DROP CONSTRAINT phases_pkey;
CREATE UNIQUE INDEX phases_plan_id_ordinal_idx ON phases (plan_id, ordinal);
ALTER TABLE phases ADD CONSTRAINT phases_pkey PRIMARY KEY (id);
