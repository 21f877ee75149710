-- Statements for SqlStatementsTest. ${table} is the table.

-- name: count
-- how many rows
SELECT count(*)
FROM ${table}

-- name: delete
DELETE FROM ${table} WHERE id = ?
