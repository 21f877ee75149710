-- Backstop outbox, schema version 1, PostgreSQL.
-- Install it with your migration tool after replacing ${prefix} (default backstop_) and ${lanes}
-- (default 64), or let Backstop run it (backstop.outbox.auto-create-schema=true). Every statement
-- is idempotent.

-- One row per lane: the per-lane sequence. A writer increments it in its own transaction, so the
-- row lock orders the transactions of one lane by commit.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_lane (
  lane     INTEGER PRIMARY KEY,
  next_seq BIGINT  NOT NULL DEFAULT 0
);

-- Committed, not yet acknowledged messages. Read by (lane, seq), deleted after the broker's ack.
CREATE TABLE IF NOT EXISTS ${prefix}outbox (
  lane       INTEGER      NOT NULL,
  seq        BIGINT       NOT NULL,
  message_id UUID         NOT NULL,
  topic      VARCHAR(249) NOT NULL,
  msg_key    BYTEA,
  msg_value  BYTEA,
  headers    BYTEA,
  created_at TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (lane, seq)
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);

-- Messages Kafka rejected for good, with the later messages of the same key.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_parked (
  lane       INTEGER       NOT NULL,
  seq        BIGINT        NOT NULL,
  message_id UUID          NOT NULL,
  topic      VARCHAR(249)  NOT NULL,
  msg_key    BYTEA,
  msg_value  BYTEA,
  headers    BYTEA,
  created_at TIMESTAMPTZ   NOT NULL,
  parked_at  TIMESTAMPTZ   NOT NULL DEFAULT clock_timestamp(),
  reason     VARCHAR(2000) NOT NULL,
  PRIMARY KEY (lane, seq)
);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_parked_key ON ${prefix}outbox_parked (lane, msg_key);

-- Who relays which lane. The epoch grows on every takeover and fences a paused former owner.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_lease (
  lane        INTEGER      PRIMARY KEY,
  owner       VARCHAR(200),
  epoch       BIGINT       NOT NULL DEFAULT 0,
  lease_until TIMESTAMPTZ  NOT NULL DEFAULT '-infinity'
);

-- Live relay instances; the lanes are shared among them.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_relay (
  relay_id    VARCHAR(200) PRIMARY KEY,
  alive_until TIMESTAMPTZ  NOT NULL
);

CREATE TABLE IF NOT EXISTS ${prefix}outbox_schema (
  version      INTEGER     PRIMARY KEY,
  installed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO ${prefix}outbox_schema (version) VALUES (1) ON CONFLICT DO NOTHING;

-- Only missing lanes: a conflict check on an existing lane row would wait for open writers.
INSERT INTO ${prefix}outbox_lane (lane)
SELECT g FROM generate_series(0, ${lanes} - 1) g
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lane l WHERE l.lane = g)
ON CONFLICT DO NOTHING;
INSERT INTO ${prefix}outbox_lease (lane)
SELECT g FROM generate_series(0, ${lanes} - 1) g
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lease l WHERE l.lane = g)
ON CONFLICT DO NOTHING;
