package dev.backstop.samples;

import dev.backstop.core.Durations;
import dev.backstop.idempotency.IdempotencyMetricNames;
import dev.backstop.outbox.OutboxMetricNames;
import dev.backstop.retry.RetryMetricNames;
import dev.backstop.samples.orders.OrderService;
import dev.backstop.samples.payments.PaymentGateway;
import dev.backstop.samples.payments.PaymentService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the demo's figures from the modules' Micrometer meters (names from {@link
 * OutboxMetricNames}, {@link IdempotencyMetricNames} and {@link RetryMetricNames}), the payment
 * service's health and the gateway. Thread-safe.
 */
final class Monitor {

  private final MeterRegistry registry;
  private final OrderService orders;
  private final PaymentService payments;
  private final PaymentGateway gateway;
  private final Clock clock;
  private final Instant start;

  Monitor(
      MeterRegistry registry,
      OrderService orders,
      PaymentService payments,
      PaymentGateway gateway,
      Clock clock) {
    this.registry = registry;
    this.orders = orders;
    this.payments = payments;
    this.gateway = gateway;
    this.clock = clock;
    this.start = clock.instant();
  }

  Snapshot snapshot() {
    return new Snapshot(
        elapsed(),
        orders.created(),
        count(OutboxMetricNames.PUBLISHED),
        count(IdempotencyMetricNames.CLAIMED),
        duplicates(),
        count(RetryMetricNames.DUPLICATES),
        retried(),
        count(RetryMetricNames.DEAD_LETTERED),
        circuit(),
        gatewayState(),
        payments.latency(50),
        payments.latency(99));
  }

  Duration elapsed() {
    return Duration.between(start, clock.instant());
  }

  long duplicates() {
    return count(IdempotencyMetricNames.DUPLICATES);
  }

  String circuit() {
    return String.valueOf(payments.health().details().getOrDefault("circuit", "UNKNOWN"));
  }

  private String gatewayState() {
    if (gateway.isDown()) {
      return "DOWN, back in " + Dashboard.duration(gateway.downFor());
    }
    return "up";
  }

  private Map<String, Long> retried() {
    Map<String, Long> perTier = new TreeMap<>(Monitor::byDelay);
    for (Counter counter : registry.find(RetryMetricNames.RETRIED).counters()) {
      perTier.merge(
          counter.getId().getTag(RetryMetricNames.TAG_TIER), (long) counter.count(), Long::sum);
    }
    return perTier;
  }

  /**
   * Orders tier topics by their delay ({@code orders.retry.1s} before {@code orders.retry.30s}).
   */
  static int byDelay(String a, String b) {
    int byDelay = Long.compare(delayMillis(a), delayMillis(b));
    return byDelay != 0 ? byDelay : a.compareTo(b);
  }

  private static long delayMillis(String tierTopic) {
    try {
      return Durations.parse(tierTopic.substring(tierTopic.lastIndexOf('.') + 1)).toMillis();
    } catch (IllegalArgumentException e) {
      return Long.MAX_VALUE;
    }
  }

  private long count(String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
