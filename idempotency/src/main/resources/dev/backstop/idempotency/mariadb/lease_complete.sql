UPDATE ${table} SET claimed_at = :now, lease_until = NULL, lease_token = NULL
WHERE consumer_group = :group AND message_id = :key AND lease_token = :token
