-- A script for SqlStatementsTest.
CREATE TABLE ${table} (id INT);
-- the rows
INSERT INTO ${table} SELECT generate_series(1, ${rows});
