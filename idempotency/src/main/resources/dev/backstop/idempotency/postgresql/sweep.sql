-- Deletes at most :limit expired rows; rows locked by others are skipped, never waited for.
DELETE FROM ${table} WHERE (consumer_group, message_id) IN (
    SELECT consumer_group, message_id FROM ${table}
    WHERE consumer_group = :group AND claimed_at < :cutoff
      AND (lease_until IS NULL OR lease_until <= :now)
    LIMIT :limit
    FOR UPDATE SKIP LOCKED)
