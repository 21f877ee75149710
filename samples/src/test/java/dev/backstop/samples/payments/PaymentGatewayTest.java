package dev.backstop.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import dev.backstop.samples.SampleProperties;
import dev.backstop.samples.orders.OrderPlaced;
import dev.backstop.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PaymentGatewayTest {

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-27T00:00:00Z"));
  private final OrderPlaced order = new OrderPlaced("order-1", "ada", 1200, "4242424242424242");

  private PaymentGateway gateway(Map<String, String> settings) {
    return PaymentGateway.create(
        SampleProperties.load("payment-service.properties", null, settings), clock);
  }

  @Test
  void refusesEveryChargeWhileDownAndChargesOnceBackUp() throws Exception {
    PaymentGateway gateway =
        gateway(
            Map.of(
                "sample.gateway.fail-once-percent", "0", "sample.gateway.fail-twice-percent", "0"));
    gateway.goDown(Duration.ofSeconds(5));

    assertThatThrownBy(() -> gateway.charge("k1", order))
        .isInstanceOf(GatewayUnavailableException.class)
        .hasMessageContaining("order-1");
    clock.advance(Duration.ofSeconds(5));

    assertThat(gateway.isDown()).isFalse();
    assertThat(gateway.charge("k1", order)).isEqualTo(gateway.charge("k1", order));
    assertThat(gateway.charges()).isEqualTo(1);
    assertThat(gateway.refused()).isEqualTo(1);
  }

  @Test
  void declinesAListedCardOnEveryAttempt() {
    PaymentGateway gateway = gateway(Map.of());
    OrderPlaced poison = new OrderPlaced("order-2", "ada", 1200, "4000000000000002");

    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> gateway.charge("k2", poison))
          .isInstanceOf(PaymentDeclinedException.class)
          .hasMessage("Card ending 0002 declined for order-2 (do_not_honor): retrying cannot help");
    }
  }

  @Test
  void aKeyThatTimesOutSucceedsAfterItsPlannedFailures() throws Exception {
    PaymentGateway gateway =
        gateway(
            Map.of(
                "sample.gateway.fail-once-percent",
                "100",
                "sample.gateway.fail-twice-percent",
                "100"));

    assertThatThrownBy(() -> gateway.charge("k3", order))
        .isInstanceOf(GatewayTimeoutException.class);
    assertThatThrownBy(() -> gateway.charge("k3", order))
        .isInstanceOf(GatewayTimeoutException.class);
    assertThat(gateway.charge("k3", order)).startsWith("ch_");
    assertThat(gateway.timeouts()).isEqualTo(2);
  }

  @Test
  void callsRefusedDuringAnOutageCountAsTheFirstFailures() throws Exception {
    PaymentGateway gateway =
        gateway(
            Map.of(
                "sample.gateway.fail-once-percent", "100",
                "sample.gateway.fail-twice-percent", "100"));
    gateway.goDown(Duration.ofSeconds(1));

    assertThatThrownBy(() -> gateway.charge("k4", order))
        .isInstanceOf(GatewayUnavailableException.class);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> gateway.charge("k4", order))
        .isInstanceOf(GatewayTimeoutException.class)
        .hasMessage("Payment gateway timed out charging order-1 (attempt 2)");
    assertThat(gateway.charge("k4", order)).startsWith("ch_");
  }

  @Test
  void timesOutRoughlyTheConfiguredShareOfKeys() {
    PaymentGateway gateway = gateway(Map.of("sample.gateway.fail-once-percent", "10"));

    long failed =
        IntStream.range(0, 2000)
            .filter(
                i -> {
                  try {
                    gateway.charge("key-" + i, order);
                    return false;
                  } catch (Exception e) {
                    return true;
                  }
                })
            .count();

    assertThat(failed).isBetween(100L, 300L);
  }

  @Test
  void rejectsMoreDoubleThanSingleTimeouts() {
    assertThatThrownBy(
            () ->
                gateway(
                    Map.of(
                        "sample.gateway.fail-once-percent", "5",
                        "sample.gateway.fail-twice-percent", "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value 10 for sample.gateway.fail-twice-percent: must be at most"
                + " sample.gateway.fail-once-percent");
  }
}
