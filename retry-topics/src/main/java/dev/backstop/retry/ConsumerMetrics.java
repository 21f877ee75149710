package dev.backstop.retry;

import dev.backstop.retry.internal.MicrometerConsumerMetrics;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Receives what the consumer wrapper measures. The default does nothing; {@link #micrometer}
 * reports to Micrometer (an optional dependency: only that method needs it on the class path).
 * Implementations must be thread-safe and fast: they are called on the wrapper's poll and worker
 * threads.
 */
public interface ConsumerMetrics {

  /** Metrics that are dropped. */
  ConsumerMetrics NONE = new ConsumerMetrics() {};

  /**
   * Metrics reported to a Micrometer registry under the names of {@link RetryMetricNames}, tagged
   * with the consumer group.
   */
  static ConsumerMetrics micrometer(io.micrometer.core.instrument.MeterRegistry registry) {
    return MicrometerConsumerMetrics.forRegistry(registry);
  }

  /**
   * The metrics of one consumer of {@code group}, asked once when that consumer is built; they
   * receive the calls of that consumer, and its {@link #close()}. The default is this instance.
   */
  default ConsumerMetrics forGroup(String group) {
    return this;
  }

  /** A handler call succeeded on {@code topic} (a source or tier topic). */
  default void processed(String topic) {}

  /** A handler call on {@code topic} returned after skipping a duplicate (a raised signal). */
  default void duplicate(String topic) {}

  /** A handler call failed on {@code topic}. */
  default void failed(String topic) {}

  /** A record was forwarded to a tier topic. */
  default void retried(String tierTopic) {}

  /** A record was forwarded to a dead-letter topic. */
  default void deadLettered(String dlqTopic) {}

  /** A record's failure matched a skip rule. */
  default void skipped(String topic) {}

  /** A record of a held key was kept behind its key's head. */
  default void held(String topic) {}

  /** Registers the gauges of held keys and held records of the source loop. */
  default void holding(IntSupplier keys, IntSupplier records) {}

  /** How late a tier record was handled: actual minus due. */
  default void lateness(Duration lateness) {}

  /** From {@code backstop.created-at} to the successful handler call. */
  default void endToEnd(Duration latency) {}

  /** Registers the circuit state: 0 closed (or disabled), 1 half-open, 2 open. */
  default void circuit(Supplier<Number> state) {}

  /**
   * Registers the buffered and in-flight gauges of one consumer loop ({@code main}, {@code
   * retry-1s}, …).
   */
  default void loop(String role, IntSupplier buffered, IntSupplier inFlight) {}

  /**
   * Registers the time-lag gauge of one assigned partition: seconds since the timestamp of its
   * oldest unfinished record (in a tier, since its due time), 0 when none is unfinished.
   */
  default void lag(TopicPartition partition, DoubleSupplier seconds) {}

  /** The partition was revoked or lost: removes its time-lag gauge. */
  default void lagGone(TopicPartition partition) {}

  /** The consumer closed: unregister what points at it (the circuit state, the loop gauges). */
  default void close() {}
}
