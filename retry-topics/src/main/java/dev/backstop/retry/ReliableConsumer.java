package dev.backstop.retry;

import dev.backstop.core.Health;
import dev.backstop.core.RecordHandler;
import dev.backstop.core.Sleeper;
import dev.backstop.core.Tracing;
import dev.backstop.retry.internal.DefaultReliableConsumer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Runs a {@link RecordHandler} over the records of one or more topics for one consumer group. A
 * record whose handler throws is classified by the rules: retried through tier topics ({@code
 * orders.retry.1s}, …) that never block fresh traffic, sent to the dead-letter topic with the full
 * story in its headers, or skipped. A source offset is committed only after the record was handled
 * or its forward acknowledged.
 *
 * <p>Create one with {@link #builder(ReliableConsumerConfig)}, {@link #start()} it, and {@link
 * #close()} it on shutdown. Thread-safe: {@link #start()}, {@link #close()} and {@link #health()}
 * may be called from any thread. The handler runs on the wrapper's worker threads, up to {@code
 * backstop.consumer.concurrency} calls at once in the loop of the source topics and in each tier
 * loop, so it must be thread-safe; calls of one key (or partition, per {@code
 * backstop.consumer.ordering}) never overlap.
 */
public interface ReliableConsumer extends AutoCloseable {

  /**
   * Checks the topics (creating them when configured to), then starts the consumer loops. A start
   * that fails closes every client it built.
   *
   * @throws TopicProvisioningException when a tier or dead-letter topic is missing or unfit
   * @throws IllegalStateException when already started or closed
   */
  void start();

  /**
   * Stops consuming: records in flight finish (or stay uncommitted and are delivered again later),
   * finished work is committed, the group is left. Waits up to {@code
   * backstop.consumer.shutdown-timeout}. Idempotent.
   */
  @Override
  void close();

  /**
   * UP while consuming; DEGRADED while the circuit is open or half-open or the broker refuses a
   * forward; DOWN before start, after close, or when a consumer loop stopped on a fatal error.
   */
  Health health();

  /** Starts a builder for a consumer configured by {@code config}. */
  static Builder<byte[], byte[]> builder(ReliableConsumerConfig config) {
    return new Builder<>(config);
  }

  /**
   * Assembles a {@link ReliableConsumer}. Not thread-safe; use from one thread.
   *
   * @param <K> key type after deserialization
   * @param <V> value type after deserialization
   */
  final class Builder<K, V> {
    private final ReliableConsumerConfig config;
    private Deserializer<?> keyDeserializer =
        new org.apache.kafka.common.serialization.ByteArrayDeserializer();
    private Deserializer<?> valueDeserializer =
        new org.apache.kafka.common.serialization.ByteArrayDeserializer();
    private RecordHandler<K, V> handler;
    private final List<ErrorRule> rules = new ArrayList<>();
    private RetryListener listener = RetryListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private ConsumerMetrics metrics = ConsumerMetrics.NONE;
    private Object openTelemetry;

    private Builder(ReliableConsumerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Sets the deserializers. Bytes they reject go to the dead-letter topic unchanged, named by a
     * {@link PoisonRecordException}; consumption goes on.
     */
    @SuppressWarnings("unchecked")
    public <K2, V2> Builder<K2, V2> deserializers(
        Deserializer<K2> keyDeserializer, Deserializer<V2> valueDeserializer) {
      this.keyDeserializer = Objects.requireNonNull(keyDeserializer, "keyDeserializer");
      this.valueDeserializer = Objects.requireNonNull(valueDeserializer, "valueDeserializer");
      this.handler = null;
      return (Builder<K2, V2>) this;
    }

    /** The handler; any {@link RecordHandler}, including a decorated one, composes. */
    public Builder<K, V> handler(RecordHandler<K, V> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Adds a rule. Rules added here are tried before the class names of {@code
     * backstop.retry.dead-letter-on} and {@code backstop.retry.skip-on}; unmatched failures retry.
     */
    public Builder<K, V> rule(ErrorRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder<K, V> listener(RetryListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder<K, V> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Waits between in-place attempts. */
    public Builder<K, V> sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Where the consumer reports its counts, timers and gauges, for example {@link
     * ConsumerMetrics#micrometer}; {@link ConsumerMetrics#NONE} if unset.
     */
    public Builder<K, V> metrics(ConsumerMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Traces every record through an {@code io.opentelemetry.api.OpenTelemetry} (typed {@code
     * Object} so OpenTelemetry stays optional): a span per processing attempt, child of the
     * record's {@code traceparent}, and one per forward to a tier or the dead-letter topic, whose
     * context the forwarded record carries. Without it nothing is traced; pass {@code
     * GlobalOpenTelemetry.get()} to use the Java agent's instance. See docs/observability.md.
     *
     * @throws IllegalArgumentException when it is not an {@code OpenTelemetry} or the API is absent
     */
    public Builder<K, V> openTelemetry(Object openTelemetry) {
      Objects.requireNonNull(openTelemetry, "openTelemetry");
      Tracing.requireOpenTelemetry(openTelemetry);
      this.openTelemetry = openTelemetry;
      return this;
    }

    /** Builds the consumer; it does not connect until {@link ReliableConsumer#start()}. */
    @SuppressWarnings("unchecked")
    public ReliableConsumer build() {
      if (handler == null) {
        throw new IllegalStateException(
            "a handler is required: call handler(...) after deserializers(...), which sets the"
                + " record types");
      }
      return DefaultReliableConsumer.create(
          config,
          (Deserializer<K>) keyDeserializer,
          (Deserializer<V>) valueDeserializer,
          handler,
          List.copyOf(rules),
          listener,
          clock,
          sleeper,
          metrics,
          openTelemetry);
    }
  }
}
