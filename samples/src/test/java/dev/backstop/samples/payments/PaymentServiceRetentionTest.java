package dev.backstop.samples.payments;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.samples.SampleProperties;
import dev.backstop.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payment service refuses to start with a retention its own retry tiers outlive. */
class PaymentServiceRetentionTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-27T00:00:00Z"));

  @Test
  void theShippedConfigurationCoversItsRetryPath() {
    SampleProperties properties =
        SampleProperties.load("payment-service.properties", null, Map.of());
    ReliableConsumerConfig retry = ReliableConsumerConfig.from(properties.backstop());

    assertThatCode(
            () ->
                IdempotencyConfig.from(properties.backstop())
                    .requireRetentionCovers(retry.longestRetryPath()))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesToStartWhenTheRequiredRetentionIsShorterThanTheRetryPath() {
    // tiers 1s,3s with jitter 0.1: a record can come back up to 4.4 s after its first handling
    SampleProperties properties =
        SampleProperties.load(
            "payment-service.properties",
            null,
            Map.of(
                "backstop.idempotency.required-retention", "2s",
                "backstop.idempotency.retention", "1m"));
    PaymentGateway gateway = PaymentGateway.create(properties, clock);

    assertThatThrownBy(
            () -> PaymentService.start(properties, null, gateway, new SimpleMeterRegistry(), clock))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "Invalid value 2s for backstop.idempotency.required-retention: must be at least the"
                + " consumer's longest retry path, 4400ms (backstop.retry.tiers");
  }
}
