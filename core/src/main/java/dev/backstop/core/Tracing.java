package dev.backstop.core;

/**
 * The names Backstop's OpenTelemetry spans use, after the OpenTelemetry messaging semantic
 * conventions, and the check that decides whether tracing can run at all. The OpenTelemetry API is
 * an optional dependency of every module: a module references it from one class only, loaded when
 * {@link #openTelemetryPresent()} is true, so without it on the class path nothing traces and
 * nothing fails. Constants and stateless checks; thread-safe.
 */
public final class Tracing {

  /** Instrumentation scope of every Backstop tracer. */
  public static final String SCOPE = "dev.backstop";

  /** {@code kafka}, the value of {@link #MESSAGING_SYSTEM}. */
  public static final String KAFKA = "kafka";

  /** Attribute: the messaging system, always {@link #KAFKA}. */
  public static final String MESSAGING_SYSTEM = "messaging.system";

  /** Attribute: the topic a record was consumed from or sent to. */
  public static final String DESTINATION = "messaging.destination.name";

  /** Attribute: the partition, as a decimal string. */
  public static final String PARTITION = "messaging.destination.partition.id";

  /** Attribute: the record's offset, on consumer spans. */
  public static final String OFFSET = "messaging.kafka.offset";

  /** Attribute: the consumer group. */
  public static final String CONSUMER_GROUP = "messaging.consumer.group.name";

  /** Attribute: {@code backstop.message-id}, the id that survives every hop. */
  public static final String MESSAGE_ID = "messaging.message.id";

  /** Attribute: {@code process} on consumer spans, {@code send} on producer spans. */
  public static final String OPERATION_TYPE = "messaging.operation.type";

  /** Attribute: what the span did: {@code process}, {@code retry}, {@code dead-letter}, … */
  public static final String OPERATION_NAME = "messaging.operation.name";

  /** Attribute: the delivery attempt for this group, 1 on the first ({@code backstop.attempt}). */
  public static final String ATTEMPT = "backstop.attempt";

  /** Attribute: the retry tier of a tier attempt or a forward to a tier (1 for the first). */
  public static final String RETRY_TIER = "backstop.retry.tier";

  /** Attribute: what became of a processed record: {@code handled}, {@code retried}, … */
  public static final String OUTCOME = "backstop.outcome";

  /** Attribute: why a record went to the dead-letter topic. */
  public static final String DEAD_LETTER_REASON = "backstop.dead-letter.reason";

  /** Attribute: how often a dead letter has been replayed, counting this replay. */
  public static final String REPLAY_COUNT = "backstop.replay.count";

  /** Attribute of a link: why the span links there ({@link #LINK_PREVIOUS_ATTEMPT}, …). */
  public static final String LINK_KIND = "backstop.link";

  /** Link kind: the attempt that failed before this one. */
  public static final String LINK_PREVIOUS_ATTEMPT = "previous-attempt";

  /** Link kind: the dead letter a replay sent again (the write of it, in its original trace). */
  public static final String LINK_DEAD_LETTER = "dead-letter";

  /** Link kind: the business transaction that wrote an outbox row. */
  public static final String LINK_ORIGIN = "origin";

  private static final String API_CLASS = "io.opentelemetry.api.OpenTelemetry";

  private Tracing() {}

  /** Whether the OpenTelemetry API is on the class path. */
  public static boolean openTelemetryPresent() {
    try {
      Class.forName(API_CLASS, false, Tracing.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Checks a value given as an {@code io.opentelemetry.api.OpenTelemetry} (builders take it as an
   * {@code Object} so the API stays optional).
   *
   * @throws IllegalArgumentException when the API is absent or {@code openTelemetry} is not an
   *     {@code OpenTelemetry}
   */
  public static void requireOpenTelemetry(Object openTelemetry) {
    if (!openTelemetryPresent()) {
      throw new IllegalArgumentException(
          "an OpenTelemetry instance was given but the OpenTelemetry API"
              + " (io.opentelemetry:opentelemetry-api) is not on the class path");
    }
    try {
      Class<?> api = Class.forName(API_CLASS, false, Tracing.class.getClassLoader());
      if (!api.isInstance(openTelemetry)) {
        throw new IllegalArgumentException(
            "openTelemetry must be an "
                + API_CLASS
                + ", was "
                + openTelemetry.getClass().getName());
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the OpenTelemetry API vanished from the class path", e);
    }
  }

  /** A span name after the conventions: {@code "<operation> <destination>"}. */
  public static String spanName(String operation, String destination) {
    return operation + " " + destination;
  }
}
