package dev.backstop.retry.internal;

import static dev.backstop.retry.RetryMetricNames.BUFFERED;
import static dev.backstop.retry.RetryMetricNames.CIRCUIT_STATE;
import static dev.backstop.retry.RetryMetricNames.DEAD_LETTERED;
import static dev.backstop.retry.RetryMetricNames.DUPLICATES;
import static dev.backstop.retry.RetryMetricNames.END_TO_END;
import static dev.backstop.retry.RetryMetricNames.FAILED;
import static dev.backstop.retry.RetryMetricNames.HELD;
import static dev.backstop.retry.RetryMetricNames.HELD_KEYS;
import static dev.backstop.retry.RetryMetricNames.HELD_RECORDS;
import static dev.backstop.retry.RetryMetricNames.IN_FLIGHT;
import static dev.backstop.retry.RetryMetricNames.LAG;
import static dev.backstop.retry.RetryMetricNames.LATENESS;
import static dev.backstop.retry.RetryMetricNames.PROCESSED;
import static dev.backstop.retry.RetryMetricNames.RETRIED;
import static dev.backstop.retry.RetryMetricNames.SKIPPED;
import static dev.backstop.retry.RetryMetricNames.TAG_CONSUMER;
import static dev.backstop.retry.RetryMetricNames.TAG_GROUP;
import static dev.backstop.retry.RetryMetricNames.TAG_PARTITION;
import static dev.backstop.retry.RetryMetricNames.TAG_TIER;
import static dev.backstop.retry.RetryMetricNames.TAG_TOPIC;

import dev.backstop.retry.ConsumerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/** {@link ConsumerMetrics} in a Micrometer registry, tagged with the group. Thread-safe. */
public final class MicrometerConsumerMetrics implements ConsumerMetrics {

  /** Lock of every circuit gauge swap: find, remove and register are one step. */
  private static final Object GAUGES = new Object();

  private final MeterRegistry registry;
  private final String group;
  private final Timer lateness;
  private final Timer endToEnd;

  /** This consumer's circuit gauge while registered; guarded by {@link #GAUGES}. */
  private Gauge circuit;

  /** This consumer's loop gauges; guarded by {@link #GAUGES}. */
  private final List<Meter> loopGauges = new ArrayList<>();

  /** Counters by name and tag value, so the per-record path does not look them up again. */
  private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

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

  /** See {@link ConsumerMetrics#micrometer}: each consumer gets its own group-tagged metrics. */
  public static ConsumerMetrics forRegistry(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return new ConsumerMetrics() {
      @Override
      public ConsumerMetrics forGroup(String group) {
        return new MicrometerConsumerMetrics(registry, group);
      }
    };
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
  public void held(String topic) {
    counter(HELD, TAG_TOPIC, topic).increment();
  }

  @Override
  public void holding(IntSupplier keys, IntSupplier records) {
    synchronized (GAUGES) {
      loopGauges.add(replaceGauge(HELD_KEYS, "main", keys, "keys held behind a retried record"));
      loopGauges.add(
          replaceGauge(HELD_RECORDS, "main", records, "records held behind their key's head"));
    }
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

  /**
   * Registers the gauges of one loop, replacing those of an earlier consumer of the same group and
   * loop in the same registry.
   */
  @Override
  public void loop(String role, IntSupplier buffered, IntSupplier inFlight) {
    synchronized (GAUGES) {
      loopGauges.add(
          replaceGauge(
              BUFFERED, role, buffered, "records fetched and not finished, per consumer loop"));
      loopGauges.add(
          replaceGauge(IN_FLIGHT, role, inFlight, "handler calls in progress, per consumer loop"));
    }
  }

  /**
   * Registers the lag gauge of one partition, replacing that of an earlier consumer of the same
   * group in the same registry.
   */
  @Override
  public void lag(TopicPartition partition, DoubleSupplier seconds) {
    synchronized (GAUGES) {
      Tags tags = lagTags(partition);
      Gauge earlier = registry.find(LAG).tags(tags).gauge();
      if (earlier != null) {
        registry.remove(earlier);
        loopGauges.remove(earlier);
      }
      loopGauges.add(
          Gauge.builder(LAG, seconds::getAsDouble)
              .description("age in seconds of the oldest unfinished record of the partition")
              .tags(tags)
              .baseUnit("seconds")
              .register(registry));
    }
  }

  /** Removes the lag gauge of {@code partition} when it is this consumer's. */
  @Override
  public void lagGone(TopicPartition partition) {
    synchronized (GAUGES) {
      Gauge current = registry.find(LAG).tags(lagTags(partition)).gauge();
      if (current != null && loopGauges.remove(current)) {
        registry.remove(current);
      }
    }
  }

  private Tags lagTags(TopicPartition partition) {
    return Tags.of(
        TAG_GROUP,
        group,
        TAG_TOPIC,
        partition.topic(),
        TAG_PARTITION,
        Integer.toString(partition.partition()));
  }

  private Gauge replaceGauge(String name, String role, IntSupplier value, String description) {
    Gauge earlier = registry.find(name).tag(TAG_GROUP, group).tag(TAG_CONSUMER, role).gauge();
    if (earlier != null) {
      registry.remove(earlier);
    }
    return Gauge.builder(name, value::getAsInt)
        .description(description)
        .tag(TAG_GROUP, group)
        .tag(TAG_CONSUMER, role)
        .register(registry);
  }

  /** Removes this consumer's gauges unless a newer consumer of the group replaced them. */
  @Override
  public void close() {
    synchronized (GAUGES) {
      for (Meter gauge : loopGauges) {
        Meter current =
            registry.find(gauge.getId().getName()).tags(gauge.getId().getTags()).meter();
        if (current == gauge) {
          registry.remove(gauge);
        }
      }
      loopGauges.clear();
      if (circuit != null
          && registry.find(CIRCUIT_STATE).tag(TAG_GROUP, group).gauge() == circuit) {
        registry.remove(circuit);
      }
      circuit = null;
    }
  }

  private Counter counter(String name, String tag, String value) {
    return counters
        .computeIfAbsent(name, n -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            value, v -> Counter.builder(name).tag(TAG_GROUP, group).tag(tag, v).register(registry));
  }
}
