package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wrapper without OpenTelemetry on the class path: it retries, dead-letters and measures as
 * ever, and an instance given anyway fails with a message naming the missing artifact. Runs only in
 * the failsafe execution {@code without-opentelemetry}, whose class path excludes {@code
 * io.opentelemetry:*} (see this module's pom).
 */
@BackstopKafka
class WithoutOpenTelemetryIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KafkaBroker broker;

  WithoutOpenTelemetryIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void theClassPathHasNoOpenTelemetry() {
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void anInstanceGivenWithoutTheApiFailsNamingTheArtifact() {
    ReliableConsumerConfig config =
        Fixture.config(broker, "no-otel-given", "no-otel-given").build();
    assertThatThrownBy(
            () -> ReliableConsumer.builder(config).handler(r -> {}).openTelemetry(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.opentelemetry:opentelemetry-api");
  }

  @Test
  void retriesDeadLettersAndMeasuresWithoutOpenTelemetry() {
    broker.createTopic("no-otel", 1);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) ->
                Fixture.text(record.value()).equals("poison") || previous == 0
                    ? new IllegalStateException("failure " + (previous + 1))
                    : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "no-otel-group", "no-otel").tiers(Duration.ofSeconds(1)).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(handler)
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "no-otel", List.of("order", "poison"));
      await().atMost(DEADLINE).until(() -> handler.succeededIds().contains(ids.get(0)));
      assertThat(broker.readAll("no-otel.dlq", 1, DEADLINE)).hasSize(1);
      assertThat(registry.find(RetryMetricNames.LAG).gauges()).isNotEmpty();
    }
  }
}
