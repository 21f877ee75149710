package dev.backstop.retry.internal;

import static dev.backstop.retry.RetryMetricNames.CIRCUIT_STATE;
import static dev.backstop.retry.RetryMetricNames.DEAD_LETTERED;
import static dev.backstop.retry.RetryMetricNames.DUPLICATES;
import static dev.backstop.retry.RetryMetricNames.END_TO_END;
import static dev.backstop.retry.RetryMetricNames.FAILED;
import static dev.backstop.retry.RetryMetricNames.LATENESS;
import static dev.backstop.retry.RetryMetricNames.PROCESSED;
import static dev.backstop.retry.RetryMetricNames.RETRIED;
import static dev.backstop.retry.RetryMetricNames.SKIPPED;
import static dev.backstop.retry.RetryMetricNames.TAG_GROUP;
import static dev.backstop.retry.RetryMetricNames.TAG_TIER;
import static dev.backstop.retry.RetryMetricNames.TAG_TOPIC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** {@link ConsumerMetrics} in a Micrometer registry, tagged with the group. Thread-safe. */
final class MicrometerConsumerMetrics implements ConsumerMetrics {

  /** Lock of every circuit gauge swap: find, remove and register are one step. */
  private static final Object GAUGES = new Object();

  private final MeterRegistry registry;
  private final String group;
  private final Timer lateness;
  private final Timer endToEnd;

  /** This consumer's circuit gauge while registered; guarded by {@link #GAUGES}. */
  private Gauge circuit;

  private MicrometerConsumerMetrics(MeterRegistry registry, String group) {
    this.registry = registry;
    this.group = group;
    this.lateness =
        Timer.builder(LATENESS)
            .description("how late tier records were handled: actual minus due")
            .tag(TAG_GROUP, group)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.endToEnd =
        Timer.builder(END_TO_END)
            .description("from backstop.created-at to the successful handler call")
            .tag(TAG_GROUP, group)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  static ConsumerMetrics create(Object registry, String group) {
    if (!(registry instanceof MeterRegistry meterRegistry)) {
      throw new IllegalArgumentException(
          "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was "
              + registry.getClass().getName());
    }
    return new MicrometerConsumerMetrics(meterRegistry, group);
  }

  @Override
  public void processed(String topic) {
    counter(PROCESSED, TAG_TOPIC, topic).increment();
  }

  @Override
  public void duplicate(String topic) {
    counter(DUPLICATES, TAG_TOPIC, topic).increment();
  }

  @Override
  public void failed(String topic) {
    counter(FAILED, TAG_TOPIC, topic).increment();
  }

  @Override
  public void retried(String tierTopic) {
    counter(RETRIED, TAG_TIER, tierTopic).increment();
  }

  @Override
  public void deadLettered(String dlqTopic) {
    counter(DEAD_LETTERED, TAG_TOPIC, dlqTopic).increment();
  }

  @Override
  public void skipped(String topic) {
    counter(SKIPPED, TAG_TOPIC, topic).increment();
  }

  @Override
  public void lateness(Duration value) {
    lateness.record(value.isNegative() ? Duration.ZERO : value);
  }

  @Override
  public void endToEnd(Duration latency) {
    endToEnd.record(latency.isNegative() ? Duration.ZERO : latency);
  }

  /**
   * Registers this consumer's circuit gauge, replacing the gauge of an earlier consumer of the same
   * group in the same registry (Micrometer would otherwise keep the first one and ignore this one).
   */
  @Override
  public void circuit(Supplier<Number> state) {
    synchronized (GAUGES) {
      Gauge earlier = registry.find(CIRCUIT_STATE).tag(TAG_GROUP, group).gauge();
      if (earlier != null) {
        registry.remove(earlier);
      }
      circuit =
          Gauge.builder(CIRCUIT_STATE, state)
              .description("0 closed, 1 half-open, 2 open")
              .tag(TAG_GROUP, group)
              .register(registry);
    }
  }

  /** Removes this consumer's circuit gauge unless a newer consumer of the group replaced it. */
  @Override
  public void close() {
    synchronized (GAUGES) {
      if (circuit != null
          && registry.find(CIRCUIT_STATE).tag(TAG_GROUP, group).gauge() == circuit) {
        registry.remove(circuit);
      }
      circuit = null;
    }
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(TAG_GROUP, group).tag(tag, value).register(registry);
  }
}
