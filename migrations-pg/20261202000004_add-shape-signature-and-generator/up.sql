-- The coarse shape signature of each plan (phase count, chain depth and repository spread, each
-- capped, and the capped tier counts), so `novel-shape-signature` is one index lookup; and the
-- phases by slug, so `routing-tier-outlier` finds a slug's recorded tiers without a scan.
-- Existing plans are signed in the same transaction, right after this migration.
ALTER TABLE plans ADD COLUMN shape_signature TEXT;
-- What wrote each plan's sidecar (`skillnet 0.7.0`); NULL for sidecars that do not say, such as
-- those skillnet 0.6 wrote, so an analysis can tell the two parsers' plans apart.
ALTER TABLE plans ADD COLUMN generator TEXT;
CREATE INDEX plans_shape_signature_idx ON plans (shape_signature);
CREATE INDEX phases_slug_idx ON phases (slug, routing_tier);
