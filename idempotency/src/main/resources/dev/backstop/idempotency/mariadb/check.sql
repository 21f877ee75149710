-- present: the table exists; keyed: it has a two-column primary key or unique index.
SELECT EXISTS (SELECT 1 FROM information_schema.tables t
               WHERE CONCAT(t.table_schema, '.', t.table_name)
                     = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))) AS present,
       EXISTS (SELECT 1 FROM information_schema.statistics s
               WHERE CONCAT(s.table_schema, '.', s.table_name)
                     = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))
                 AND s.non_unique = 0
               GROUP BY s.index_name HAVING COUNT(*) = 2) AS keyed
