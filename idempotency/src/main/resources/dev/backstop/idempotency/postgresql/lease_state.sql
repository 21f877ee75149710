SELECT lease_until FROM ${table} WHERE consumer_group = :group AND message_id = :key
