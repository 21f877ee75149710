package dev.backstop.outbox.internal;

import dev.backstop.core.Tracing;
import dev.backstop.outbox.OutboxMessage;
import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * What the outbox traces. The no-op default keeps OpenTelemetry optional; {@link OtelOutboxTracing}
 * is the only class that references it. Implementations are thread-safe.
 */
public interface OutboxTracing {

  /**
   * The message as it is written in the business transaction: a {@code send} span, a child of the
   * message's own {@code traceparent} or else of the current context, whose context the row keeps
   * in its {@code traceparent} header.
   */
  default OutboxMessage send(OutboxMessage message) {
    return message;
  }

  /**
   * The headers of a row as the relay publishes it: a {@code publish} span, a child of the row's
   * {@code traceparent}, whose context replaces it in {@code headers}, so that consumers' spans are
   * its children.
   */
  default List<Header> publish(String topic, List<Header> headers) {
    return headers;
  }

  OutboxTracing NONE = new OutboxTracing() {};

  /** Tracing through {@code openTelemetry}, or none when it is null. */
  static OutboxTracing of(Object openTelemetry) {
    if (openTelemetry == null) {
      return NONE;
    }
    Tracing.requireOpenTelemetry(openTelemetry);
    return OtelOutboxTracing.create(openTelemetry);
  }
}
