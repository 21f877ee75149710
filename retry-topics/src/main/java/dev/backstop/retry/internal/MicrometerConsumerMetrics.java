package dev.backstop.retry.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** {@link ConsumerMetrics} in a Micrometer registry, tagged with the group. Thread-safe. */
final class MicrometerConsumerMetrics implements ConsumerMetrics {
  static final String PROCESSED = "backstop.consumer.processed";
  static final String FAILED = "backstop.consumer.failed";
  static final String RETRIED = "backstop.consumer.retried";
  static final String DEAD_LETTERED = "backstop.consumer.dead-lettered";
  static final String SKIPPED = "backstop.consumer.skipped";
  static final String LATENESS = "backstop.consumer.delay.lateness";
  static final String END_TO_END = "backstop.consumer.end-to-end.latency";
  static final String CIRCUIT = "backstop.consumer.circuit.state";

  private final MeterRegistry registry;
  private final String group;
  private final Timer lateness;
  private final Timer endToEnd;

  private MicrometerConsumerMetrics(MeterRegistry registry, String group) {
    this.registry = registry;
    this.group = group;
    this.lateness =
        Timer.builder(LATENESS)
            .description("how late tier records were handled: actual minus due")
            .tag("group", group)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.endToEnd =
        Timer.builder(END_TO_END)
            .description("from backstop.created-at to the successful handler call")
            .tag("group", group)
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
    counter(PROCESSED, "topic", topic).increment();
  }

  @Override
  public void failed(String topic) {
    counter(FAILED, "topic", topic).increment();
  }

  @Override
  public void retried(String tierTopic) {
    counter(RETRIED, "tier", tierTopic).increment();
  }

  @Override
  public void deadLettered(String dlqTopic) {
    counter(DEAD_LETTERED, "topic", dlqTopic).increment();
  }

  @Override
  public void skipped(String topic) {
    counter(SKIPPED, "topic", topic).increment();
  }

  @Override
  public void lateness(Duration value) {
    lateness.record(value.isNegative() ? Duration.ZERO : value);
  }

  @Override
  public void endToEnd(Duration latency) {
    endToEnd.record(latency.isNegative() ? Duration.ZERO : latency);
  }

  @Override
  public void circuit(Supplier<Number> state) {
    Gauge.builder(CIRCUIT, state)
        .description("0 closed, 1 half-open, 2 open")
        .tag("group", group)
        .register(registry);
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag("group", group).tag(tag, value).register(registry);
  }
}
