package dev.backstop.outbox;

import dev.backstop.outbox.internal.MicrometerOutboxMetrics;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Receives what the outbox relay measures. The default does nothing; {@link #micrometer} reports to
 * Micrometer (an optional dependency: only that method needs it on the class path). Implementations
 * must be thread-safe and fast: they are called on the relay's threads.
 */
public interface OutboxMetrics extends AutoCloseable {

  /** Metrics that are dropped. */
  OutboxMetrics NONE = new OutboxMetrics() {};

  /**
   * Metrics reported to a Micrometer registry under the names of {@link OutboxMetricNames}, tagged
   * with the relay id.
   */
  static OutboxMetrics micrometer(io.micrometer.core.instrument.MeterRegistry registry) {
    return MicrometerOutboxMetrics.forRegistry(registry);
  }

  /**
   * The metrics of the relay {@code relayId}, asked once when the relay is built; they receive that
   * relay's calls, and its {@link #close()} when it stops. The default is this instance.
   */
  default OutboxMetrics forRelay(String relayId) {
    return this;
  }

  /**
   * Registers the backlog gauges: committed rows not yet acknowledged, the age of the oldest of
   * them in seconds (on the relay's clock), parked rows, and the lanes the relay owns.
   */
  default void backlog(
      LongSupplier pending,
      DoubleSupplier oldestPendingSeconds,
      LongSupplier parked,
      IntSupplier lanesOwned) {}

  /** A batch was finished: its size and how many rows were published. */
  default void batch(int size, int published) {}

  /** One row's time from insert (its transaction commits after) to the broker's ack. */
  default void publishLatency(Duration latency) {}

  /** A round failed; {@code kind} is {@code kafka}, {@code database} or {@code unexpected}. */
  default void failure(String kind) {}

  /** Rows were parked. */
  default void parked(int count) {}

  /** The relay stopped: its meters are removed. */
  @Override
  default void close() {}
}
