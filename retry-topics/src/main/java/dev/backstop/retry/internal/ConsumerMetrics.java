package dev.backstop.retry.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What the consumer wrapper measures. The no-op default keeps Micrometer optional; {@link
 * MicrometerConsumerMetrics} is the only class that references it. Implementations are thread-safe.
 */
interface ConsumerMetrics {

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

  ConsumerMetrics NONE = new ConsumerMetrics() {};

  /** Metrics into a Micrometer registry, or none when {@code registry} is null. */
  static ConsumerMetrics of(Object registry, String group) {
    if (registry == null) {
      return NONE;
    }
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry");
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "a meter registry was given but Micrometer (micrometer-core) is not on the class path",
          e);
    }
    return MicrometerConsumerMetrics.create(registry, group);
  }
}
