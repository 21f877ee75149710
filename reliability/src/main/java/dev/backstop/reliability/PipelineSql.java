package dev.backstop.reliability;

/** Every SQL statement of the reliability suite. Stateless. */
final class PipelineSql {
  private PipelineSql() {}

  /** The business rows: one per message whose transaction committed. */
  static final String CREATE_ORDERS =
      "CREATE TABLE IF NOT EXISTS rel_orders (seq bigint PRIMARY KEY, message_id text NOT NULL,"
          + " kind text NOT NULL, created_at bigint NOT NULL, msg_key text NOT NULL,"
          + " key_commit bigint NOT NULL)";

  /**
   * One counter per message key, raised in each writing transaction: its row lock, held until
   * commit, numbers the transactions of one key in commit order.
   */
  static final String CREATE_KEYS =
      "CREATE TABLE IF NOT EXISTS rel_keys (k text PRIMARY KEY, n bigint NOT NULL)";

  static final String INSERT_KEYS =
      "INSERT INTO rel_keys (k, n) SELECT 'k' || g, 0 FROM generate_series(0, ? - 1) g"
          + " ON CONFLICT DO NOTHING";

  static final String NEXT_KEY_COMMIT = "UPDATE rel_keys SET n = n + 1 WHERE k = ? RETURNING n";

  /** Per key, the committed message ids in commit order. */
  static final String COMMIT_ORDER =
      "SELECT msg_key, message_id FROM rel_orders ORDER BY msg_key, key_commit";

  /** The applied effects; deliberately without a unique key, so a duplicate shows as a row. */
  static final String CREATE_EFFECTS =
      "CREATE TABLE IF NOT EXISTS rel_effects (id bigserial PRIMARY KEY, message_id text NOT NULL,"
          + " seq bigint NOT NULL, created_at bigint NOT NULL, published_at bigint NOT NULL,"
          + " applied_at bigint NOT NULL)";

  static final String INSERT_ORDER =
      "INSERT INTO rel_orders (seq, message_id, kind, created_at, msg_key, key_commit)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  static final String ORDER_EXISTS = "SELECT count(*) FROM rel_orders WHERE seq = ?";

  static final String INSERT_EFFECT =
      "INSERT INTO rel_effects (message_id, seq, created_at, published_at, applied_at)"
          + " VALUES (?, ?, ?, ?, ?)";

  static final String COMMITTED = "SELECT message_id, kind FROM rel_orders";

  static final String COMMITTED_COUNT = "SELECT count(*) FROM rel_orders";

  static final String APPLIED_DISTINCT = "SELECT count(DISTINCT message_id) FROM rel_effects";

  static final String EFFECTS =
      "SELECT message_id, created_at, published_at, applied_at FROM rel_effects ORDER BY id";

  static final String PENDING = "SELECT count(*) FROM rel_outbox";

  static final String PARKED = "SELECT count(*) FROM rel_outbox_parked";

  /** Terminates the sessions whose application name starts with the given prefix. */
  static final String TERMINATE_BY_APPLICATION =
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE application_name LIKE ? AND pid <> pg_backend_pid()";
}
