-- Nothing was changed in SQLite (see up.sql).
SELECT 1;
