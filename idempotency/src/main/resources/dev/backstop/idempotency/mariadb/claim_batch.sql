-- One statement for a batch of distinct keys (sorted, so concurrent batches lock in the same order),
-- passed as one JSON array. Returns the keys this transaction claimed; the others are duplicates.
INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at)
SELECT :group, k.message_id, :now
FROM JSON_TABLE(:keys, '$[*]' COLUMNS (message_id VARCHAR(200) PATH '$')) AS k
RETURNING message_id
