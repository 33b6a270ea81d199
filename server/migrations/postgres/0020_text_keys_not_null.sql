-- PostgreSQL primary keys are NOT NULL already; SQLite's text keys are rebuilt to match (see the
-- SQLite migration of the same number).
SELECT 1;
