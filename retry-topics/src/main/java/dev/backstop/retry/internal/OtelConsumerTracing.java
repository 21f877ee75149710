package dev.backstop.retry.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * {@link ConsumerTracing} through OpenTelemetry, after its messaging conventions. Context travels
 * as W3C {@code traceparent}/{@code tracestate} headers whatever propagators the instance has: the
 * header contract names them. Thread-safe.
 */
final class OtelConsumerTracing implements ConsumerTracing {

  private static final AttributeKey<String> LINK_KIND = AttributeKey.stringKey(Tracing.LINK_KIND);

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public String get(Headers carrier, String key) {
          Header header = carrier == null ? null : carrier.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private static final TextMapSetter<Headers> SETTER =
      (carrier, key, value) -> MessageHeaders.set(carrier, key, value);

  private final Tracer tracer;
  private final String group;

  private OtelConsumerTracing(Tracer tracer, String group) {
    this.tracer = tracer;
    this.group = group;
  }

  static ConsumerTracing create(Object openTelemetry, String group) {
    return new OtelConsumerTracing(((OpenTelemetry) openTelemetry).getTracer(Tracing.SCOPE), group);
  }

  @Override
  public Attempt process(ConsumerRecord<byte[], byte[]> raw, Headers headers, int tier) {
    Context parent = W3C.extract(Context.root(), headers, GETTER);
    SpanBuilder builder =
        tracer
            .spanBuilder(Tracing.spanName("process", raw.topic()))
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(parent)
            .setAttribute(Tracing.MESSAGING_SYSTEM, Tracing.KAFKA)
            .setAttribute(Tracing.DESTINATION, raw.topic())
            .setAttribute(Tracing.PARTITION, Integer.toString(raw.partition()))
            .setAttribute(Tracing.OFFSET, raw.offset())
            .setAttribute(Tracing.CONSUMER_GROUP, group)
            .setAttribute(Tracing.OPERATION_TYPE, "process")
            .setAttribute(Tracing.OPERATION_NAME, "process");
    MessageHeaders.string(headers, BackstopHeaders.MESSAGE_ID)
        .toOptional()
        .ifPresent(id -> builder.setAttribute(Tracing.MESSAGE_ID, id));
    MessageHeaders.intValue(headers, BackstopHeaders.ATTEMPT)
        .toOptional()
        .ifPresent(attempt -> builder.setAttribute(Tracing.ATTEMPT, (long) attempt));
    if (tier > 0) {
      builder.setAttribute(Tracing.RETRY_TIER, (long) tier);
    }
    SpanContext previous = previousAttempt(headers);
    if (previous.isValid()) {
      builder.addLink(previous, Attributes.of(LINK_KIND, Tracing.LINK_PREVIOUS_ATTEMPT));
    }
    Span span = builder.startSpan();
    return new OtelAttempt(span, span.makeCurrent());
  }

  /** The context named by {@code backstop.previous-attempt}, or an invalid one. */
  private static SpanContext previousAttempt(Headers headers) {
    Header header = headers.lastHeader(BackstopHeaders.PREVIOUS_ATTEMPT);
    if (header == null || header.value() == null) {
      return SpanContext.getInvalid();
    }
    Map<String, String> carrier =
        Map.of(BackstopHeaders.TRACEPARENT, new String(header.value(), StandardCharsets.UTF_8));
    Context context = W3C.extract(Context.root(), carrier, MapGetter.INSTANCE);
    return Span.fromContext(context).getSpanContext();
  }

  private final class OtelAttempt implements Attempt {
    private final Span span;
    private final Scope scope;

    OtelAttempt(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    @Override
    public void inPlaceFailure(int attempt, Throwable error) {
      span.addEvent(
          "backstop.in-place-failure",
          Attributes.builder()
              .put("backstop.in-place.attempt", (long) attempt)
              .put("exception.type", error.getClass().getName())
              .build());
    }

    @Override
    public void failed(Throwable error) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR, error.getClass().getName());
    }

    @Override
    public Send forward(String topic, String operation, Headers headers, int tier, String reason) {
      SpanBuilder builder =
          tracer
              .spanBuilder(Tracing.spanName(operation, topic))
              .setSpanKind(SpanKind.PRODUCER)
              .setParent(Context.root().with(span))
              .setAttribute(Tracing.MESSAGING_SYSTEM, Tracing.KAFKA)
              .setAttribute(Tracing.DESTINATION, topic)
              .setAttribute(Tracing.CONSUMER_GROUP, group)
              .setAttribute(Tracing.OPERATION_TYPE, "send")
              .setAttribute(Tracing.OPERATION_NAME, operation);
      MessageHeaders.string(headers, BackstopHeaders.MESSAGE_ID)
          .toOptional()
          .ifPresent(id -> builder.setAttribute(Tracing.MESSAGE_ID, id));
      if (tier > 0) {
        builder.setAttribute(Tracing.RETRY_TIER, (long) tier);
      }
      if (reason != null) {
        builder.setAttribute(Tracing.DEAD_LETTER_REASON, reason);
      }
      Span send = builder.startSpan();
      Map<String, String> own = new HashMap<>();
      W3C.inject(Context.root().with(span), own, Map::put);
      MessageHeaders.set(headers, BackstopHeaders.PREVIOUS_ATTEMPT, own.get("traceparent"));
      headers.remove(BackstopHeaders.TRACEPARENT);
      headers.remove(BackstopHeaders.TRACESTATE);
      W3C.inject(Context.root().with(send), headers, SETTER);
      return error -> {
        if (error != null) {
          send.recordException(error);
          send.setStatus(StatusCode.ERROR, error.getClass().getName());
        }
        send.end();
      };
    }

    @Override
    public String traceId() {
      return span.getSpanContext().getTraceId();
    }

    @Override
    public String spanId() {
      return span.getSpanContext().getSpanId();
    }

    @Override
    public void end(String outcome) {
      span.setAttribute(Tracing.OUTCOME, outcome);
      scope.close();
      span.end();
    }
  }

  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
