package dev.backstop.outbox.internal;

import dev.backstop.outbox.OutboxMetricNames;
import dev.backstop.outbox.OutboxMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The outbox meters in a Micrometer registry, tagged with the relay id; the only class that touches
 * Micrometer, so the outbox runs without it. Thread-safe.
 */
public final class MicrometerOutboxMetrics implements OutboxMetrics {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter published;
  private final Tags tags;
  private final Counter parked;
  private final DistributionSummary batchSize;
  private final Timer latency;

  private MicrometerOutboxMetrics(MeterRegistry registry, String relayId) {
    this.registry = registry;
    this.tags = Tags.of("relay", relayId);
    published = add(Counter.builder(OutboxMetricNames.PUBLISHED).tags(tags).register(registry));
    for (String kind : new String[] {"kafka", "database", "unexpected"}) {
      add(
          Counter.builder(OutboxMetricNames.FAILURES)
              .tags(tags.and("kind", kind))
              .register(registry));
    }
    parked = add(Counter.builder(OutboxMetricNames.PARKED_TOTAL).tags(tags).register(registry));
    batchSize =
        add(
            DistributionSummary.builder(OutboxMetricNames.BATCH_SIZE)
                .tags(tags)
                .register(registry));
    latency =
        add(
            Timer.builder(OutboxMetricNames.PUBLISH_LATENCY)
                .tags(tags)
                .publishPercentiles(0.5, 0.99)
                .description("Insert of a row to the broker's ack")
                .register(registry));
  }

  /** Metrics into {@code registry}: each relay's meters are made by {@link #forRelay}. */
  public static OutboxMetrics forRegistry(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return new OutboxMetrics() {
      @Override
      public OutboxMetrics forRelay(String relayId) {
        return new MicrometerOutboxMetrics(registry, relayId);
      }
    };
  }

  @Override
  public OutboxMetrics forRelay(String relayId) {
    return this;
  }

  @Override
  public void backlog(
      LongSupplier pending,
      DoubleSupplier oldestPendingSeconds,
      LongSupplier parkedRows,
      IntSupplier lanesOwned) {
    meters.add(
        Gauge.builder(OutboxMetricNames.PENDING, pending, LongSupplier::getAsLong)
            .tags(tags)
            .strongReference(true)
            .description("Committed rows not yet acknowledged by Kafka")
            .register(registry));
    meters.add(
        Gauge.builder(
                OutboxMetricNames.OLDEST_PENDING_AGE,
                oldestPendingSeconds,
                DoubleSupplier::getAsDouble)
            .tags(tags)
            .strongReference(true)
            .baseUnit("seconds")
            .description("Age of the oldest pending row")
            .register(registry));
    meters.add(
        Gauge.builder(OutboxMetricNames.PARKED, parkedRows, LongSupplier::getAsLong)
            .tags(tags)
            .strongReference(true)
            .description("Rows parked after a permanent rejection")
            .register(registry));
    meters.add(
        Gauge.builder(OutboxMetricNames.LANES_OWNED, lanesOwned, IntSupplier::getAsInt)
            .tags(tags)
            .strongReference(true)
            .description("Lanes this relay owns")
            .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  @Override
  public void batch(int size, int count) {
    batchSize.record(size);
    published.increment(count);
  }

  @Override
  public void publishLatency(Duration value) {
    latency.record(value);
  }

  @Override
  public void failure(String kind) {
    Counter.builder(OutboxMetricNames.FAILURES)
        .tags(tags.and("kind", kind))
        .register(registry)
        .increment();
  }

  @Override
  public void parked(int count) {
    parked.increment(count);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
