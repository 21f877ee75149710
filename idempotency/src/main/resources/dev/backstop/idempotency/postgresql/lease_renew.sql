UPDATE ${table} SET lease_until = :until
WHERE consumer_group = :group AND message_id = :key AND lease_token = :token
