package dev.backstop.core;

/**
 * Names of the headers every Backstop hop reads and writes (first send, retry tier, dead letter,
 * replay). Values are UTF-8 strings: numbers in decimal, instants as epoch milliseconds. See {@code
 * docs/core.md} for who sets each header.
 *
 * <p>Thread-safety: constants only.
 */
public final class BackstopHeaders {
  /** Unique id of the message (a UUIDv7), set once at the origin; the deduplication key. */
  public static final String MESSAGE_ID = "backstop.message-id";

  /** When the origin created the message (epoch millis). */
  public static final String CREATED_AT = "backstop.created-at";

  /** Delivery attempt for the consuming group, 1 on the first delivery. */
  public static final String ATTEMPT = "backstop.attempt";

  /** Topic where the message was first consumed; written once, at the first failure. */
  public static final String ORIGINAL_TOPIC = "backstop.original.topic";

  /** Partition where the message was first consumed; written once. */
  public static final String ORIGINAL_PARTITION = "backstop.original.partition";

  /** Offset where the message was first consumed; written once. */
  public static final String ORIGINAL_OFFSET = "backstop.original.offset";

  /** Record timestamp (epoch millis) of the first consumed copy; written once. */
  public static final String ORIGINAL_TIMESTAMP = "backstop.original.timestamp";

  /** Consumer group that failed the message first. */
  public static final String CONSUMER_GROUP = "backstop.consumer-group";

  /** Time of the first failure (epoch millis); written once. */
  public static final String FIRST_FAILED_AT = "backstop.first-failed-at";

  /** Time of the latest failure (epoch millis). */
  public static final String FAILED_AT = "backstop.failed-at";

  /** Class name of the latest error. */
  public static final String ERROR_CLASS = "backstop.error.class";

  /** Message of the latest error, capped at {@link #MAX_ERROR_MESSAGE_BYTES}. */
  public static final String ERROR_MESSAGE = "backstop.error.message";

  /** Stack trace of the latest error, capped at {@link #MAX_STACKTRACE_BYTES}. */
  public static final String ERROR_STACKTRACE = "backstop.error.stacktrace";

  /** Short hash of the root-cause class and first application frame; groups equal failures. */
  public static final String ERROR_FINGERPRINT = "backstop.error.fingerprint";

  /**
   * Number of the retry tier the message was forwarded to, in decimal: {@code 1} for the first tier
   * of its chain, {@code 2} for the second, and so on (the tier topic name carries the delay).
   */
  public static final String RETRY_TIER = "backstop.retry.tier";

  /** Not before this time (epoch millis) may the retry tier process the message. */
  public static final String RETRY_DUE_AT = "backstop.retry.due-at";

  /** How often a dead letter has been replayed. */
  public static final String REPLAY_COUNT = "backstop.replay.count";

  /** Time of the latest replay (epoch millis). */
  public static final String REPLAYED_AT = "backstop.replayed-at";

  /**
   * W3C trace context: passed through unchanged, or, when tracing is on, replaced on each forward
   * and replay by the context of the span that sent the record.
   */
  public static final String TRACEPARENT = "traceparent";

  /** W3C trace state, passed through unchanged (or replaced beside {@link #TRACEPARENT}). */
  public static final String TRACESTATE = "tracestate";

  /**
   * W3C {@code traceparent} of the span of the consumer attempt that failed last; the next
   * attempt's span links to it. Written on each forward when tracing is on.
   */
  public static final String PREVIOUS_ATTEMPT = "backstop.previous-attempt";

  /** Cap on the UTF-8 size of {@link #ERROR_MESSAGE}. */
  public static final int MAX_ERROR_MESSAGE_BYTES = 1024;

  /** Cap on the UTF-8 size of {@link #ERROR_STACKTRACE}. */
  public static final int MAX_STACKTRACE_BYTES = 8192;

  private BackstopHeaders() {}
}
