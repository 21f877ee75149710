package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * One message from the business transaction to its success, through the outbox and two retry tiers,
 * is one trace: the business span, the outbox's send (in the transaction) and publish, each attempt
 * and each forward, every span a child of the one before it on the way.
 */
@BackstopKafka
@BackstopDatabase
@SuppressWarnings("try") // the relay and the span's scope are held open, not used, in their blocks
class PipelineTracingIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void aMessageWrittenThroughTheOutboxThatFailsTwiceIsOneTraceFromTheWriteToTheSuccess(
      KafkaBroker broker, TestDatabase db) {
    broker.createTopic("traced-orders", 2);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build()) {
      Jdbi jdbi = Jdbi.create(db.dataSource());
      OutboxConfig outboxConfig =
          OutboxConfig.builder()
              .tablePrefix("tr_")
              .autoCreateSchema(true)
              .kafka("bootstrap.servers", broker.bootstrapServers())
              .build();
      AtomicInteger calls = new AtomicInteger();
      ReliableConsumerConfig retryConfig =
          ReliableConsumerConfig.builder()
              .groupId("traced-payments")
              .topics("traced-orders")
              .createTopics(true)
              .tiers(Duration.ofMillis(300), Duration.ofMillis(300))
              .jitter(0)
              .pollTimeout(Duration.ofMillis(200))
              .bootstrapServers(broker.bootstrapServers())
              .build();
      String businessTrace;
      try (Outbox outbox =
              Outbox.builder(outboxConfig).dataSource(db.dataSource()).openTelemetry(otel).build();
          OutboxRelay relay = outbox.startRelay();
          ReliableConsumer consumer =
              ReliableConsumer.builder(retryConfig)
                  .handler(
                      record -> {
                        if (calls.incrementAndGet() <= 2) {
                          throw new IllegalStateException("payment service busy");
                        }
                      })
                  .openTelemetry(otel)
                  .build()) {
        consumer.start();
        Span business = otel.getTracer("shop").spanBuilder("place order").startSpan();
        try (Scope ignored = business.makeCurrent()) {
          jdbi.useTransaction(
              h ->
                  outbox.send(
                      h,
                      OutboxMessage.of(
                          "traced-orders", "o-1", "paid?".getBytes(StandardCharsets.UTF_8))));
        } finally {
          business.end();
        }
        businessTrace = business.getSpanContext().getTraceId();
        await().atMost(DEADLINE).until(() -> calls.get() == 3);
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    exporter.getFinishedSpanItems().stream()
                            .filter(s -> s.getName().startsWith("process "))
                            .count()
                        == 3);
      }
      List<SpanData> spans = exporter.getFinishedSpanItems();
      Map<String, SpanData> byId =
          spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
      assertThat(spans)
          .as("every span of the message is in the business trace")
          .allMatch(s -> s.getTraceId().equals(businessTrace));
      SpanData send = only(spans, "send traced-orders");
      SpanData publish = only(spans, "publish traced-orders");
      assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(byId.get(send.getParentSpanId()).getName()).isEqualTo("place order");
      assertThat(publish.getParentSpanId()).isEqualTo(send.getSpanId());
      List<SpanData> attempts =
          spans.stream()
              .filter(s -> s.getName().startsWith("process "))
              .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
              .toList();
      assertThat(attempts).hasSize(3);
      assertThat(attempts.get(0).getName()).isEqualTo("process traced-orders");
      assertThat(attempts.get(0).getParentSpanId())
          .as("the first attempt is a child of the relay's publish")
          .isEqualTo(publish.getSpanId());
      for (int i = 1; i < 3; i++) {
        SpanData forward = byId.get(attempts.get(i).getParentSpanId());
        assertThat(forward).as("attempt %d has a forward as parent", i + 1).isNotNull();
        assertThat(forward.getName()).startsWith("retry traced-orders.retry.");
        assertThat(forward.getParentSpanId()).isEqualTo(attempts.get(i - 1).getSpanId());
        String before = attempts.get(i - 1).getSpanId();
        assertThat(attempts.get(i).getLinks())
            .as("attempt %d links to the attempt before", i + 1)
            .anyMatch(l -> l.getSpanContext().getSpanId().equals(before));
      }
    }
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named %s", name).hasSize(1);
    return named.get(0);
  }
}
