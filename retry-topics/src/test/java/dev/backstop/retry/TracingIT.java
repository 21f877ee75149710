package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.LogContext;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.core.Tracing;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * With an OpenTelemetry instance, one message's attempts, forwards and success form one trace under
 * the producer's {@code traceparent}, each attempt linked to the one before; log lines of the
 * handler carry the ids.
 */
@BackstopKafka
class TracingIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey(Tracing.DESTINATION);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(Tracing.OUTCOME);
  private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey(Tracing.MESSAGE_ID);
  private static final AttributeKey<String> LINK = AttributeKey.stringKey(Tracing.LINK_KIND);

  private final KafkaBroker broker;
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  TracingIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  private static String traceparent(String spanId) {
    return "00-" + TRACE_ID + "-" + spanId + "-01";
  }

  private void send(String topic, String key, String value, String id, String spanId) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      RecordHeaders headers = new RecordHeaders();
      MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
      MessageHeaders.set(headers, BackstopHeaders.TRACEPARENT, traceparent(spanId));
      producer.send(
          new ProducerRecord<>(topic, null, Fixture.bytes(key), Fixture.bytes(value), headers));
      producer.flush();
    }
  }

  private List<SpanData> spans(SpanKind kind) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind)
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .toList();
  }

  /** The "trace/span" ids a span links to. */
  private static List<String> linked(SpanData span) {
    return span.getLinks().stream().map(l -> ids(l.getSpanContext())).toList();
  }

  private static String ids(SpanContext context) {
    return context.getTraceId() + "/" + context.getSpanId();
  }

  @Test
  void aMessageThatFailsTwiceThenSucceedsIsOneTraceOfLinkedAttemptsAndForwards() {
    broker.createTopic("traced", 1);
    String id = MessageId.generate().toString();
    Map<String, String> logged = new ConcurrentHashMap<>();
    AtomicInteger calls = new AtomicInteger();
    ReliableConsumerConfig config =
        Fixture.config(broker, "traced-group", "traced")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(2))
            .jitter(0)
            .inPlaceAttempts(0, Duration.ZERO)
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  int call = calls.incrementAndGet();
                  logged.put("trace " + call, String.valueOf(MDC.get(LogContext.TRACE_ID)));
                  logged.put("id " + call, String.valueOf(MDC.get(LogContext.MESSAGE_ID)));
                  logged.put("topic " + call, String.valueOf(MDC.get(LogContext.TOPIC)));
                  if (call <= 2) {
                    throw new IllegalStateException("transient failure " + call);
                  }
                })
            .openTelemetry(otel)
            .build()) {
      consumer.start();
      send("traced", "k", "order", id, "b7ad6b7169203331");
      await()
          .atMost(DEADLINE)
          .until(
              () -> spans(SpanKind.CONSUMER).size() == 3 && spans(SpanKind.PRODUCER).size() == 2);
    }
    List<SpanData> attempts = spans(SpanKind.CONSUMER);
    List<SpanData> forwards = spans(SpanKind.PRODUCER);
    assertThat(exporter.getFinishedSpanItems())
        .as("one trace, the producer's")
        .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID))
        .allSatisfy(s -> assertThat(s.getAttributes().get(MESSAGE_ID)).isEqualTo(id));

    SpanData first = attempts.get(0);
    assertThat(first.getName()).isEqualTo("process traced");
    assertThat(first.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getAttributes().get(OUTCOME)).isEqualTo("retried");
    assertThat(first.getLinks()).isEmpty();

    SpanData toFirstTier = forwards.get(0);
    assertThat(toFirstTier.getName()).isEqualTo("retry traced.retry.1s");
    assertThat(toFirstTier.getParentSpanId()).isEqualTo(first.getSpanId());
    assertThat(toFirstTier.getAttributes().get(DESTINATION)).isEqualTo("traced.retry.1s");

    SpanData second = attempts.get(1);
    assertThat(second.getName()).isEqualTo("process traced.retry.1s");
    assertThat(second.getParentSpanId()).isEqualTo(toFirstTier.getSpanId());
    assertThat(linked(second)).containsExactly(ids(first.getSpanContext()));
    assertThat(second.getLinks().get(0).getAttributes().get(LINK))
        .isEqualTo(Tracing.LINK_PREVIOUS_ATTEMPT);
    assertThat(second.getAttributes().get(OUTCOME)).isEqualTo("retried");

    SpanData toSecondTier = forwards.get(1);
    assertThat(toSecondTier.getName()).isEqualTo("retry traced.retry.2s");
    assertThat(toSecondTier.getParentSpanId()).isEqualTo(second.getSpanId());

    SpanData success = attempts.get(2);
    assertThat(success.getName()).isEqualTo("process traced.retry.2s");
    assertThat(success.getParentSpanId()).isEqualTo(toSecondTier.getSpanId());
    assertThat(linked(success)).containsExactly(ids(second.getSpanContext()));
    assertThat(success.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(success.getAttributes().get(OUTCOME)).isEqualTo("handled");
    assertThat(success.getAttributes().get(AttributeKey.longKey(Tracing.ATTEMPT))).isEqualTo(3L);

    assertThat(logged)
        .containsEntry("trace 1", TRACE_ID)
        .containsEntry("trace 3", TRACE_ID)
        .containsEntry("id 1", id)
        .containsEntry("id 3", id)
        .containsEntry("topic 1", "traced")
        .containsEntry("topic 3", "traced.retry.2s");
  }

  @Test
  void aRecordHeldBehindItsKeyIsProcessedInItsOwnTrace() {
    broker.createTopic("traced-held", 1);
    String head = MessageId.generate().toString();
    String follower = MessageId.generate().toString();
    AtomicInteger headCalls = new AtomicInteger();
    ReliableConsumerConfig config =
        Fixture.config(broker, "traced-held-group", "traced-held")
            .tiers(Duration.ofSeconds(1))
            .jitter(0)
            .inPlaceAttempts(0, Duration.ZERO)
            .preserveKeyOrder(true)
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  String id =
                      MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID)
                          .orElse("");
                  if (id.equals(head) && headCalls.incrementAndGet() == 1) {
                    throw new IllegalStateException("not yet");
                  }
                })
            .openTelemetry(otel)
            .build()) {
      consumer.start();
      send("traced-held", "k", "first", head, "1111111111111111");
      send("traced-held", "k", "second", follower, "2222222222222222");
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  spans(SpanKind.CONSUMER).stream()
                      .anyMatch(
                          s ->
                              follower.equals(s.getAttributes().get(MESSAGE_ID))
                                  && "handled".equals(s.getAttributes().get(OUTCOME))));
    }
    SpanData followerSpan =
        spans(SpanKind.CONSUMER).stream()
            .filter(s -> follower.equals(s.getAttributes().get(MESSAGE_ID)))
            .filter(s -> "handled".equals(s.getAttributes().get(OUTCOME)))
            .findFirst()
            .orElseThrow();
    assertThat(followerSpan.getParentSpanId())
        .as("the held record's span is a child of its own producer's context")
        .isEqualTo("2222222222222222");
    assertThat(headCalls.get()).isEqualTo(2);
  }
}
