package dev.backstop.outbox;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigBuilder;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.outbox.internal.OutboxStatements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The outbox configuration: the {@code backstop.outbox.*} keys below, and the {@code kafka.*}
 * client settings of the relay's producer. Built from a properties file, {@link Properties} or
 * {@link #builder()}; every path goes through one validating constructor that reports every problem
 * at once. Immutable and thread-safe.
 */
public final class OutboxConfig {

  /** Prefix of every outbox table ({@code <prefix>outbox}, {@code <prefix>outbox_lane} …). */
  public static final ConfigKey<String> TABLE_PREFIX =
      ConfigKey.string(
              "backstop.outbox.table-prefix", "backstop_", "Prefix of every outbox table name.")
          .matching(
              OutboxStatements.PREFIX,
              "must be a SQL identifier: a letter or _, then letters, digits or _ (at most 40)");

  /** Number of lanes; fixed when the schema is installed (per-key order holds within a lane). */
  public static final ConfigKey<Integer> LANES =
      ConfigKey.integer("backstop.outbox.lanes", 64, "Number of lanes (install-time constant).")
          .between(1, 4096);

  /** Most rows the relay reads, publishes and deletes in one round. */
  public static final ConfigKey<Integer> BATCH_SIZE =
      ConfigKey.integer("backstop.outbox.batch-size", 1000, "Rows per relay batch.").atLeast(1);

  /** Shortest wait between two reads when rows keep arriving. */
  public static final ConfigKey<Duration> POLL_INTERVAL_MIN =
      ConfigKey.duration(
              "backstop.outbox.poll-interval-min",
              Duration.ofMillis(10),
              "Shortest wait between reads.")
          .atLeast(Duration.ofMillis(1));

  /** Longest wait between two reads when the outbox stays empty (adaptive polling). */
  public static final ConfigKey<Duration> POLL_INTERVAL_MAX =
      ConfigKey.duration(
              "backstop.outbox.poll-interval-max", Duration.ofSeconds(1), "Longest idle wait.")
          .atLeast(Duration.ofMillis(1));

  /** How long a relay owns a lane without renewing; a dead relay's lanes move after this. */
  public static final ConfigKey<Duration> LEASE_DURATION =
      ConfigKey.duration(
              "backstop.outbox.lease-duration", Duration.ofSeconds(10), "Lane lease duration.")
          .atLeast(Duration.ofMillis(500));

  /** Largest message (key + value + headers) accepted at write time. */
  public static final ConfigKey<Integer> MAX_MESSAGE_BYTES =
      ConfigKey.integer(
              "backstop.outbox.max-message-bytes", 1_048_576, "Largest message accepted by send.")
          .atLeast(1);

  /**
   * How long the relay waits for the broker's acks of one batch before it abandons the batch's
   * transaction and retries; at most half of {@link #LEASE_DURATION}, so a publication always ends
   * well within the lease.
   */
  public static final ConfigKey<Duration> PUBLISH_TIMEOUT =
      ConfigKey.duration(
              "backstop.outbox.publish-timeout", Duration.ofSeconds(5), "Ack wait per batch.")
          .atLeast(Duration.ofSeconds(1));

  /** First wait after a failed round (Kafka or database unavailable); doubles, with jitter. */
  public static final ConfigKey<Duration> BACKOFF_INITIAL =
      ConfigKey.duration(
              "backstop.outbox.backoff-initial", Duration.ofMillis(100), "First backoff.")
          .atLeast(Duration.ofMillis(1));

  /** Longest wait between two failed rounds. */
  public static final ConfigKey<Duration> BACKOFF_MAX =
      ConfigKey.duration("backstop.outbox.backoff-max", Duration.ofSeconds(30), "Longest backoff.")
          .atLeast(Duration.ofMillis(1));

  /** Health turns DEGRADED when the oldest pending row is older than this. */
  public static final ConfigKey<Duration> DEGRADED_AFTER =
      ConfigKey.duration(
              "backstop.outbox.degraded-after",
              Duration.ofSeconds(60),
              "Oldest-pending-row age that degrades health.")
          .atLeast(Duration.ofMillis(1));

  /** How often the backlog statistics (pending, oldest age, parked) are read for metrics/health. */
  public static final ConfigKey<Duration> STATS_INTERVAL =
      ConfigKey.duration(
              "backstop.outbox.stats-interval", Duration.ofSeconds(5), "Backlog statistics period.")
          .atLeast(Duration.ofMillis(10));

  /** Create the tables at start when missing (development; production installs the SQL files). */
  public static final ConfigKey<Boolean> AUTO_CREATE_SCHEMA =
      ConfigKey.bool(
          "backstop.outbox.auto-create-schema", false, "Create missing tables at start.");

  /**
   * Database dialect: auto (from the JDBC driver's product name), postgresql, or mariadb (MariaDB
   * 10.6 or later; a MySQL product name also picks it, untested).
   */
  public static final ConfigKey<String> DIALECT =
      ConfigKey.choice(
          "backstop.outbox.dialect", "auto", "Database dialect.", "auto", "postgresql", "mariadb");

  /** JDBC URL of the pool the outbox builds when no DataSource is given. */
  public static final ConfigKey<String> JDBC_URL =
      ConfigKey.string("backstop.outbox.jdbc-url", "", "JDBC URL (when no DataSource is given).");

  /** Database user of that pool. */
  public static final ConfigKey<String> JDBC_USER =
      ConfigKey.string("backstop.outbox.jdbc-user", "", "Database user.");

  /** Database password of that pool. */
  public static final ConfigKey<String> JDBC_PASSWORD =
      ConfigKey.string("backstop.outbox.jdbc-password", "", "Database password.").secret();

  /** Size of that pool; the relay uses one connection, its statistics a second. */
  public static final ConfigKey<Integer> POOL_SIZE =
      ConfigKey.integer("backstop.outbox.pool-size", 2, "Connections of the built pool.")
          .atLeast(1);

  /** Name of this relay instance in the lease table; empty: host name plus a random suffix. */
  public static final ConfigKey<String> RELAY_ID =
      ConfigKey.string("backstop.outbox.relay-id", "", "Relay instance name.")
          .matching(Pattern.compile("[^\\s]{0,120}"), "must be at most 120 characters, no spaces");

  static final ConfigDef DEFINITION =
      ConfigDef.builder("backstop.outbox.")
          .define(
              TABLE_PREFIX,
              LANES,
              BATCH_SIZE,
              POLL_INTERVAL_MIN,
              POLL_INTERVAL_MAX,
              LEASE_DURATION,
              MAX_MESSAGE_BYTES,
              PUBLISH_TIMEOUT,
              BACKOFF_INITIAL,
              BACKOFF_MAX,
              DEGRADED_AFTER,
              STATS_INTERVAL,
              AUTO_CREATE_SCHEMA,
              DIALECT,
              JDBC_URL,
              JDBC_USER,
              JDBC_PASSWORD,
              POOL_SIZE,
              RELAY_ID)
          .check(
              POLL_INTERVAL_MAX,
              v -> v.get(POLL_INTERVAL_MAX).compareTo(v.get(POLL_INTERVAL_MIN)) >= 0,
              "must be at least backstop.outbox.poll-interval-min")
          .check(
              BACKOFF_MAX,
              v -> v.get(BACKOFF_MAX).compareTo(v.get(BACKOFF_INITIAL)) >= 0,
              "must be at least backstop.outbox.backoff-initial")
          .check(
              PUBLISH_TIMEOUT,
              v -> v.get(PUBLISH_TIMEOUT).multipliedBy(2).compareTo(v.get(LEASE_DURATION)) <= 0,
              v ->
                  "must be at most half of "
                      + LEASE_DURATION.name()
                      + "="
                      + LEASE_DURATION.format(v.get(LEASE_DURATION))
                      + ", so a relay's publication ends well within its lease; lower the first or"
                      + " raise the second")
          .rejectKafkaKey(
              "transactional.id",
              "the relay sets its own transactional.id"
                  + " (backstop-outbox-<table-prefix><relay-id>); remove the key")
          .build();

  private final ConfigValues values;

  private OutboxConfig(ConfigValues values) {
    this.values = values;
  }

  /** The configuration in {@code file} ({@code backstop.*} and {@code kafka.*} keys). */
  public static OutboxConfig load(Path file) {
    return from(BackstopProperties.load(file));
  }

  /** The configuration in {@code properties} ({@code ${VAR}} resolved from the environment). */
  public static OutboxConfig from(Properties properties) {
    return from(BackstopProperties.from(properties));
  }

  /**
   * The configuration in already loaded properties.
   *
   * @throws ConfigException listing every problem
   */
  public static OutboxConfig from(BackstopProperties properties) {
    return new OutboxConfig(DEFINITION.parse(properties));
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of {@code key} (any key of this class). */
  public <T> T get(ConfigKey<T> key) {
    return values.get(key);
  }

  public String tablePrefix() {
    return values.get(TABLE_PREFIX);
  }

  public int lanes() {
    return values.get(LANES);
  }

  public int batchSize() {
    return values.get(BATCH_SIZE);
  }

  public Duration leaseDuration() {
    return values.get(LEASE_DURATION);
  }

  public int maxMessageBytes() {
    return values.get(MAX_MESSAGE_BYTES);
  }

  /** The {@code kafka.*} settings (prefix removed) passed to the relay's producer. */
  public Map<String, Object> kafka() {
    return values.kafka();
  }

  /** The resolved configuration for a start-up log line, secrets masked. */
  public String describe() {
    return DEFINITION.describe(values);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Collects settings; {@link #build()} validates them all at once. Not thread-safe. */
  public static final class Builder extends ConfigBuilder.WithKafka<OutboxConfig, Builder> {

    private Builder() {
      super(OutboxConfig::from);
    }

    public Builder tablePrefix(String prefix) {
      return set(TABLE_PREFIX, prefix);
    }

    public Builder lanes(int lanes) {
      return set(LANES, lanes);
    }

    public Builder batchSize(int size) {
      return set(BATCH_SIZE, size);
    }

    public Builder leaseDuration(Duration duration) {
      return set(LEASE_DURATION, duration);
    }

    public Builder autoCreateSchema(boolean create) {
      return set(AUTO_CREATE_SCHEMA, create);
    }
  }
}
