-- One atomic statement: 1 row inserted = claimed, 0 = duplicate. Never raises on a duplicate, so the
-- caller's transaction is never aborted. A concurrent claimer waits on the uncommitted row.
INSERT INTO ${table} (consumer_group, message_id, claimed_at)
VALUES (:group, :key, :now)
ON CONFLICT DO NOTHING
