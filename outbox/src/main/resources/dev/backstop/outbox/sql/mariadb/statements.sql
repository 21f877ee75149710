-- Every statement the outbox runs on MariaDB 10.6 or later. ${prefix} is the
-- validated table prefix. A block starts with "-- name: <name>" and ends at the next block.
-- Lists of lanes or sequences are bound as JSON arrays and expanded with JSON_TABLE. The relay
-- runs its transactions at READ COMMITTED, so its locks cover the rows it touches and no gaps.

-- name: next-seq
-- The lane row lock taken here is held until the writer's commit: per lane, seq order is commit order.
UPDATE ${prefix}outbox_lane SET next_seq = next_seq + 1 WHERE lane = ?

-- name: insert-message
-- Runs right after next-seq in the same transaction; the locking read sees the incremented value.
INSERT INTO ${prefix}outbox (lane, seq, message_id, topic, msg_key, msg_value, headers, created_at)
SELECT lane, next_seq, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6) FROM ${prefix}outbox_lane WHERE lane = ?

-- name: busy-lanes
-- Which of the given lanes hold rows above the given floor (-1: from the start), in list order.
SELECT l.lane, f.fl
FROM JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, lane INT PATH '$')) l
JOIN JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, fl BIGINT PATH '$')) f ON f.i = l.i
WHERE EXISTS (SELECT 1 FROM ${prefix}outbox x WHERE x.lane = l.lane AND x.seq > f.fl)
ORDER BY l.i

-- name: read-lane
-- One busy lane's part of a read: its head above the floor, at most ? rows. MariaDB has no LATERAL
-- join, so a read joins one part per busy lane with UNION ALL and orders by (ord, seq); the rows
-- are shared evenly among the busy lanes as on PostgreSQL. key_parked tells whether the row's key
-- is parked, lane_parked whether its lane holds any parked row.
(SELECT x.lane, x.seq, x.message_id, x.topic, x.msg_key, x.msg_value, x.headers, x.created_at,
  x.msg_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM ${prefix}outbox_parked p WHERE p.lane = x.lane AND p.msg_key = x.msg_key
  ) AS key_parked,
  EXISTS (SELECT 1 FROM ${prefix}outbox_parked p WHERE p.lane = x.lane) AS lane_parked,
  ? AS ord
FROM ${prefix}outbox x WHERE x.lane = ? AND x.seq > ? ORDER BY x.seq LIMIT ?)

-- name: rows-at-or-below
-- Whether any of the given lanes holds a row at or below the given floor that is not one of the
-- batch whose delete is still pending: a row below the pending batch's lowest sequence (low), or
-- more rows between low and floor than the pending batch has there. Both are index range scans.
SELECT EXISTS (
  SELECT 1
  FROM JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, lane INT PATH '$')) l
  JOIN JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, fl BIGINT PATH '$')) f ON f.i = l.i
  JOIN JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, low BIGINT PATH '$')) w ON w.i = l.i
  JOIN JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, pending INT PATH '$')) p ON p.i = l.i
  WHERE EXISTS (
      SELECT 1 FROM ${prefix}outbox x WHERE x.lane = l.lane AND x.seq < w.low AND x.seq <= f.fl
    )
    OR (
      SELECT count(*) FROM ${prefix}outbox x
      WHERE x.lane = l.lane AND x.seq BETWEEN w.low AND f.fl
    ) > p.pending
)

-- name: delete-range
-- The last parameter is the range's row count: the scan stops at the range's last row instead of
-- locking the next index record, which may be a writer's uncommitted insert.
DELETE FROM ${prefix}outbox WHERE lane = ? AND seq BETWEEN ? AND ? LIMIT ?

-- name: park-row
INSERT INTO ${prefix}outbox_parked
  (lane, seq, message_id, topic, msg_key, msg_value, headers, created_at, parked_at, reason)
SELECT lane, seq, message_id, topic, msg_key, msg_value, headers, created_at, UTC_TIMESTAMP(6), ?
FROM ${prefix}outbox WHERE lane = ? AND seq = ?

-- name: key-parked
SELECT 1 FROM ${prefix}outbox_parked WHERE lane = ? AND msg_key = ? LIMIT 1

-- name: lock-leases
-- STRAIGHT_JOIN: look the lease rows up by primary key; a scan of the lease table would wait on
-- every lease row another relay holds.
SELECT l.lane, l.owner, l.epoch
FROM JSON_TABLE(?, '$[*]' COLUMNS (lane INT PATH '$')) j
STRAIGHT_JOIN ${prefix}outbox_lease l ON l.lane = j.lane
ORDER BY l.lane FOR UPDATE

-- name: ensure-lanes
-- Only missing lanes (run at READ COMMITTED, so the NOT EXISTS is a plain read): INSERT IGNORE
-- alone would take a shared lock on every existing lane row and wait for the open writers.
INSERT IGNORE INTO ${prefix}outbox_lane (lane)
WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
SELECT i FROM n WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lane l WHERE l.lane = n.i)

-- name: ensure-leases
INSERT IGNORE INTO ${prefix}outbox_lease (lane)
WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
SELECT i FROM n WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lease l WHERE l.lane = n.i)

-- name: count-lanes
SELECT count(*) FROM ${prefix}outbox_lease

-- name: heartbeat
INSERT INTO ${prefix}outbox_relay (relay_id, alive_until)
VALUES (?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)
ON DUPLICATE KEY UPDATE alive_until = VALUES(alive_until)

-- name: live-relays
SELECT count(*) FROM ${prefix}outbox_relay WHERE alive_until >= UTC_TIMESTAMP(6)

-- name: forget-dead-relays
DELETE FROM ${prefix}outbox_relay WHERE alive_until < UTC_TIMESTAMP(6) - INTERVAL ? SECOND

-- name: forget-relay
DELETE FROM ${prefix}outbox_relay WHERE relay_id = ?

-- name: renew-leases
-- MariaDB has no UPDATE ... RETURNING: renewed-leases reads the owned lanes right after, in the
-- same transaction, while the update holds their row locks.
UPDATE ${prefix}outbox_lease SET lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND WHERE owner = ?

-- name: renewed-leases
SELECT lane, epoch FROM ${prefix}outbox_lease WHERE owner = ?

-- name: free-leases
-- Lanes without a live owner, locked for the take-over that follows in the same transaction, with
-- the owner each lease expired from: the new owner fences that relay's producer.
SELECT lane, epoch, owner FROM ${prefix}outbox_lease
WHERE owner IS NULL OR lease_until < UTC_TIMESTAMP(6)
ORDER BY lane LIMIT ? FOR UPDATE SKIP LOCKED

-- name: take-lease
UPDATE ${prefix}outbox_lease SET owner = ?, epoch = epoch + 1,
  lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND
WHERE lane = ? AND epoch = ?

-- name: release-lease
UPDATE ${prefix}outbox_lease SET owner = NULL, lease_until = UTC_TIMESTAMP(6)
WHERE lane = ? AND owner = ? AND epoch = ?

-- name: stats
SELECT count(*), min(created_at) FROM ${prefix}outbox

-- name: parked-count
SELECT count(*) FROM ${prefix}outbox_parked

-- name: list-parked
SELECT lane, seq, message_id, topic, msg_key, msg_value, headers, created_at, parked_at, reason
FROM ${prefix}outbox_parked ORDER BY lane, seq LIMIT ?

-- name: lock-lease
SELECT epoch FROM ${prefix}outbox_lease WHERE lane = ? FOR UPDATE

-- name: requeue-key
INSERT INTO ${prefix}outbox (lane, seq, message_id, topic, msg_key, msg_value, headers, created_at)
SELECT lane, seq, message_id, topic, msg_key, msg_value, headers, created_at
FROM ${prefix}outbox_parked WHERE lane = ? AND msg_key = ?

-- name: unpark-key
DELETE FROM ${prefix}outbox_parked WHERE lane = ? AND msg_key = ?

-- name: requeue-row
INSERT INTO ${prefix}outbox (lane, seq, message_id, topic, msg_key, msg_value, headers, created_at)
SELECT lane, seq, message_id, topic, msg_key, msg_value, headers, created_at
FROM ${prefix}outbox_parked WHERE lane = ? AND seq = ?

-- name: unpark-row
DELETE FROM ${prefix}outbox_parked WHERE lane = ? AND seq = ?

-- name: schema-version
SELECT max(version) FROM ${prefix}outbox_schema

-- name: lane-table-name
${prefix}outbox_lane
