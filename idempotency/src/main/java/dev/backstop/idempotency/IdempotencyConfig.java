package dev.backstop.idempotency;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigBuilder;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.core.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Configuration of the idempotent consumer: which consumer group the processed-message store is
 * scoped to, where the table lives, how long processed ids are kept, and what to do with a record
 * that carries no id.
 *
 * <p>Built from {@link #builder()} or from properties ({@link #from(Properties)}); both go through
 * the same validation, which reports every problem at once in one {@link
 * dev.backstop.core.ConfigException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdempotencyConfig {

  /** Prefix of every key this module owns. */
  public static final String PREFIX = "backstop.idempotency.";

  /** The longest message id or business key the store accepts, in characters. */
  public static final int MAX_KEY_LENGTH = 200;

  private static final Pattern IDENTIFIER =
      Pattern.compile("([a-z_][a-z0-9_]{0,39}\\.)?[a-z_][a-z0-9_]{0,39}");
  private static final Pattern GROUP_NAME = Pattern.compile("\\S(.{0,198}\\S)?");

  /** Consumer group (or any logical consumer name) the processed ids are scoped to; required. */
  public static final ConfigKey<String> GROUP =
      ConfigKey.string(
              PREFIX + "group",
              null,
              "consumer group (logical consumer) the processed message ids are scoped to")
          .required()
          .matching(GROUP_NAME, "must be 1 to 200 characters without leading or trailing blanks");

  /** Prefix of the store's table name; the table is {@code <prefix>processed_messages}. */
  public static final ConfigKey<String> TABLE_PREFIX =
      ConfigKey.string(
              PREFIX + "table-prefix",
              "backstop_",
              "prefix of the table name, optionally schema-qualified (myschema.app_)")
          .matching(
              IDENTIFIER,
              "must be an SQL identifier prefix: lower-case letters, digits and underscores,"
                  + " not starting with a digit, optionally preceded by a schema name and a dot,"
                  + " at most 40 characters each");

  /**
   * SQL dialect of the store: {@code auto} (the default: from the database the connection reaches,
   * as the outbox does), {@code postgresql} or {@code mariadb}.
   */
  public static final ConfigKey<String> DIALECT =
      ConfigKey.choice(
          PREFIX + "dialect",
          "auto",
          "SQL dialect: auto, postgresql or mariadb",
          "auto",
          "postgresql",
          "mariadb");

  /** Create the table and index at start when they are missing (for development). */
  public static final ConfigKey<Boolean> AUTO_CREATE_SCHEMA =
      ConfigKey.bool(
          PREFIX + "auto-create-schema",
          false,
          "create the table at start if missing (development)");

  /** How long a processed id is kept; a redelivery after that is processed again. */
  public static final ConfigKey<Duration> RETENTION =
      ConfigKey.duration(
              PREFIX + "retention", Duration.ofDays(7), "how long processed message ids are kept")
          .atLeast(Duration.ofSeconds(1));

  /**
   * The shortest retention the caller can accept: the longest retry path plus the dead-letter
   * replay horizon. The retention must be at least this long.
   */
  public static final ConfigKey<Duration> REQUIRED_RETENTION =
      ConfigKey.duration(
          PREFIX + "required-retention",
          Duration.ZERO,
          "minimum retention: longest retry path plus the dead-letter replay horizon");

  /** What to do with a record that has no message id and no business key. */
  public static final ConfigKey<String> MISSING_KEY =
      ConfigKey.choice(
          PREFIX + "missing-key",
          "reject",
          "record without message id or business key: reject, offset or no-dedup",
          "reject",
          "offset",
          "no-dedup");

  /** How long a lease (lease mode) protects an in-flight side effect before it can be taken. */
  public static final ConfigKey<Duration> LEASE_DURATION =
      ConfigKey.duration(
              PREFIX + "lease-duration",
              Duration.ofSeconds(30),
              "lease mode: how long an in-progress claim is protected")
          .atLeast(Duration.ofMillis(100));

  /** Pause between two runs of the retention sweeper. */
  public static final ConfigKey<Duration> SWEEPER_INTERVAL =
      ConfigKey.duration(
              PREFIX + "sweeper.interval",
              Duration.ofMinutes(1),
              "pause between two retention sweeper runs")
          .atLeast(Duration.ofMillis(100));

  /** Rows deleted per sweeper statement; each batch is its own short transaction. */
  public static final ConfigKey<Integer> SWEEPER_BATCH_SIZE =
      ConfigKey.integer(
              PREFIX + "sweeper.batch-size",
              500,
              "rows deleted per sweeper statement (one short transaction each)")
          .between(1, 10_000);

  private static final ConfigDef DEF =
      ConfigDef.builder(PREFIX)
          .define(
              GROUP,
              TABLE_PREFIX,
              DIALECT,
              AUTO_CREATE_SCHEMA,
              RETENTION,
              REQUIRED_RETENTION,
              MISSING_KEY,
              LEASE_DURATION,
              SWEEPER_INTERVAL,
              SWEEPER_BATCH_SIZE)
          .check(
              RETENTION,
              v -> v.get(RETENTION).compareTo(v.get(REQUIRED_RETENTION)) >= 0,
              "must be at least "
                  + REQUIRED_RETENTION.name()
                  + " (the longest retry path plus the dead-letter replay horizon);"
                  + " a redelivery after the retention is processed again")
          .check(
              LEASE_DURATION,
              v -> v.get(LEASE_DURATION).compareTo(v.get(RETENTION)) < 0,
              "must be shorter than " + RETENTION.name())
          .build();

  private final ConfigValues values;

  private IdempotencyConfig(ConfigValues values) {
    this.values = values;
  }

  /** Reads a properties file ({@code ${VAR}} substituted from the environment). */
  public static IdempotencyConfig load(Path file) {
    return from(BackstopProperties.load(file));
  }

  /**
   * Reads the {@code backstop.idempotency.*} keys of a properties file's content; other {@code
   * backstop.*} keys are left to their modules, {@code ${VAR}} references are resolved.
   *
   * @throws ConfigException listing every problem
   */
  public static IdempotencyConfig from(Properties properties) {
    return from(BackstopProperties.from(properties));
  }

  /** Reads the {@code backstop.idempotency.*} keys of already loaded properties. */
  public static IdempotencyConfig from(BackstopProperties properties) {
    return new IdempotencyConfig(DEF.parse(properties));
  }

  /** A builder with every documented default; {@link Builder#group} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks that processed ids are kept at least as long as a record can come back through the
   * consumer's retry tiers: pass {@code ReliableConsumerConfig.longestRetryPath()} of the consumer
   * this store serves. When {@code required-retention} is set, it must cover the path (it is the
   * path plus how late a dead letter may be replayed, which only you know); the retention must
   * cover it always. A store with a shorter retention may have swept a message's id when a copy of
   * it comes back from a tier, and applies it twice.
   *
   * @return this configuration
   * @throws ConfigException naming each key, its value and the path, when it does not cover it
   */
  public IdempotencyConfig requireRetentionCovers(Duration longestRetryPath) {
    List<String> problems = new ArrayList<>();
    String rule =
        "must be at least the consumer's longest retry path, "
            + Durations.format(longestRetryPath)
            + " (backstop.retry.tiers with the full backstop.retry.jitter, cut by"
            + " backstop.retry.max-age)";
    if (!requiredRetention().isZero() && requiredRetention().compareTo(longestRetryPath) < 0) {
      problems.add(
          invalid(
              requiredRetention(),
              REQUIRED_RETENTION,
              rule + " plus the dead-letter replay horizon"));
    }
    if (retention().compareTo(longestRetryPath) < 0) {
      problems.add(
          invalid(retention(), RETENTION, rule + "; a record retried after that is applied again"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return this;
  }

  private static String invalid(Duration value, ConfigKey<Duration> key, String rule) {
    return "Invalid value " + Durations.format(value) + " for " + key.name() + ": " + rule;
  }

  /** The resolved configuration as text for a start-up log line. */
  public String describe() {
    return DEF.describe(values);
  }

  /** The value of {@code key} (any key of this class). */
  public <T> T get(ConfigKey<T> key) {
    return values.get(key);
  }

  public String group() {
    return values.get(GROUP);
  }

  /** Table name prefix (possibly schema-qualified). */
  public String tablePrefix() {
    return values.get(TABLE_PREFIX);
  }

  /** Full table name: the prefix followed by {@code processed_messages}. */
  public String tableName() {
    return tablePrefix() + "processed_messages";
  }

  /** SQL dialect name: {@code auto}, {@code postgresql} or {@code mariadb}. */
  public String dialect() {
    return values.get(DIALECT);
  }

  public boolean autoCreateSchema() {
    return values.get(AUTO_CREATE_SCHEMA);
  }

  public Duration retention() {
    return values.get(RETENTION);
  }

  public Duration requiredRetention() {
    return values.get(REQUIRED_RETENTION);
  }

  public MissingKeyPolicy missingKey() {
    return MissingKeyPolicy.fromConfig(values.get(MISSING_KEY));
  }

  public Duration leaseDuration() {
    return values.get(LEASE_DURATION);
  }

  public Duration sweeperInterval() {
    return values.get(SWEEPER_INTERVAL);
  }

  public int sweeperBatchSize() {
    return values.get(SWEEPER_BATCH_SIZE);
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Builds an {@link IdempotencyConfig}; {@link #build()} validates exactly as reading properties
   * does. Not thread-safe.
   */
  public static final class Builder extends ConfigBuilder<IdempotencyConfig, Builder> {

    private Builder() {
      super(IdempotencyConfig::from);
    }

    public Builder group(String group) {
      return set(GROUP, group);
    }

    public Builder tablePrefix(String prefix) {
      return set(TABLE_PREFIX, prefix);
    }

    public Builder dialect(String dialect) {
      return set(DIALECT, dialect);
    }

    public Builder autoCreateSchema(boolean create) {
      return set(AUTO_CREATE_SCHEMA, create);
    }

    public Builder retention(Duration retention) {
      return set(RETENTION, retention);
    }

    public Builder requiredRetention(Duration requiredRetention) {
      return set(REQUIRED_RETENTION, requiredRetention);
    }

    public Builder missingKey(MissingKeyPolicy policy) {
      return set(MISSING_KEY, policy == null ? null : policy.configValue());
    }

    public Builder leaseDuration(Duration leaseDuration) {
      return set(LEASE_DURATION, leaseDuration);
    }

    public Builder sweeperInterval(Duration interval) {
      return set(SWEEPER_INTERVAL, interval);
    }

    public Builder sweeperBatchSize(int batchSize) {
      return set(SWEEPER_BATCH_SIZE, batchSize);
    }
  }
}
