package dev.backstop.retry;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigBuilder;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.retry.internal.TopicNames;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration of a {@link ReliableConsumer}: {@code backstop.consumer.*}, {@code
 * backstop.retry.*} and {@code backstop.dlq.*} keys, plus the {@code kafka.*} client properties
 * passed through to the Kafka consumers, producer and admin client.
 *
 * <p>Built from a properties file ({@link #from(BackstopProperties)}) or a {@link #builder()}; both
 * end in the same validation, which reports every problem at once in one {@link
 * dev.backstop.core.ConfigException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReliableConsumerConfig {

  /** The consumer group of the wrapper; tier consumers use groups derived from it. Required. */
  public static final ConfigKey<String> GROUP_ID =
      ConfigKey.string("backstop.consumer.group-id", null, "consumer group id").required();

  /** Comma-separated source topics. Required. */
  public static final ConfigKey<List<String>> TOPICS =
      ConfigKey.list("backstop.consumer.topics", null, "source topics, comma-separated").required();

  /** Longest a consumer blocks in one poll; tier consumers poll shorter when a record falls due. */
  public static final ConfigKey<Duration> POLL_TIMEOUT =
      ConfigKey.duration("backstop.consumer.poll-timeout", Duration.ofMillis(500), "poll timeout")
          .atLeast(Duration.ofMillis(1));

  /** Longest the wrapper waits for the broker to acknowledge a forward to a tier or the DLQ. */
  public static final ConfigKey<Duration> SEND_TIMEOUT =
      ConfigKey.duration(
              "backstop.consumer.send-timeout",
              Duration.ofSeconds(30),
              "wait for a forward's acknowledgement before retrying the record")
          .atLeast(Duration.ofMillis(1));

  /** How long {@link ReliableConsumer#close()} lets in-flight records finish. */
  public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT =
      ConfigKey.duration(
              "backstop.consumer.shutdown-timeout",
              Duration.ofSeconds(30),
              "time in-flight records get to finish on close")
          .atLeast(Duration.ofMillis(1));

  /**
   * Which records may be handled at the same time: {@code key} (one at a time per key, the
   * default), {@code partition} (one at a time per partition) or {@code unordered}.
   */
  public static final ConfigKey<String> ORDERING =
      ConfigKey.string("backstop.consumer.ordering", "key", "key, partition or unordered")
          .check(t -> Ordering.parse(t) != null, "must be one of key, partition, unordered");

  /**
   * The most handler calls in flight at once in each consumer loop (the source topics, and each
   * tier delay): the size of its worker pool. 1 handles one record at a time.
   */
  public static final ConfigKey<Integer> CONCURRENCY =
      ConfigKey.integer(
              "backstop.consumer.concurrency", 32, "handler calls in flight per consumer loop")
          .between(1, 1024);

  /**
   * The most records a consumer loop keeps fetched but not finished; past it the loop pauses its
   * partitions until the workers catch up. At least {@code max.poll.records}.
   */
  public static final ConfigKey<Integer> MAX_BUFFERED_RECORDS =
      ConfigKey.integer(
              "backstop.consumer.max-buffered-records",
              5000,
              "records fetched but not finished, per consumer loop")
          .atLeast(1);

  /** How often finished offsets are committed while consuming (always on revoke and close). */
  public static final ConfigKey<Duration> COMMIT_INTERVAL =
      ConfigKey.duration(
              "backstop.consumer.commit-interval",
              Duration.ofSeconds(1),
              "how often finished offsets are committed")
          .atLeast(Duration.ofMillis(1));

  /** Whether a run of retryable failures opens a circuit that pauses consumption. */
  public static final ConfigKey<Boolean> CIRCUIT_ENABLED =
      ConfigKey.bool("backstop.consumer.circuit.enabled", true, "circuit breaker on or off");

  /** Failure rate, in percent of the sliding window, at which the circuit opens. */
  public static final ConfigKey<Double> CIRCUIT_FAILURE_RATE =
      ConfigKey.decimal(
              "backstop.consumer.circuit.failure-rate",
              50.0,
              "failure rate in percent that opens the circuit")
          .between(1.0, 100.0);

  /** Number of handler calls the circuit looks at (a count-based sliding window). */
  public static final ConfigKey<Integer> CIRCUIT_WINDOW =
      ConfigKey.integer("backstop.consumer.circuit.window", 20, "calls in the sliding window")
          .atLeast(1);

  /** Calls needed before the failure rate is judged. */
  public static final ConfigKey<Integer> CIRCUIT_MINIMUM_CALLS =
      ConfigKey.integer(
              "backstop.consumer.circuit.minimum-calls", 10, "calls before the rate is judged")
          .atLeast(1);

  /** How long the circuit stays open before one probe record is let through. */
  public static final ConfigKey<Duration> CIRCUIT_OPEN_WAIT =
      ConfigKey.duration(
              "backstop.consumer.circuit.open-wait",
              Duration.ofSeconds(10),
              "time the circuit stays open before a probe")
          .atLeast(Duration.ofMillis(1));

  /** Delays of the retry tiers, each at least as long as the one before it. */
  public static final ConfigKey<List<Duration>> TIERS =
      ConfigKey.durationList(
              "backstop.retry.tiers",
              List.of(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10)),
              "retry tier delays, comma-separated")
          .check(
              ReliableConsumerConfig::positiveAndNonDecreasing, ReliableConsumerConfig.TIER_RULE);

  /**
   * Proportional jitter of a tier delay. Jitter only lengthens a delay: the due time is the delay
   * plus up to jitter·delay, never less than the delay.
   */
  public static final ConfigKey<Double> JITTER =
      ConfigKey.decimal("backstop.retry.jitter", 0.1, "proportional jitter of tier delays")
          .between(0.0, 1.0);

  /** Quick attempts in place, on the same partition, before a record leaves for the tiers. */
  public static final ConfigKey<Integer> IN_PLACE_ATTEMPTS =
      ConfigKey.integer("backstop.retry.in-place-attempts", 0, "quick in-place retries")
          .between(0, 10);

  /** Pause between in-place attempts (it holds the record's worker and its key; keep it short). */
  public static final ConfigKey<Duration> IN_PLACE_BACKOFF =
      ConfigKey.duration(
              "backstop.retry.in-place-backoff",
              Duration.ofMillis(100),
              "pause between in-place attempts")
          .check(d -> d.compareTo(Duration.ofSeconds(5)) <= 0, "must be at most 5s");

  /** A failing record older than this since its first failure goes to the DLQ. */
  public static final ConfigKey<Duration> MAX_AGE =
      ConfigKey.duration(
              "backstop.retry.max-age", Duration.ofDays(1), "retry deadline since first failure")
          .atLeast(Duration.ofMillis(1));

  /** Exception class names that go straight to the DLQ (matched along the cause chain). */
  public static final ConfigKey<List<String>> DEAD_LETTER_ON =
      ConfigKey.list("backstop.retry.dead-letter-on", List.of(), "exceptions sent to the DLQ")
          .check(ReliableConsumerConfig::loadableExceptions, ReliableConsumerConfig.CLASS_RULE);

  /** Exception class names whose records are committed without forwarding. */
  public static final ConfigKey<List<String>> SKIP_ON =
      ConfigKey.list("backstop.retry.skip-on", List.of(), "exceptions skipped")
          .check(ReliableConsumerConfig::loadableExceptions, ReliableConsumerConfig.CLASS_RULE);

  /** Name of a tier topic; {@code {topic}}, {@code {delay}} and {@code {group}} are replaced. */
  public static final ConfigKey<String> TOPIC_TEMPLATE =
      ConfigKey.string(
              "backstop.retry.topic-template", "{topic}.retry.{delay}", "tier topic name template")
          .check(
              t -> t.contains("{topic}") && t.contains("{delay}"),
              "must contain {topic} and {delay}");

  /** Create missing tier and DLQ topics at start instead of failing. */
  public static final ConfigKey<Boolean> CREATE_TOPICS =
      ConfigKey.bool("backstop.retry.create-topics", false, "create missing tier and DLQ topics");

  /** Replication factor of created topics; -1 takes the broker's default. */
  public static final ConfigKey<Integer> REPLICATION_FACTOR =
      ConfigKey.integer(
              "backstop.retry.replication-factor", -1, "replication factor of created topics")
          .check(r -> r == -1 || r >= 1, "must be -1 (broker default) or at least 1");

  /** Name of the dead-letter topic; {@code {topic}} and {@code {group}} are replaced. */
  public static final ConfigKey<String> DLQ_TOPIC =
      ConfigKey.string("backstop.dlq.topic", "{topic}.dlq", "dead-letter topic name template")
          .check(t -> !t.isBlank(), "must not be blank");

  /** Largest total size of the headers of a forwarded record; the stack trace goes first. */
  public static final ConfigKey<Integer> MAX_HEADER_BYTES =
      ConfigKey.integer(
              "backstop.dlq.max-header-bytes", 32_768, "largest total header size of a forward")
          .atLeast(4096);

  /**
   * {@code preserve}: while a record of a key waits in a retry tier or the dead-letter topic, the
   * key's later records wait behind it (held), and follow it in order once it succeeds. {@code off}
   * (the default): later records of the key go on while it waits.
   */
  public static final ConfigKey<String> KEY_ORDER =
      ConfigKey.string(
              "backstop.retry.key-order",
              "off",
              "off, or preserve: hold a key's later records behind its retried one")
          .check(t -> t.equals("off") || t.equals("preserve"), "must be off or preserve");

  /**
   * Name of the compacted topic that keeps which keys are held and their held records; {@code
   * {topic}} and {@code {group}} are replaced.
   */
  public static final ConfigKey<String> HELD_TOPIC =
      ConfigKey.string("backstop.retry.held-topic", "{topic}.held", "held-keys topic name template")
          .check(t -> t.contains("{topic}"), "must contain {topic}");

  /**
   * What a key's held records do when the record they wait behind is dead-lettered: {@code wait}
   * (the default) until it is replayed and succeeds, or {@code release} them at once.
   */
  public static final ConfigKey<String> HELD_AFTER_DEAD_LETTER =
      ConfigKey.string("backstop.retry.held-after-dead-letter", "wait", "wait or release")
          .check(t -> t.equals("wait") || t.equals("release"), "must be wait or release");

  /**
   * The most held records (waiting keys and the records behind them) the source consumer keeps;
   * past it, a partition whose next record would be held stops starting records until held records
   * are released.
   */
  public static final ConfigKey<Integer> MAX_HELD_RECORDS =
      ConfigKey.integer("backstop.retry.max-held-records", 10_000, "held keys and records, at most")
          .atLeast(1);

  private static final int DEFAULT_MAX_POLL_RECORDS = 500;

  static final String TIER_RULE = "must be positive durations, each at least the one before it";
  static final String CLASS_RULE = "must name exception classes on the class path";

  private static final ConfigDef DEF =
      ConfigDef.builder("backstop.consumer.", "backstop.retry.", "backstop.dlq.")
          // the dead-letter CLI's keys (DlqConfig), so that one file can configure both
          .exceptPrefixes("backstop.dlq.read.", "backstop.dlq.replay.")
          .define(
              GROUP_ID,
              TOPICS,
              POLL_TIMEOUT,
              SEND_TIMEOUT,
              SHUTDOWN_TIMEOUT,
              ORDERING,
              CONCURRENCY,
              MAX_BUFFERED_RECORDS,
              COMMIT_INTERVAL,
              CIRCUIT_ENABLED,
              CIRCUIT_FAILURE_RATE,
              CIRCUIT_WINDOW,
              CIRCUIT_MINIMUM_CALLS,
              CIRCUIT_OPEN_WAIT,
              TIERS,
              JITTER,
              IN_PLACE_ATTEMPTS,
              IN_PLACE_BACKOFF,
              MAX_AGE,
              DEAD_LETTER_ON,
              SKIP_ON,
              TOPIC_TEMPLATE,
              CREATE_TOPICS,
              REPLICATION_FACTOR,
              DLQ_TOPIC,
              MAX_HEADER_BYTES,
              KEY_ORDER,
              HELD_TOPIC,
              HELD_AFTER_DEAD_LETTER,
              MAX_HELD_RECORDS)
          .check(
              CIRCUIT_MINIMUM_CALLS,
              v -> v.get(CIRCUIT_MINIMUM_CALLS) <= v.get(CIRCUIT_WINDOW),
              "must be at most " + CIRCUIT_WINDOW.name())
          .check(
              KEY_ORDER,
              v -> v.get(KEY_ORDER).equals("off") || !v.get(ORDERING).equals("unordered"),
              "preserve needs " + ORDERING.name() + "=key or partition, not unordered")
          .check(
              MAX_BUFFERED_RECORDS,
              v -> v.get(MAX_BUFFERED_RECORDS) >= maxPollRecords(v.kafka()),
              v ->
                  "must be at least max.poll.records ("
                      + maxPollRecords(v.kafka())
                      + "), the most records one poll returns")
          .build();

  private final ConfigValues values;

  private ReliableConsumerConfig(ConfigValues values) {
    this.values = values;
  }

  /**
   * The {@code max.poll.records} of the Kafka consumers (500 unless {@code kafka.max.poll.records}
   * sets it).
   */
  public int maxPollRecords() {
    return maxPollRecords(kafka());
  }

  private static int maxPollRecords(Map<String, Object> kafka) {
    Object configured = kafka.get("max.poll.records");
    if (configured != null) {
      try {
        return Integer.parseInt(configured.toString().trim());
      } catch (NumberFormatException e) {
        return DEFAULT_MAX_POLL_RECORDS; // the Kafka client reports a malformed value itself
      }
    }
    return DEFAULT_MAX_POLL_RECORDS;
  }

  /** Reads a properties file ({@code ${VAR}} substituted from the environment). */
  public static ReliableConsumerConfig load(Path file) {
    return from(BackstopProperties.load(file));
  }

  /** Reads {@code properties} ({@code ${VAR}} substituted from the environment). */
  public static ReliableConsumerConfig from(Properties properties) {
    return from(BackstopProperties.from(properties));
  }

  /**
   * Reads the configuration from loaded properties; {@code kafka.*} keys go to the clients.
   *
   * @throws ConfigException listing every problem
   */
  public static ReliableConsumerConfig from(BackstopProperties properties) {
    return new ReliableConsumerConfig(DEF.parse(properties));
  }

  /** A builder equivalent to the properties file. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of {@code key} (any key of this class). */
  public <T> T get(ConfigKey<T> key) {
    return values.get(key);
  }

  /** The resolved configuration for a start-up log line, secrets masked. */
  public String describe() {
    return DEF.describe(values);
  }

  public String groupId() {
    return values.get(GROUP_ID);
  }

  public List<String> topics() {
    return values.get(TOPICS);
  }

  public Duration pollTimeout() {
    return values.get(POLL_TIMEOUT);
  }

  public Duration sendTimeout() {
    return values.get(SEND_TIMEOUT);
  }

  public Duration shutdownTimeout() {
    return values.get(SHUTDOWN_TIMEOUT);
  }

  public Ordering ordering() {
    return Ordering.parse(values.get(ORDERING));
  }

  public int concurrency() {
    return values.get(CONCURRENCY);
  }

  public int maxBufferedRecords() {
    return values.get(MAX_BUFFERED_RECORDS);
  }

  public Duration commitInterval() {
    return values.get(COMMIT_INTERVAL);
  }

  public boolean circuitEnabled() {
    return values.get(CIRCUIT_ENABLED);
  }

  public double circuitFailureRate() {
    return values.get(CIRCUIT_FAILURE_RATE);
  }

  public int circuitWindow() {
    return values.get(CIRCUIT_WINDOW);
  }

  public int circuitMinimumCalls() {
    return values.get(CIRCUIT_MINIMUM_CALLS);
  }

  public Duration circuitOpenWait() {
    return values.get(CIRCUIT_OPEN_WAIT);
  }

  public List<Duration> tiers() {
    return values.get(TIERS);
  }

  public double jitter() {
    return values.get(JITTER);
  }

  public int inPlaceAttempts() {
    return values.get(IN_PLACE_ATTEMPTS);
  }

  public Duration inPlaceBackoff() {
    return values.get(IN_PLACE_BACKOFF);
  }

  public Duration maxAge() {
    return values.get(MAX_AGE);
  }

  /**
   * The longest time from a record's first handling to its last handling through the configured
   * tiers: the in-place attempts ({@code in-place-attempts} × {@code in-place-backoff}), then every
   * tier delay lengthened by the full jitter, cut short by {@code max-age} (past it, the next
   * failure goes to the DLQ: at most {@code max-age} plus the last tier's delay with jitter). A
   * processed-message store must keep ids at least this long, or a copy of a message that comes
   * back from a tier after its id was swept is applied again; see {@code
   * IdempotencyConfig.requireRetentionCovers}.
   *
   * <p>Not included: the time consumption is paused or behind (an open circuit, a stopped consumer,
   * lag), tiers of rules given in code ({@code ErrorRule.retry}, still bounded by {@code max-age}),
   * and how late a person replays a dead letter.
   */
  public Duration longestRetryPath() {
    List<Duration> tiers = tiers();
    Duration throughTiers = Duration.ZERO;
    for (Duration tier : tiers) {
      throughTiers = throughTiers.plus(withJitter(tier));
    }
    Duration cutByMaxAge = maxAge().plus(withJitter(tiers.get(tiers.size() - 1)));
    Duration inPlace = inPlaceBackoff().multipliedBy(inPlaceAttempts());
    return inPlace.plus(throughTiers.compareTo(cutByMaxAge) <= 0 ? throughTiers : cutByMaxAge);
  }

  private Duration withJitter(Duration delay) {
    BigDecimal extra = BigDecimal.valueOf(jitter()).multiply(BigDecimal.valueOf(delay.toMillis()));
    return delay.plusMillis(extra.setScale(0, RoundingMode.CEILING).longValueExact());
  }

  public List<String> deadLetterOn() {
    return values.get(DEAD_LETTER_ON);
  }

  public List<String> skipOn() {
    return values.get(SKIP_ON);
  }

  public String topicTemplate() {
    return values.get(TOPIC_TEMPLATE);
  }

  public boolean createTopics() {
    return values.get(CREATE_TOPICS);
  }

  public int replicationFactor() {
    return values.get(REPLICATION_FACTOR);
  }

  public String dlqTopic() {
    return values.get(DLQ_TOPIC);
  }

  public int maxHeaderBytes() {
    return values.get(MAX_HEADER_BYTES);
  }

  /** Whether a key's later records wait behind its record in a retry tier ({@link #KEY_ORDER}). */
  public boolean preservesKeyOrder() {
    return values.get(KEY_ORDER).equals("preserve");
  }

  public String heldTopic() {
    return values.get(HELD_TOPIC);
  }

  /** Whether held records go on when the record they wait behind is dead-lettered. */
  public boolean releasesHeldAfterDeadLetter() {
    return values.get(HELD_AFTER_DEAD_LETTER).equals("release");
  }

  public int maxHeldRecords() {
    return values.get(MAX_HELD_RECORDS);
  }

  /**
   * The held-keys topic of {@code sourceTopic}: {@link #HELD_TOPIC} with {@code {topic}} and {@code
   * {group}} replaced ({@code orders} → {@code orders.held} with the default template).
   *
   * @throws IllegalArgumentException if {@code sourceTopic} is null or blank
   */
  public String heldTopicFor(String sourceTopic) {
    return names().heldTopic(source(sourceTopic));
  }

  /**
   * The dead-letter topic of {@code sourceTopic}: {@link #DLQ_TOPIC} with {@code {topic}} and
   * {@code {group}} replaced, the name the consumer forwards to ({@code orders} → {@code
   * orders.dlq} with the default template).
   *
   * @throws IllegalArgumentException if {@code sourceTopic} is null or blank
   */
  public String deadLetterTopicFor(String sourceTopic) {
    return names().dlqTopic(source(sourceTopic));
  }

  /**
   * The tier topics of {@code sourceTopic} for the configured {@link #tiers()}, shortest delay
   * first and each once ({@code orders} → {@code [orders.retry.1s, orders.retry.30s]}). Tiers that
   * only an {@link ErrorRule} names are not in this list.
   *
   * @throws IllegalArgumentException if {@code sourceTopic} is null or blank
   */
  public List<String> tierTopicsFor(String sourceTopic) {
    String source = source(sourceTopic);
    TopicNames names = names();
    return tiers().stream().distinct().map(delay -> names.tierTopic(source, delay)).toList();
  }

  private TopicNames names() {
    return new TopicNames(
        groupId(), List.of(), List.of(), topicTemplate(), dlqTopic(), heldTopic());
  }

  private static String source(String sourceTopic) {
    if (sourceTopic == null || sourceTopic.isBlank()) {
      throw new IllegalArgumentException("source topic must not be blank, was " + sourceTopic);
    }
    return sourceTopic;
  }

  /** Client properties (the {@code kafka.*} keys without their prefix). */
  public Map<String, Object> kafka() {
    return values.kafka();
  }

  private static boolean positiveAndNonDecreasing(List<Duration> tiers) {
    if (tiers.isEmpty()) {
      return false;
    }
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).isNegative() || tiers.get(i).isZero()) {
        return false;
      }
      if (i > 0 && tiers.get(i).compareTo(tiers.get(i - 1)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean loadableExceptions(List<String> names) {
    for (String name : names) {
      try {
        Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        if (!Throwable.class.isAssignableFrom(type)) {
          return false;
        }
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Builds a {@link ReliableConsumerConfig} key by key, with the same validation as a properties
   * file.
   *
   * <p>Not thread-safe; use from one thread.
   */
  public static final class Builder
      extends ConfigBuilder.WithKafka<ReliableConsumerConfig, Builder> {

    private Builder() {
      super(ReliableConsumerConfig::from);
    }

    public Builder groupId(String groupId) {
      return set(GROUP_ID, groupId);
    }

    public Builder topics(String... topics) {
      return set(TOPICS, List.of(topics));
    }

    public Builder tiers(Duration... tiers) {
      return set(TIERS, List.of(tiers));
    }

    public Builder jitter(double jitter) {
      return set(JITTER, jitter);
    }

    public Builder inPlaceAttempts(int attempts, Duration backoff) {
      return set(IN_PLACE_ATTEMPTS, attempts).set(IN_PLACE_BACKOFF, backoff);
    }

    public Builder maxAge(Duration maxAge) {
      return set(MAX_AGE, maxAge);
    }

    public Builder deadLetterOn(String... exceptionClassNames) {
      return set(DEAD_LETTER_ON, List.of(exceptionClassNames));
    }

    public Builder skipOn(String... exceptionClassNames) {
      return set(SKIP_ON, List.of(exceptionClassNames));
    }

    public Builder topicTemplate(String template) {
      return set(TOPIC_TEMPLATE, template);
    }

    public Builder dlqTopic(String template) {
      return set(DLQ_TOPIC, template);
    }

    public Builder createTopics(boolean create) {
      return set(CREATE_TOPICS, create);
    }

    public Builder pollTimeout(Duration timeout) {
      return set(POLL_TIMEOUT, timeout);
    }

    /** Circuit breaker: failure rate in percent over a window of calls, and the open wait. */
    public Builder circuit(double failureRate, int window, int minimumCalls, Duration openWait) {
      return set(CIRCUIT_FAILURE_RATE, failureRate)
          .set(CIRCUIT_WINDOW, window)
          .set(CIRCUIT_MINIMUM_CALLS, minimumCalls)
          .set(CIRCUIT_OPEN_WAIT, openWait);
    }

    /** Which records may be handled at the same time. */
    public Builder ordering(Ordering ordering) {
      return set(ORDERING, ordering.configName());
    }

    /** The most handler calls in flight per consumer loop. */
    public Builder concurrency(int concurrency) {
      return set(CONCURRENCY, concurrency);
    }

    /** Holds a key's later records behind its record in a retry tier ({@link #KEY_ORDER}). */
    public Builder preserveKeyOrder(boolean preserve) {
      return set(KEY_ORDER, preserve ? "preserve" : "off");
    }

    /** The most held keys and records ({@link #MAX_HELD_RECORDS}). */
    public Builder maxHeldRecords(int records) {
      return set(MAX_HELD_RECORDS, records);
    }

    /** The most records fetched but not finished per consumer loop. */
    public Builder maxBufferedRecords(int records) {
      return set(MAX_BUFFERED_RECORDS, records);
    }

    public Builder circuitEnabled(boolean enabled) {
      return set(CIRCUIT_ENABLED, enabled);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
