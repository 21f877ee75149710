-- Every statement the outbox runs on PostgreSQL. ${prefix} is the validated table prefix.
-- A block starts with "-- name: <name>" and ends at the next block.

-- name: insert-message
-- The lane row lock taken here is held until the writer's commit: per lane, seq order is commit order.
WITH s AS (
  UPDATE ${prefix}outbox_lane SET next_seq = next_seq + 1 WHERE lane = ? RETURNING lane, next_seq
)
INSERT INTO ${prefix}outbox (lane, seq, message_id, topic, msg_key, msg_value, headers)
SELECT lane, next_seq, ?, ?, ?, ?, ? FROM s

-- name: read-batch
-- The head of each given lane above the given floor (-1: from the start), lane by lane: the ?
-- (batch size) rows are shared evenly among the lanes that hold rows. key_parked tells whether the
-- row's key is parked, lane_parked whether its lane holds any parked row.
WITH busy AS (
  SELECT l.lane, l.floor, l.ord
  FROM unnest(?::int[], ?::bigint[]) WITH ORDINALITY AS l(lane, floor, ord)
  WHERE EXISTS (SELECT 1 FROM ${prefix}outbox x WHERE x.lane = l.lane AND x.seq > l.floor)
), n AS (
  SELECT greatest(count(*), 1) AS c FROM busy
)
SELECT o.lane, o.seq, o.message_id, o.topic, o.msg_key, o.msg_value, o.headers, o.created_at,
  o.msg_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM ${prefix}outbox_parked p WHERE p.lane = o.lane AND p.msg_key = o.msg_key
  ) AS key_parked,
  EXISTS (SELECT 1 FROM ${prefix}outbox_parked p WHERE p.lane = o.lane) AS lane_parked
FROM busy b
CROSS JOIN LATERAL (
  SELECT x.lane, x.seq, x.message_id, x.topic, x.msg_key, x.msg_value, x.headers, x.created_at
  FROM ${prefix}outbox x WHERE x.lane = b.lane AND x.seq > b.floor ORDER BY x.seq
  LIMIT (SELECT (?::int + c - 1) / c FROM n)
) o
ORDER BY b.ord, o.seq

-- name: rows-at-or-below
-- Whether any of the given lanes holds a row at or below the given floor that is not one of the
-- batch whose delete is still pending: a row below the pending batch's lowest sequence (low), or
-- more rows between low and floor than the pending batch has there. Both are index range scans.
SELECT EXISTS (
  SELECT 1 FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::int[]) AS l(lane, floor, low, pending)
  WHERE EXISTS (
      SELECT 1 FROM ${prefix}outbox x WHERE x.lane = l.lane AND x.seq < l.low AND x.seq <= l.floor
    )
    OR (
      SELECT count(*) FROM ${prefix}outbox x
      WHERE x.lane = l.lane AND x.seq BETWEEN l.low AND l.floor
    ) > l.pending
)

-- name: delete-range
DELETE FROM ${prefix}outbox WHERE lane = ? AND seq BETWEEN ? AND ?

-- name: park-row
INSERT INTO ${prefix}outbox_parked
  (lane, seq, message_id, topic, msg_key, msg_value, headers, created_at, reason)
SELECT lane, seq, message_id, topic, msg_key, msg_value, headers, created_at, ?
FROM ${prefix}outbox WHERE lane = ? AND seq = ?

-- name: key-parked
SELECT 1 FROM ${prefix}outbox_parked WHERE lane = ? AND msg_key = ? LIMIT 1

-- name: lock-leases
SELECT lane, owner, epoch FROM ${prefix}outbox_lease WHERE lane = ANY(?::int[]) ORDER BY lane FOR UPDATE

-- name: ensure-lanes
-- Only missing lanes: a conflict check on an existing lane row would wait for every open writer
-- that holds the row's lock.
INSERT INTO ${prefix}outbox_lane (lane)
SELECT g FROM generate_series(0, ? - 1) g
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lane l WHERE l.lane = g)
ON CONFLICT DO NOTHING

-- name: ensure-leases
INSERT INTO ${prefix}outbox_lease (lane)
SELECT g FROM generate_series(0, ? - 1) g
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lease l WHERE l.lane = g)
ON CONFLICT DO NOTHING

-- name: count-lanes
SELECT count(*) FROM ${prefix}outbox_lease

-- name: heartbeat
INSERT INTO ${prefix}outbox_relay (relay_id, alive_until)
VALUES (?, now() + make_interval(secs => ?))
ON CONFLICT (relay_id) DO UPDATE SET alive_until = EXCLUDED.alive_until

-- name: live-relays
SELECT count(*) FROM ${prefix}outbox_relay WHERE alive_until >= now()

-- name: forget-dead-relays
DELETE FROM ${prefix}outbox_relay WHERE alive_until < now() - make_interval(secs => ?)

-- name: forget-relay
DELETE FROM ${prefix}outbox_relay WHERE relay_id = ?

-- name: renew-leases
UPDATE ${prefix}outbox_lease SET lease_until = now() + make_interval(secs => ?)
WHERE owner = ? RETURNING lane, epoch

-- name: acquire-leases
-- Returns the owner each lease expired from: the new owner fences that relay's producer.
WITH free AS (
  SELECT lane, owner FROM ${prefix}outbox_lease
  WHERE owner IS NULL OR lease_until < now()
  ORDER BY lane LIMIT ? FOR UPDATE SKIP LOCKED
)
UPDATE ${prefix}outbox_lease l SET owner = ?, epoch = l.epoch + 1,
  lease_until = now() + make_interval(secs => ?)
FROM free WHERE l.lane = free.lane
RETURNING l.lane, l.epoch, free.owner

-- name: release-lease
UPDATE ${prefix}outbox_lease SET owner = NULL, lease_until = now()
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
