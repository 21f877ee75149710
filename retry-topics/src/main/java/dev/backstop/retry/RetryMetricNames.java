package dev.backstop.retry;

/**
 * Names of the {@link ReliableConsumer} meters (Micrometer) and of their tags. Every meter carries
 * {@link #TAG_GROUP}; the counters add the tag named in their description. Constants only;
 * thread-safe.
 */
public final class RetryMetricNames {

  /**
   * Counter, tag {@link #TAG_TOPIC} (source or tier topic): successful handler calls, duplicates
   * skipped by an idempotent handler excepted.
   */
  public static final String PROCESSED = "backstop.consumer.processed";

  /**
   * Counter, tag {@link #TAG_TOPIC}: handler calls that returned after skipping a duplicate (the
   * handler raised {@link dev.backstop.core.DuplicateSignal}, as the idempotent handler does).
   */
  public static final String DUPLICATES = "backstop.consumer.duplicates";

  /** Counter, tag {@link #TAG_TOPIC}: failed handler calls. */
  public static final String FAILED = "backstop.consumer.failed";

  /** Counter, tag {@link #TAG_TIER} (the tier topic): records forwarded to a retry tier. */
  public static final String RETRIED = "backstop.consumer.retried";

  /** Counter, tag {@link #TAG_TOPIC} (the dead-letter topic): records dead-lettered. */
  public static final String DEAD_LETTERED = "backstop.consumer.dead-lettered";

  /** Counter, tag {@link #TAG_TOPIC}: failures that matched a skip rule. */
  public static final String SKIPPED = "backstop.consumer.skipped";

  /** Timer: how late tier records were handled, actual minus due time. */
  public static final String LATENESS = "backstop.consumer.delay.lateness";

  /**
   * Timer: from {@code backstop.created-at} to each handler call that returned normally, duplicates
   * skipped by an idempotent handler excepted.
   */
  public static final String END_TO_END = "backstop.consumer.end-to-end.latency";

  /** Gauge: circuit state of the newest consumer of the group, 0 closed, 1 half-open, 2 open. */
  public static final String CIRCUIT_STATE = "backstop.consumer.circuit.state";

  /**
   * Gauge, tag {@link #TAG_CONSUMER}: records fetched and not finished (waiting, in flight, or
   * awaiting a forward's acknowledgement); bounded by {@code
   * backstop.consumer.max-buffered-records}.
   */
  public static final String BUFFERED = "backstop.consumer.buffered";

  /** Gauge, tag {@link #TAG_CONSUMER}: handler calls in progress on the workers. */
  public static final String IN_FLIGHT = "backstop.consumer.in-flight";

  /**
   * Counter, tag {@link #TAG_TOPIC} (the source topic): records held behind an earlier record of
   * their key in a retry tier ({@code backstop.retry.key-order=preserve}).
   */
  public static final String HELD = "backstop.consumer.held";

  /** Gauge: keys held behind a record in a retry tier or the dead-letter topic. */
  public static final String HELD_KEYS = "backstop.consumer.held.keys";

  /** Gauge: records waiting behind their key's head (held, not yet handled). */
  public static final String HELD_RECORDS = "backstop.consumer.held.records";

  /**
   * Gauge, tags {@link #TAG_TOPIC} and {@link #TAG_PARTITION}: time lag of one assigned partition,
   * in seconds: how old its oldest unfinished record is (fetched and not yet handled, skipped or
   * forwarded), from the record's timestamp; 0 when every fetched record is finished. On a tier
   * topic it counts from the record's due time instead: how late the tier runs. The counterpart of
   * the outbox's oldest-pending age.
   */
  public static final String LAG = "backstop.consumer.lag.seconds";

  /** Tag on every meter: the consumer group. */
  public static final String TAG_GROUP = "group";

  /** Tag: the topic a counter counts on. */
  public static final String TAG_TOPIC = "topic";

  /** Tag of {@link #LAG}: the partition number. */
  public static final String TAG_PARTITION = "partition";

  /** Tag of {@link #RETRIED}: the tier topic the record was forwarded to. */
  public static final String TAG_TIER = "tier";

  /**
   * Tag of {@link #BUFFERED} and {@link #IN_FLIGHT}: which consumer loop, {@code main} for the
   * source topics or {@code retry-<delay>} for the tier topics of one delay.
   */
  public static final String TAG_CONSUMER = "consumer";

  private RetryMetricNames() {}
}
