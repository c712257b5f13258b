-- PostgreSQL keys phases and trigger rows by plan here, dropping an index each. In SQLite their
-- integer ids are the row ids, which cost no index of their own, and the index on a trigger's
-- plan already ends with the row id: nothing to change.
SELECT 1;
