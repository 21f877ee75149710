package dev.backstop.dlq;

import dev.backstop.core.Sleeper;
import dev.backstop.dlq.internal.DeadLetterDecoder;
import dev.backstop.dlq.internal.DeadLetterReader;
import dev.backstop.dlq.internal.DeadLetterStats;
import dev.backstop.dlq.internal.KafkaClients;
import dev.backstop.dlq.internal.ReplayJob;
import dev.backstop.dlq.internal.ReplayTracing;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead-letter tools over one Kafka cluster: read one dead letter, scan a dead-letter topic with
 * a filter, group, and replay. Every call fails with a {@link DlqException} whose message says what
 * and where ({@link UnknownTopicException}, {@link BrokerUnavailableException} after the configured
 * timeout, {@link InvalidInputException}). Thread-safe: each call uses its own consumer and
 * producer; the admin client is shared. Close it when done.
 *
 * <pre>{@code
 * try (DeadLetters dlq = DeadLetters.connect(DlqConfig.builder().bootstrapServers("localhost:9092").build())) {
 *   dlq.scan("orders.dlq", DeadLetterFilter.builder().errorClass("InvalidOrderException").build(),
 *       letter -> System.out.println(letter.address() + " " + letter.failure().errorMessage()));
 * }
 * }</pre>
 */
public final class DeadLetters implements AutoCloseable {
  private final KafkaClients clients;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ReplayTracing tracing;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters(DlqConfig config, Clock clock, Sleeper sleeper, ReplayTracing tracing) {
    LOG.info("Dead-letter tools configured (secrets hidden):\n{}", config.describe());
    this.clients = new KafkaClients(config);
    this.clock = clock;
    this.sleeper = sleeper;
    this.tracing = tracing;
  }

  /** Tools over the cluster of {@code config}, with the system clock; replays are not traced. */
  public static DeadLetters connect(DlqConfig config) {
    return builder(config).build();
  }

  /** Starts a builder for tools with an injected clock and sleeper, or traced replays. */
  public static Builder builder(DlqConfig config) {
    return new Builder(config);
  }

  /** Assembles {@link DeadLetters}. Not thread-safe; use from one thread. */
  public static final class Builder {
    private final DlqConfig config;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private ReplayTracing tracing = ReplayTracing.NONE;

    private Builder(DlqConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The clock replays take time from; the system UTC clock if unset. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Waits between replayed records (the rate limit); {@link Sleeper#system()} if unset. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Traces replays through {@code openTelemetry}, an {@code io.opentelemetry.api.OpenTelemetry}
     * (typed {@code Object} so OpenTelemetry stays optional; null for none): a span per replayed
     * record, linked to the dead letter's original trace, whose context the replayed record
     * carries. The {@code backstop} CLI passes {@code GlobalOpenTelemetry.get()}.
     *
     * @throws IllegalArgumentException when it is not an {@code OpenTelemetry} or the API is absent
     */
    public Builder openTelemetry(Object openTelemetry) {
      this.tracing = ReplayTracing.of(openTelemetry);
      return this;
    }

    /** Creates the tools; the admin client connects lazily. */
    public DeadLetters build() {
      return new DeadLetters(config, clock, sleeper, tracing);
    }
  }

  /** Decodes a record read elsewhere; never throws on header content. */
  public static DeadLetter decode(ConsumerRecord<byte[], byte[]> record) {
    return DeadLetterDecoder.decode(record);
  }

  /**
   * The dead letter at {@code address}.
   *
   * @throws DlqException naming the address and the partition's offsets when there is no record
   */
  public DeadLetter read(RecordAddress address) {
    return DeadLetterReader.read(clients, address);
  }

  /**
   * Passes every dead letter of {@code topic} that {@code filter} matches to {@code sink},
   * partition by partition in offset order, up to the filter's limit. Reads up to the end of each
   * partition as it was when the scan began.
   *
   * @return how many dead letters matched
   */
  public long scan(String topic, DeadLetterFilter filter, Consumer<DeadLetter> sink) {
    return DeadLetterReader.scan(clients, topic, filter, sink);
  }

  /** Groups the dead letters of {@code topic} that {@code filter} matches. */
  public List<DeadLetterGroup> stats(String topic, DeadLetterFilter filter, GroupBy by) {
    DeadLetterStats stats = new DeadLetterStats(by);
    scan(topic, filter, stats::add);
    return stats.groups();
  }

  /**
   * Replays the dead letters {@code request} selects; see {@link ReplayRequest}. Blocks until the
   * replay completes, reaches its limit, is stopped, or a send fails (then {@link
   * ReplayResult#failure()} says why; what was committed is checkpointed).
   */
  public ReplayResult replay(ReplayRequest request, ReplayListener listener) {
    return new ReplayJob(clients, clock, sleeper, request, listener, tracing).run();
  }

  /**
   * The keys held in {@code heldTopic} (a consumer's {@code backstop.retry.held-topic}, such as
   * {@code orders.held}) by every group in key-order mode: each key's head record and the records
   * waiting behind it.
   */
  public List<HeldKey> held(String heldTopic) {
    return dev.backstop.dlq.internal.HeldKeysReader.read(clients, heldTopic);
  }

  @Override
  public void close() {
    clients.close();
  }
}
