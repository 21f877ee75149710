package dev.backstop.retry.internal;

import dev.backstop.core.Tracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of the consumer wrapper. The no-op default keeps OpenTelemetry optional; {@link
 * OtelConsumerTracing} is the only class that references it. Implementations are thread-safe; an
 * {@link Attempt} belongs to the worker thread that started it.
 */
interface ConsumerTracing {

  /**
   * Starts the processing span of {@code raw}, a child of the context in its {@code traceparent}
   * (read from {@code headers}, what the handler sees), linked to the attempt before when the
   * record names one, and makes it current on this thread until {@link Attempt#end}.
   */
  default Attempt process(ConsumerRecord<byte[], byte[]> raw, Headers headers, int tier) {
    return Attempt.NONE;
  }

  /** The span of one processing attempt. */
  interface Attempt {

    /** A quick in-place attempt failed; another follows. */
    default void inPlaceFailure(int attempt, Throwable error) {}

    /** The handler (or the deserializer) failed for good in this attempt. */
    default void failed(Throwable error) {}

    /**
     * Starts the span of a forward to {@code topic} (a tier or the dead-letter topic, by {@code
     * operation}), a child of this attempt, and writes its context into {@code headers} beside the
     * context of this attempt ({@code backstop.previous-attempt}).
     */
    default Send forward(String topic, String operation, Headers headers, int tier, String reason) {
      return Send.NONE;
    }

    /** The trace id for log lines, or null. */
    default String traceId() {
      return null;
    }

    /** The span id for log lines, or null. */
    default String spanId() {
      return null;
    }

    /** Ends the span with the outcome ({@code handled}, {@code retried}, …) and leaves it. */
    default void end(String outcome) {}

    Attempt NONE = new Attempt() {};
  }

  /** The span of one forward; ends when the broker answered. */
  @FunctionalInterface
  interface Send {
    /** The broker acknowledged ({@code error} null) or refused the send. */
    void acknowledged(Throwable error);

    Send NONE = error -> {};
  }

  ConsumerTracing NONE = new ConsumerTracing() {};

  /** Spans through {@code openTelemetry}, or none when it is null. */
  static ConsumerTracing of(Object openTelemetry, String group) {
    if (openTelemetry == null) {
      return NONE;
    }
    Tracing.requireOpenTelemetry(openTelemetry);
    return OtelConsumerTracing.create(openTelemetry, group);
  }
}
