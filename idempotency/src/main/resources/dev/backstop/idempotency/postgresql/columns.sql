SELECT consumer_group, message_id, claimed_at, lease_until, lease_token FROM ${table} WHERE 1 = 0
