-- Every statement of the processed-message store on PostgreSQL. ${table} is the validated, possibly
-- schema-qualified table name, ${name} the same name without its schema.
-- A block starts with "-- name: <name>" and ends at the next block.

-- name: create
-- Processed-message store of the idempotent consumer (PostgreSQL), schema version 1.
-- ${table} is the configured prefix followed by processed_messages (default backstop_processed_messages).
-- Collation "C": keys compare byte by byte, whatever the database's collation, and faster.
CREATE TABLE IF NOT EXISTS ${table} (
    consumer_group VARCHAR(200) COLLATE "C" NOT NULL,
    message_id     VARCHAR(200) COLLATE "C" NOT NULL,
    claimed_at     TIMESTAMPTZ  NOT NULL,
    lease_until    TIMESTAMPTZ,
    lease_token    VARCHAR(36),
    CONSTRAINT ${name}_pk PRIMARY KEY (consumer_group, message_id)
);
CREATE INDEX IF NOT EXISTS ${name}_claimed_at ON ${table} (consumer_group, claimed_at);

-- name: check
-- present: the table exists; keyed: it has a two-column primary key or unique index.
SELECT to_regclass(:table) IS NOT NULL AS present,
       EXISTS (SELECT 1 FROM pg_index i
               WHERE i.indrelid = to_regclass(:table) AND i.indisunique AND i.indnkeyatts = 2) AS keyed

-- name: columns
SELECT consumer_group, message_id, claimed_at, lease_until, lease_token FROM ${table} WHERE 1 = 0

-- name: claim
-- One atomic statement: 1 row inserted = claimed, 0 = duplicate. Never raises on a duplicate, so the
-- caller's transaction is never aborted. A concurrent claimer waits on the uncommitted row.
INSERT INTO ${table} (consumer_group, message_id, claimed_at)
VALUES (:group, :key, :now)
ON CONFLICT DO NOTHING

-- name: claim_batch
-- One statement for a batch of distinct keys (sorted, so concurrent batches lock in the same order).
-- Returns the keys this transaction claimed; the others are duplicates.
INSERT INTO ${table} (consumer_group, message_id, claimed_at)
SELECT :group, k.message_id, :now FROM unnest(CAST(:keys AS VARCHAR[])) AS k(message_id)
ON CONFLICT DO NOTHING
RETURNING message_id

-- name: lease_insert
INSERT INTO ${table} (consumer_group, message_id, claimed_at, lease_until, lease_token)
VALUES (:group, :key, :now, :until, :token)
ON CONFLICT DO NOTHING

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
-- The planner's estimate (updated by VACUUM/ANALYZE): cheap, never scans the table.
SELECT CAST(GREATEST(c.reltuples, 0) AS BIGINT) FROM pg_class c WHERE c.oid = to_regclass(:table)

-- name: sweep_lock
-- One sweeper per (table, group) at a time; the lock ends with the batch's transaction.
SELECT pg_try_advisory_xact_lock(hashtextextended(:lock_name, 0))

-- name: sweep
-- Deletes at most :limit expired rows; rows locked by others are skipped, never waited for.
DELETE FROM ${table} WHERE (consumer_group, message_id) IN (
    SELECT consumer_group, message_id FROM ${table}
    WHERE consumer_group = :group AND claimed_at < :cutoff
      AND (lease_until IS NULL OR lease_until <= :now)
    LIMIT :limit
    FOR UPDATE SKIP LOCKED)
