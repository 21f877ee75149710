package dev.backstop.dlq.internal;

import dev.backstop.core.Tracing;
import dev.backstop.dlq.DeadLetter;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of a replay. The no-op default keeps OpenTelemetry optional; {@link OtelReplayTracing}
 * is the only class of this module that references it. Thread-safe.
 */
public interface ReplayTracing {

  /**
   * Starts the span of one replayed dead letter, a child of the caller's current context and linked
   * to the dead letter's own trace (its {@code traceparent}: the write of the dead letter), and
   * writes the span's context into {@code headers}, the replayed record's.
   */
  default Send replay(DeadLetter letter, String target, Headers headers) {
    return Send.NONE;
  }

  /** The span of one replayed record; ends when the broker answered. */
  @FunctionalInterface
  interface Send {
    /** The broker acknowledged ({@code error} null) or refused the send. */
    void acknowledged(Throwable error);

    Send NONE = error -> {};
  }

  ReplayTracing NONE = new ReplayTracing() {};

  /** Spans through {@code openTelemetry}, or none when it is null. */
  static ReplayTracing of(Object openTelemetry) {
    if (openTelemetry == null) {
      return NONE;
    }
    Tracing.requireOpenTelemetry(openTelemetry);
    return OtelReplayTracing.create(openTelemetry);
  }

  /**
   * {@code GlobalOpenTelemetry.get()} when the API is on the class path (the instance of the Java
   * agent, or of whoever set it; a no-op one otherwise), else null.
   */
  static Object globalOpenTelemetry() {
    return Tracing.openTelemetryPresent() ? OtelReplayTracing.global() : null;
  }
}
