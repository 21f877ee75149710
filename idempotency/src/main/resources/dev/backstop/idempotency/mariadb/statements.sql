-- Every statement of the processed-message store on MariaDB. ${table} is the validated, possibly
-- schema-qualified table name, ${name} the same name without its schema.
-- A block starts with "-- name: <name>" and ends at the next block.

-- name: create
-- Processed-message store of the idempotent consumer (MariaDB 10.6 or later), schema version 1.
-- ${table} is the configured prefix followed by processed_messages (default backstop_processed_messages).
-- Binary collation: keys compare exactly, as on PostgreSQL. Timestamps are UTC.
CREATE TABLE IF NOT EXISTS ${table} (
    consumer_group VARCHAR(200) NOT NULL,
    message_id     VARCHAR(200) NOT NULL,
    claimed_at     DATETIME(6)  NOT NULL,
    lease_until    DATETIME(6)  NULL,
    lease_token    VARCHAR(36)  NULL,
    PRIMARY KEY (consumer_group, message_id),
    KEY ${name}_claimed_at (consumer_group, claimed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- name: check
-- present: the table exists; keyed: it has a two-column primary key or unique index.
SELECT EXISTS (SELECT 1 FROM information_schema.tables t
               WHERE CONCAT(t.table_schema, '.', t.table_name)
                     = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))) AS present,
       EXISTS (SELECT 1 FROM information_schema.statistics s
               WHERE CONCAT(s.table_schema, '.', s.table_name)
                     = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))
                 AND s.non_unique = 0
               GROUP BY s.index_name HAVING COUNT(*) = 2) AS keyed

-- name: columns
SELECT consumer_group, message_id, claimed_at, lease_until, lease_token FROM ${table} WHERE 1 = 0

-- name: claim
-- One atomic statement: 1 row inserted = claimed, 0 = duplicate; a duplicate is a warning, never an
-- error, so the caller's transaction goes on. A concurrent claimer waits on the uncommitted row.
-- Keys and group are validated in Java first (INSERT IGNORE would also silence truncation).
INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at)
VALUES (:group, :key, :now)

-- name: claim_batch
-- One statement for a batch of distinct keys (sorted, so concurrent batches lock in the same order),
-- passed as one JSON array. Returns the keys this transaction claimed; the others are duplicates.
INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at)
SELECT :group, k.message_id, :now
FROM JSON_TABLE(:keys, '$[*]' COLUMNS (message_id VARCHAR(200) PATH '$')) AS k
RETURNING message_id

-- name: lease_insert
INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at, lease_until, lease_token)
VALUES (:group, :key, :now, :until, :token)

-- name: lease_state
SELECT lease_until FROM ${table} WHERE consumer_group = :group AND message_id = :key

-- name: lease_renew
UPDATE ${table} SET lease_until = :until
WHERE consumer_group = :group AND message_id = :key AND lease_token = :token

-- name: lease_complete
UPDATE ${table} SET claimed_at = :now, lease_until = NULL, lease_token = NULL
WHERE consumer_group = :group AND message_id = :key AND lease_token = :token

-- name: lease_release
DELETE FROM ${table} WHERE consumer_group = :group AND message_id = :key AND lease_token = :token

-- name: lease_takeover
-- Takes over a lease that expired; a completed row (lease_until NULL) is never taken.
UPDATE ${table} SET claimed_at = :now, lease_until = :until, lease_token = :token
WHERE consumer_group = :group AND message_id = :key
  AND lease_until IS NOT NULL AND lease_until <= :now

-- name: size
-- InnoDB's estimate (information_schema.tables.table_rows): cheap, never scans the table.
SELECT COALESCE(MAX(t.table_rows), 0) FROM information_schema.tables t
WHERE CONCAT(t.table_schema, '.', t.table_name)
      = IF(LOCATE('.', :table) > 0, :table, CONCAT(DATABASE(), '.', :table))

-- name: sweep_lock
-- One sweeper per (table, group) at a time: a named lock of the sweeper's session, never waited for.
SELECT GET_LOCK(:lock_name, 0) = 1

-- name: sweep
-- Deletes at most :limit expired rows, oldest first.
DELETE FROM ${table}
WHERE consumer_group = :group AND claimed_at < :cutoff
  AND (lease_until IS NULL OR lease_until <= :now)
ORDER BY claimed_at
LIMIT :limit

-- name: sweep_unlock
SELECT RELEASE_LOCK(:lock_name)
