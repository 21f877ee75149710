INSERT IGNORE INTO ${table} (consumer_group, message_id, claimed_at, lease_until, lease_token)
VALUES (:group, :key, :now, :until, :token)
