package dev.backstop.outbox.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.Tracing;
import dev.backstop.outbox.OutboxMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * {@link OutboxTracing} through OpenTelemetry, after its messaging conventions; context travels as
 * the W3C {@code traceparent}/{@code tracestate} headers of the row and of the record. Thread-safe.
 */
final class OtelOutboxTracing implements OutboxTracing {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;

  private OtelOutboxTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  static OutboxTracing create(Object openTelemetry) {
    return new OtelOutboxTracing(((OpenTelemetry) openTelemetry).getTracer(Tracing.SCOPE));
  }

  @Override
  public OutboxMessage send(OutboxMessage message) {
    Map<String, String> carrier = context(message.headers());
    Context parent =
        carrier.containsKey(BackstopHeaders.TRACEPARENT)
            ? W3C.extract(Context.root(), carrier, GETTER)
            : Context.current();
    Span span = start("send", message.topic(), "create", parent);
    try {
      Map<String, String> out = new HashMap<>();
      W3C.inject(parent.with(span), out, Map::put);
      return new OutboxMessage(
          message.topic(), message.key(), message.value(), replace(message.headers(), out));
    } finally {
      span.end();
    }
  }

  @Override
  public List<Header> publish(String topic, List<Header> headers) {
    Context parent = W3C.extract(Context.root(), context(headers), GETTER);
    Span span = start("publish", topic, "send", parent);
    try {
      Map<String, String> out = new HashMap<>();
      W3C.inject(parent.with(span), out, Map::put);
      return replace(headers, out);
    } finally {
      span.end();
    }
  }

  private Span start(String operation, String topic, String type, Context parent) {
    return tracer
        .spanBuilder(Tracing.spanName(operation, topic))
        .setSpanKind(SpanKind.PRODUCER)
        .setParent(parent)
        .setAttribute(Tracing.MESSAGING_SYSTEM, Tracing.KAFKA)
        .setAttribute(Tracing.DESTINATION, topic)
        .setAttribute(Tracing.OPERATION_TYPE, type)
        .setAttribute(Tracing.OPERATION_NAME, operation)
        .startSpan();
  }

  /** {@code headers} with the trace context headers of {@code context} in place of their own. */
  private static List<Header> replace(List<Header> headers, Map<String, String> context) {
    List<Header> replaced = new ArrayList<>();
    for (Header header : headers) {
      if (!context.containsKey(header.key())) {
        replaced.add(header);
      }
    }
    context.forEach(
        (key, value) ->
            replaced.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8))));
    return replaced;
  }

  /** The trace context headers among {@code headers}, as text. */
  private static Map<String, String> context(List<Header> headers) {
    Map<String, String> carrier = new HashMap<>();
    for (Header header : headers) {
      if ((header.key().equals(BackstopHeaders.TRACEPARENT)
              || header.key().equals(BackstopHeaders.TRACESTATE))
          && header.value() != null) {
        carrier.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return carrier;
  }
}
