package dev.backstop.samples;

/**
 * Every SQL statement of the samples, in one place (PostgreSQL). The outbox and idempotency tables
 * belong to their modules and are created by them. Constants only: thread-safe.
 */
public final class SampleSql {

  private SampleSql() {}

  /** The order service's table. */
  public static final String CREATE_ORDERS =
      """
      CREATE TABLE IF NOT EXISTS orders (
          id           VARCHAR(40)  PRIMARY KEY,
          customer     VARCHAR(100) NOT NULL,
          amount_cents BIGINT       NOT NULL,
          card         VARCHAR(19)  NOT NULL,
          created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
      )""";

  /**
   * The payment service's table. {@code order_id} is deliberately not unique: the idempotency
   * store, not a constraint, keeps a redelivered order from being paid twice, and the demo counts
   * any duplicate that slips through.
   */
  public static final String CREATE_PAYMENTS =
      """
      CREATE TABLE IF NOT EXISTS payments (
          id           BIGSERIAL    PRIMARY KEY,
          order_id     VARCHAR(40)  NOT NULL,
          charge_id    VARCHAR(40)  NOT NULL,
          amount_cents BIGINT       NOT NULL,
          paid_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
      )""";

  public static final String INSERT_ORDER =
      "INSERT INTO orders (id, customer, amount_cents, card) VALUES (?, ?, ?, ?)";

  public static final String INSERT_PAYMENT =
      "INSERT INTO payments (order_id, charge_id, amount_cents) VALUES (?, ?, ?)";

  /** Each order with the number of payments applied for it. */
  public static final String ORDERS_WITH_PAYMENTS =
      """
      SELECT o.id, o.card, (SELECT count(*) FROM payments p WHERE p.order_id = o.id) AS paid
      FROM orders o ORDER BY o.id""";

  /** Payments beyond the first of an order: duplicates applied. */
  public static final String DUPLICATE_PAYMENTS =
      "SELECT count(*) - count(DISTINCT order_id) FROM payments";

  /** Orders with at least one payment. */
  public static final String PAID_ORDERS = "SELECT count(DISTINCT order_id) FROM payments";

  public static final String CREATE_SCHEMA = "CREATE SCHEMA %s";
}
