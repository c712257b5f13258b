DROP INDEX phases_slug_idx;
DROP INDEX plans_shape_signature_idx;
ALTER TABLE plans DROP COLUMN generator;
ALTER TABLE plans DROP COLUMN shape_signature;
