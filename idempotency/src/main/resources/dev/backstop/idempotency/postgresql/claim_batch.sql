-- One statement for a batch of distinct keys (sorted, so concurrent batches lock in the same order).
-- Returns the keys this transaction claimed; the others are duplicates.
INSERT INTO ${table} (consumer_group, message_id, claimed_at)
SELECT :group, k.message_id, :now FROM unnest(CAST(:keys AS VARCHAR[])) AS k(message_id)
ON CONFLICT DO NOTHING
RETURNING message_id
