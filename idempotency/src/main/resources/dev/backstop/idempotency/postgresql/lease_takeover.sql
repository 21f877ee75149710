-- Takes over a lease that expired; a completed row (lease_until NULL) is never taken.
UPDATE ${table} SET claimed_at = :now, lease_until = :until, lease_token = :token
WHERE consumer_group = :group AND message_id = :key
  AND lease_until IS NOT NULL AND lease_until <= :now
