package dev.backstop.outbox;

/**
 * Names of the outbox meters (Micrometer), each tagged {@code relay=<relay id>}. Constants only;
 * thread-safe.
 */
public final class OutboxMetricNames {

  /** Gauge: committed rows not yet acknowledged by Kafka. */
  public static final String PENDING = "backstop.outbox.pending";

  /** Gauge, seconds: age of the oldest pending row; the alerting metric. */
  public static final String OLDEST_PENDING_AGE = "backstop.outbox.oldest.pending.age";

  /** Gauge: rows parked after a permanent rejection. */
  public static final String PARKED = "backstop.outbox.parked";

  /** Gauge: lanes this relay owns. */
  public static final String LANES_OWNED = "backstop.outbox.lanes.owned";

  /** Counter: rows published (acknowledged). */
  public static final String PUBLISHED = "backstop.outbox.published";

  /** Counter: rows parked by this relay. */
  public static final String PARKED_TOTAL = "backstop.outbox.parked.total";

  /**
   * Counter, tag {@code kind=kafka|database|unexpected}: failed relay rounds ({@code unexpected}: a
   * round ended by an error that is neither Kafka's nor the database's, e.g. a bug).
   */
  public static final String FAILURES = "backstop.outbox.failures";

  /** Distribution summary: rows per batch. */
  public static final String BATCH_SIZE = "backstop.outbox.batch.size";

  /** Timer: from a row's insert (before its commit) to the broker's ack. */
  public static final String PUBLISH_LATENCY = "backstop.outbox.publish.latency";

  private OutboxMetricNames() {}
}
