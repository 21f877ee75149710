-- Processed-message store of the idempotent consumer (PostgreSQL), schema version 1.
-- ${table} is the configured prefix followed by processed_messages (default backstop_processed_messages).
-- Collation "C": keys compare byte by byte, whatever the database's collation, and faster.
CREATE TABLE IF NOT EXISTS ${table} (
    consumer_group VARCHAR(200) COLLATE "C" NOT NULL,
    message_id     VARCHAR(200) COLLATE "C" NOT NULL,
    claimed_at     TIMESTAMPTZ  NOT NULL,
    lease_until    TIMESTAMPTZ,
    lease_token    VARCHAR(36),
    CONSTRAINT ${name}_pk PRIMARY KEY (consumer_group, message_id)
);
CREATE INDEX IF NOT EXISTS ${name}_claimed_at ON ${table} (consumer_group, claimed_at);
