package dev.backstop.dlq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.core.Tracing;
import dev.backstop.retry.Action;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dead letter replayed by the command line: the replay is a span of its own, linked to the dead
 * letter's original trace, and the replayed record is processed as its child. The CLI traces
 * through {@link GlobalOpenTelemetry}, which this test sets.
 */
@BackstopKafka
class ReplayTracingIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey(Tracing.MESSAGE_ID);
  private static final AttributeKey<String> LINK = AttributeKey.stringKey(Tracing.LINK_KIND);

  /** What the handler throws while the order cannot be applied. */
  static final class OrderRejectedException extends RuntimeException {
    OrderRejectedException(String message) {
      super(message);
    }
  }

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  @AfterEach
  void resetGlobal() {
    GlobalOpenTelemetry.resetForTest();
    otel.close();
  }

  private Optional<SpanData> span(String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .reduce((first, later) -> later);
  }

  @Test
  void aReplayedDeadLetterIsASpanLinkedToItsOriginalTrace(KafkaBroker broker) {
    broker.createTopic("traced-orders", 1);
    String id = MessageId.generate().toString();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      RecordHeaders headers = new RecordHeaders();
      MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
      MessageHeaders.set(
          headers, BackstopHeaders.TRACEPARENT, "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
      producer.send(
          new ProducerRecord<>(
              "traced-orders", null, "k".getBytes(UTF_8), "order".getBytes(UTF_8), headers));
    }
    AtomicBoolean rejecting = new AtomicBoolean(true);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("traced-orders-group")
            .topics("traced-orders")
            .createTopics(true)
            .tiers(Duration.ofSeconds(1))
            .pollTimeout(Duration.ofMillis(200))
            .bootstrapServers(broker.bootstrapServers())
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  if (rejecting.get()) {
                    throw new OrderRejectedException("rejected");
                  }
                })
            .rule(ErrorRule.on(OrderRejectedException.class, Action.DEAD_LETTER))
            .openTelemetry(otel)
            .build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> span("dead-letter traced-orders.dlq").isPresent());
      SpanData deadLetterWrite = span("dead-letter traced-orders.dlq").orElseThrow();
      assertThat(deadLetterWrite.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(deadLetterWrite.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(deadLetterWrite.getAttributes().get(MESSAGE_ID)).isEqualTo(id);

      rejecting.set(false);
      // an earlier CLI run in this JVM read the global already, which fixes it to a no-op
      GlobalOpenTelemetry.resetForTest();
      GlobalOpenTelemetry.set(otel);
      Cli.Result result =
          Cli.run(
              "dlq",
              "replay",
              "traced-orders.dlq",
              "--bootstrap-server",
              broker.bootstrapServers());
      assertThat(result.exit()).as(result.err()).isZero();

      await().atMost(DEADLINE).until(() -> span("replay traced-orders").isPresent());
      SpanData replay = span("replay traced-orders").orElseThrow();
      assertThat(replay.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(replay.getAttributes().get(MESSAGE_ID)).isEqualTo(id);
      assertThat(replay.getParentSpanContext().isValid())
          .as("the command line starts a trace of its own")
          .isFalse();
      List<LinkData> links = replay.getLinks();
      assertThat(links).hasSize(1);
      assertThat(links.get(0).getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
      assertThat(links.get(0).getSpanContext().getSpanId()).isEqualTo(deadLetterWrite.getSpanId());
      assertThat(links.get(0).getAttributes().get(LINK)).isEqualTo(Tracing.LINK_DEAD_LETTER);

      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  exporter.getFinishedSpanItems().stream()
                      .anyMatch(
                          s ->
                              s.getName().equals("process traced-orders")
                                  && s.getParentSpanId().equals(replay.getSpanId())));
    }
  }
}
