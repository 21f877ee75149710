-- Backstop outbox, schema version 1, MariaDB 10.6 or later.
-- Install it with your migration tool after replacing ${prefix} (default backstop_) and ${lanes}
-- (default 64), or let Backstop run it (backstop.outbox.auto-create-schema=true). Every statement
-- is idempotent. Times are DATETIME(6) in UTC, written with UTC_TIMESTAMP(6), so the server's and
-- the session's time zones play no part.

-- One row per lane: the per-lane sequence. A writer increments it in its own transaction, so the
-- row lock orders the transactions of one lane by commit.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_lane (
  lane     INT    NOT NULL PRIMARY KEY,
  next_seq BIGINT NOT NULL DEFAULT 0
) ENGINE = InnoDB;

-- Committed, not yet acknowledged messages. Read by (lane, seq), deleted after the broker's ack.
CREATE TABLE IF NOT EXISTS ${prefix}outbox (
  lane       INT          NOT NULL,
  seq        BIGINT       NOT NULL,
  message_id BINARY(16)   NOT NULL,
  topic      VARCHAR(249) NOT NULL,
  msg_key    MEDIUMBLOB,
  msg_value  LONGBLOB,
  headers    MEDIUMBLOB,
  created_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (lane, seq)
) ENGINE = InnoDB;

-- Messages Kafka rejected for good, with the later messages of the same key.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_parked (
  lane       INT           NOT NULL,
  seq        BIGINT        NOT NULL,
  message_id BINARY(16)    NOT NULL,
  topic      VARCHAR(249)  NOT NULL,
  msg_key    MEDIUMBLOB,
  msg_value  LONGBLOB,
  headers    MEDIUMBLOB,
  created_at DATETIME(6)   NOT NULL,
  parked_at  DATETIME(6)   NOT NULL,
  reason     VARCHAR(2000) NOT NULL,
  PRIMARY KEY (lane, seq),
  INDEX ${prefix}outbox_parked_key (lane, msg_key(255))
) ENGINE = InnoDB;

-- Who relays which lane. The epoch grows on every takeover and fences a paused former owner.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_lease (
  lane        INT          NOT NULL PRIMARY KEY,
  owner       VARCHAR(200),
  epoch       BIGINT       NOT NULL DEFAULT 0,
  lease_until DATETIME(6)  NOT NULL DEFAULT '1970-01-01 00:00:00'
) ENGINE = InnoDB;

-- Live relay instances; the lanes are shared among them.
CREATE TABLE IF NOT EXISTS ${prefix}outbox_relay (
  relay_id    VARCHAR(200) NOT NULL PRIMARY KEY,
  alive_until DATETIME(6)  NOT NULL
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}outbox_schema (
  version      INT         NOT NULL PRIMARY KEY,
  installed_at DATETIME(6) NOT NULL
) ENGINE = InnoDB;
INSERT IGNORE INTO ${prefix}outbox_schema (version, installed_at) VALUES (1, UTC_TIMESTAMP(6));

-- Only missing lanes: INSERT IGNORE alone would take a shared lock on every existing lane row and
-- wait for open writers (Backstop runs this at READ COMMITTED, where the NOT EXISTS locks nothing).
INSERT IGNORE INTO ${prefix}outbox_lane (lane)
WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${lanes})
SELECT i FROM n WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lane l WHERE l.lane = n.i);
INSERT IGNORE INTO ${prefix}outbox_lease (lane)
WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${lanes})
SELECT i FROM n WHERE NOT EXISTS (SELECT 1 FROM ${prefix}outbox_lease l WHERE l.lane = n.i);
