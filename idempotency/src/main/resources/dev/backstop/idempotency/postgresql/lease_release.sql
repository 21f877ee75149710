DELETE FROM ${table} WHERE consumer_group = :group AND message_id = :key AND lease_token = :token
