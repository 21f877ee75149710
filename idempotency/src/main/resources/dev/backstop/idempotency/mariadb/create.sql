-- Processed-message store of the idempotent consumer (MariaDB 10.6 or later), schema version 1.
-- ${table} is the configured prefix followed by processed_messages (default backstop_processed_messages).
-- Binary collation: keys compare exactly, as on PostgreSQL. Timestamps are UTC.
CREATE TABLE IF NOT EXISTS ${table} (
    consumer_group VARCHAR(200) NOT NULL,
    message_id     VARCHAR(200) NOT NULL,
    claimed_at     DATETIME(6)  NOT NULL,
    lease_until    DATETIME(6)  NULL,
    lease_token    VARCHAR(36)  NULL,
    PRIMARY KEY (consumer_group, message_id),
    KEY ${name}_claimed_at (consumer_group, claimed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
