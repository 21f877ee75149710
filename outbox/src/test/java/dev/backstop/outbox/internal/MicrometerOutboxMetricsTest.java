package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.outbox.OutboxMetricNames;
import dev.backstop.outbox.OutboxMetrics;
import dev.backstop.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MicrometerOutboxMetricsTest {

  @Test
  @SuppressWarnings("try") // the meters live while the resource is open
  void oldestPendingAgeIsTakenOnTheInjectedClock() {
    Instant oldest = Instant.parse("2030-01-01T00:00:00Z");
    ManualClock clock = ManualClock.at(oldest.plusSeconds(42));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backlog.Snapshot snapshot = new Backlog.Snapshot(3, oldest, 0, oldest, null);
    try (OutboxMetrics metrics = relayMetrics(registry, () -> snapshot, () -> 16, clock)) {
      assertThat(age(registry)).isEqualTo(42.0);
      clock.advance(Duration.ofSeconds(8));
      assertThat(age(registry)).isEqualTo(50.0);
    }
  }

  @Test
  void countsEveryFailureKindTheRelayReports() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backlog.Snapshot snapshot = new Backlog.Snapshot(0, null, 0, Instant.EPOCH, null);
    try (OutboxMetrics metrics =
        relayMetrics(registry, () -> snapshot, () -> 0, ManualClock.at(Instant.EPOCH))) {
      metrics.failure("unexpected");
      assertThat(
              registry.get(OutboxMetricNames.FAILURES).tag("kind", "unexpected").counter().count())
          .isEqualTo(1.0);
    }
  }

  /** The metrics of relay r1 with its backlog gauges, as the relay registers them. */
  private static OutboxMetrics relayMetrics(
      SimpleMeterRegistry registry,
      Supplier<Backlog.Snapshot> backlog,
      IntSupplier lanesOwned,
      Clock clock) {
    OutboxMetrics metrics = OutboxMetrics.micrometer(registry).forRelay("r1");
    metrics.backlog(
        () -> backlog.get().pending(),
        () -> backlog.get().oldestAge(clock.instant()).toMillis() / 1000.0,
        () -> backlog.get().parked(),
        lanesOwned);
    return metrics;
  }

  private static double age(SimpleMeterRegistry registry) {
    return registry.get(OutboxMetricNames.OLDEST_PENDING_AGE).tag("relay", "r1").gauge().value();
  }
}
