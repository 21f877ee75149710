-- The planner's estimate (updated by VACUUM/ANALYZE): cheap, never scans the table.
SELECT CAST(GREATEST(c.reltuples, 0) AS BIGINT) FROM pg_class c WHERE c.oid = to_regclass(:table)
