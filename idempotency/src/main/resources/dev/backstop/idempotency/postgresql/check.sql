-- present: the table exists; keyed: it has a two-column primary key or unique index.
SELECT to_regclass(:table) IS NOT NULL AS present,
       EXISTS (SELECT 1 FROM pg_index i
               WHERE i.indrelid = to_regclass(:table) AND i.indisunique AND i.indnkeyatts = 2) AS keyed
