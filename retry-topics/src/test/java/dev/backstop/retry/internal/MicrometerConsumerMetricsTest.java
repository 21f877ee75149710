package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.RetryMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerConsumerMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void theNewestConsumerOfAGroupOwnsTheCircuitGauge() {
    ConsumerMetrics first = ConsumerMetrics.micrometer(registry).forGroup("payments");
    first.circuit(() -> 0);
    ConsumerMetrics second = ConsumerMetrics.micrometer(registry).forGroup("payments");
    second.circuit(() -> 2);

    assertThat(gauge("payments").value()).isEqualTo(2.0);
    first.close();
    assertThat(gauge("payments").value())
        .as("closing an older consumer leaves the newer one's gauge")
        .isEqualTo(2.0);
    second.close();
    assertThat(registry.find(RetryMetricNames.CIRCUIT_STATE).gauge()).isNull();
  }

  @Test
  void closingAConsumerThenBuildingAnotherShowsTheNewState() {
    ConsumerMetrics first = ConsumerMetrics.micrometer(registry).forGroup("payments");
    first.circuit(() -> 0);
    first.close();
    ConsumerMetrics second = ConsumerMetrics.micrometer(registry).forGroup("payments");
    second.circuit(() -> 1);

    assertThat(gauge("payments").value()).isEqualTo(1.0);
  }

  @Test
  void groupsKeepTheirOwnGauges() {
    ConsumerMetrics payments = ConsumerMetrics.micrometer(registry).forGroup("payments");
    payments.circuit(() -> 2);
    ConsumerMetrics refunds = ConsumerMetrics.micrometer(registry).forGroup("refunds");
    refunds.circuit(() -> 1);
    refunds.close();

    assertThat(gauge("payments").value()).isEqualTo(2.0);
    assertThat(
            registry
                .find(RetryMetricNames.CIRCUIT_STATE)
                .tag(RetryMetricNames.TAG_GROUP, "refunds")
                .gauge())
        .isNull();
  }

  @Test
  void countersCarryTheDocumentedNamesAndTags() {
    ConsumerMetrics metrics = ConsumerMetrics.micrometer(registry).forGroup("payments");
    metrics.retried("orders.retry.1s");
    metrics.deadLettered("orders.dlq");

    assertThat(
            registry
                .get(RetryMetricNames.RETRIED)
                .tag(RetryMetricNames.TAG_GROUP, "payments")
                .tag(RetryMetricNames.TAG_TIER, "orders.retry.1s")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get(RetryMetricNames.DEAD_LETTERED)
                .tag(RetryMetricNames.TAG_TOPIC, "orders.dlq")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  private Gauge gauge(String group) {
    return registry
        .get(RetryMetricNames.CIRCUIT_STATE)
        .tag(RetryMetricNames.TAG_GROUP, group)
        .gauge();
  }
}
