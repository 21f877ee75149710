package dev.backstop.outbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the relay reports. The Micrometer implementation is the only class that touches Micrometer,
 * so the outbox runs without it on the classpath. Implementations are thread-safe.
 */
interface OutboxMetrics extends AutoCloseable {

  OutboxMetrics NONE = new OutboxMetrics() {};

  /** A batch was finished: its size and how many rows were published. */
  default void batch(int size, int published) {}

  /** One row's time from insert (its transaction commits after) to the broker's ack. */
  default void publishLatency(Duration latency) {}

  /** A round failed; {@code kind} is {@code kafka}, {@code database} or {@code unexpected}. */
  default void failure(String kind) {}

  /** Rows were parked. */
  default void parked(int count) {}

  @Override
  default void close() {}

  /**
   * Metrics into {@code registry} (a Micrometer {@code MeterRegistry}), or none when null. Ages are
   * taken on {@code clock}, the clock the relay's health uses.
   */
  static OutboxMetrics create(
      Object registry,
      String relayId,
      Supplier<Backlog.Snapshot> backlog,
      IntSupplier lanesOwned,
      Clock clock) {
    if (registry == null) {
      return NONE;
    }
    return MicrometerOutboxMetrics.create(registry, relayId, backlog, lanesOwned, clock);
  }
}
