package dev.backstop.dlq.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.Tracing;
import dev.backstop.dlq.DeadLetter;
import io.opentelemetry.api.GlobalOpenTelemetry;
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
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * {@link ReplayTracing} through OpenTelemetry, after its messaging conventions, with W3C {@code
 * traceparent} headers. Thread-safe.
 */
final class OtelReplayTracing implements ReplayTracing {

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

  private final Tracer tracer;

  private OtelReplayTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  static ReplayTracing create(Object openTelemetry) {
    return new OtelReplayTracing(((OpenTelemetry) openTelemetry).getTracer(Tracing.SCOPE));
  }

  static Object global() {
    return GlobalOpenTelemetry.get();
  }

  @Override
  public Send replay(DeadLetter letter, String target, Headers headers) {
    SpanContext original =
        Span.fromContext(W3C.extract(Context.root(), headers, GETTER)).getSpanContext();
    SpanBuilder builder =
        tracer
            .spanBuilder(Tracing.spanName("replay", target))
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(Context.current())
            .setAttribute(Tracing.MESSAGING_SYSTEM, Tracing.KAFKA)
            .setAttribute(Tracing.DESTINATION, target)
            .setAttribute(Tracing.OPERATION_TYPE, "send")
            .setAttribute(Tracing.OPERATION_NAME, "replay")
            .setAttribute("backstop.dead-letter", letter.address().toString());
    MessageHeaders.string(headers, BackstopHeaders.MESSAGE_ID)
        .toOptional()
        .ifPresent(id -> builder.setAttribute(Tracing.MESSAGE_ID, id));
    MessageHeaders.longValue(headers, BackstopHeaders.REPLAY_COUNT)
        .toOptional()
        .ifPresent(count -> builder.setAttribute(Tracing.REPLAY_COUNT, count));
    if (original.isValid()) {
      builder.addLink(original, Attributes.of(LINK_KIND, Tracing.LINK_DEAD_LETTER));
    }
    Span span = builder.startSpan();
    headers.remove(BackstopHeaders.TRACEPARENT);
    headers.remove(BackstopHeaders.TRACESTATE);
    W3C.inject(Context.root().with(span), headers, (c, k, v) -> MessageHeaders.set(c, k, v));
    return error -> {
      if (error != null) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getName());
      }
      span.end();
    };
  }
}
