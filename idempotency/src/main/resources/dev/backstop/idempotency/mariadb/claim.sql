-- One atomic statement: 1 row inserted = claimed, 0 = duplicate; a duplicate is a warning, never an
-- error, so the caller's transaction goes on. A concurrent claimer waits on the uncommitted row.
-- Keys and group are validated in Java first (INSERT IGNORE would also silence truncation).
INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at)
VALUES (:group, :key, :now)
