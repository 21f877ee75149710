-- InnoDB's estimate (information_schema.tables.table_rows): cheap, never scans the table.
SELECT COALESCE(MAX(t.table_rows), 0) FROM information_schema.tables t
WHERE CONCAT(t.table_schema, '.', t.table_name)
      = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))
