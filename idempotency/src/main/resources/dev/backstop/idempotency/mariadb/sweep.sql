-- Deletes at most :limit expired rows, oldest first.
DELETE FROM ${table}
WHERE consumer_group = :group AND claimed_at < :cutoff
  AND (lease_until IS NULL OR lease_until <= :now)
ORDER BY claimed_at
LIMIT :limit
