package dev.backstop.idempotency;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of the idempotent consumer: which consumer group the processed-message store is
 * scoped to, where the table lives, how long processed ids are kept, and what to do with a record
 * that carries no id.
 *
 * <p>Built from {@link #builder(String)} or from properties ({@link #from(Properties)}); both go
 * through the same validation, which reports every problem at once in one {@link
 * dev.backstop.core.ConfigException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdempotencyConfig {

  /** Prefix of every key this module owns. */
  public static final String PREFIX = "backstop.idempotency.";

  /** The longest message id or business key the store accepts, in characters. */
  public static final int MAX_KEY_LENGTH = 200;

  /** Default table prefix: the table is {@code backstop_processed_messages}. */
  public static final String DEFAULT_TABLE_PREFIX = "backstop_";

  /** Default retention of processed ids: 7 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Default required retention (the caller's longest redelivery path): none stated. */
  public static final Duration DEFAULT_REQUIRED_RETENTION = Duration.ZERO;

  /** Default lease duration in lease mode: 30 seconds. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);

  /** Default pause between two sweeper runs: 1 minute. */
  public static final Duration DEFAULT_SWEEPER_INTERVAL = Duration.ofMinutes(1);

  /** Default number of rows the sweeper deletes per statement (and per short transaction). */
  public static final int DEFAULT_SWEEPER_BATCH_SIZE = 500;

  private static final Pattern IDENTIFIER =
      Pattern.compile("([a-z_][a-z0-9_]{0,39}\\.)?[a-z_][a-z0-9_]{0,39}");
  private static final Pattern GROUP = Pattern.compile("\\S(.{0,198}\\S)?");

  /** Consumer group (or any logical consumer name) the processed ids are scoped to; required. */
  public static final ConfigKey<String> GROUP_KEY =
      ConfigKey.string(
              PREFIX + "group",
              null,
              "consumer group (logical consumer) the processed message ids are scoped to")
          .required()
          .matching(GROUP, "must be 1 to 200 characters without leading or trailing blanks");

  /** Prefix of the store's table name; the table is {@code <prefix>processed_messages}. */
  public static final ConfigKey<String> TABLE_PREFIX_KEY =
      ConfigKey.string(
              PREFIX + "table-prefix",
              DEFAULT_TABLE_PREFIX,
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
  public static final ConfigKey<String> DIALECT_KEY =
      ConfigKey.string(PREFIX + "dialect", "auto", "SQL dialect: auto, postgresql or mariadb")
          .check(
              v -> Set.of("auto", "postgresql", "mariadb").contains(v),
              "must be auto, postgresql or mariadb");

  /** Create the table and index at start when they are missing (for development). */
  public static final ConfigKey<Boolean> AUTO_CREATE_KEY =
      ConfigKey.bool(
          PREFIX + "auto-create", false, "create the table at start if missing (development)");

  /** How long a processed id is kept; a redelivery after that is processed again. */
  public static final ConfigKey<Duration> RETENTION_KEY =
      ConfigKey.duration(
              PREFIX + "retention", DEFAULT_RETENTION, "how long processed message ids are kept")
          .atLeast(Duration.ofSeconds(1));

  /**
   * The shortest retention the caller can accept: the longest retry path plus the dead-letter
   * replay horizon. The retention must be at least this long.
   */
  public static final ConfigKey<Duration> REQUIRED_RETENTION_KEY =
      ConfigKey.duration(
          PREFIX + "required-retention",
          DEFAULT_REQUIRED_RETENTION,
          "minimum retention: longest retry path plus the dead-letter replay horizon");

  /** What to do with a record that has no message id and no business key. */
  public static final ConfigKey<String> MISSING_KEY_KEY =
      ConfigKey.string(
              PREFIX + "missing-key",
              "reject",
              "record without message id or business key: reject, offset or no-dedup")
          .check(
              v -> Set.of("reject", "offset", "no-dedup").contains(v),
              "must be reject, offset or no-dedup");

  /** How long a lease (lease mode) protects an in-flight side effect before it can be taken. */
  public static final ConfigKey<Duration> LEASE_DURATION_KEY =
      ConfigKey.duration(
              PREFIX + "lease-duration",
              DEFAULT_LEASE_DURATION,
              "lease mode: how long an in-progress claim is protected")
          .atLeast(Duration.ofMillis(100));

  /** Pause between two runs of the retention sweeper. */
  public static final ConfigKey<Duration> SWEEPER_INTERVAL_KEY =
      ConfigKey.duration(
              PREFIX + "sweeper.interval",
              DEFAULT_SWEEPER_INTERVAL,
              "pause between two retention sweeper runs")
          .atLeast(Duration.ofMillis(100));

  /** Rows deleted per sweeper statement; each batch is its own short transaction. */
  public static final ConfigKey<Integer> SWEEPER_BATCH_SIZE_KEY =
      ConfigKey.integer(
              PREFIX + "sweeper.batch-size",
              DEFAULT_SWEEPER_BATCH_SIZE,
              "rows deleted per sweeper statement (one short transaction each)")
          .between(1, 10_000);

  private static final ConfigDef DEF =
      ConfigDef.builder(PREFIX)
          .define(
              GROUP_KEY,
              TABLE_PREFIX_KEY,
              DIALECT_KEY,
              AUTO_CREATE_KEY,
              RETENTION_KEY,
              REQUIRED_RETENTION_KEY,
              MISSING_KEY_KEY,
              LEASE_DURATION_KEY,
              SWEEPER_INTERVAL_KEY,
              SWEEPER_BATCH_SIZE_KEY)
          .check(
              RETENTION_KEY.name(),
              v -> v.get(RETENTION_KEY).compareTo(v.get(REQUIRED_RETENTION_KEY)) >= 0,
              "must be at least "
                  + REQUIRED_RETENTION_KEY.name()
                  + " (the longest retry path plus the dead-letter replay horizon);"
                  + " a redelivery after the retention is processed again")
          .check(
              LEASE_DURATION_KEY.name(),
              v -> v.get(LEASE_DURATION_KEY).compareTo(v.get(RETENTION_KEY)) < 0,
              "must be shorter than " + RETENTION_KEY.name())
          .build();

  private final ConfigValues values;
  private final String group;
  private final String tablePrefix;
  private final String dialect;
  private final boolean autoCreate;
  private final Duration retention;
  private final Duration requiredRetention;
  private final MissingKeyPolicy missingKey;
  private final Duration leaseDuration;
  private final Duration sweeperInterval;
  private final int sweeperBatchSize;

  private IdempotencyConfig(Map<String, String> backstopProperties) {
    this.values = DEF.parse(backstopProperties);
    this.group = values.get(GROUP_KEY);
    this.tablePrefix = values.get(TABLE_PREFIX_KEY);
    this.dialect = values.get(DIALECT_KEY);
    this.autoCreate = values.get(AUTO_CREATE_KEY);
    this.retention = values.get(RETENTION_KEY);
    this.requiredRetention = values.get(REQUIRED_RETENTION_KEY);
    this.missingKey = MissingKeyPolicy.fromConfig(values.get(MISSING_KEY_KEY));
    this.leaseDuration = values.get(LEASE_DURATION_KEY);
    this.sweeperInterval = values.get(SWEEPER_INTERVAL_KEY);
    this.sweeperBatchSize = values.get(SWEEPER_BATCH_SIZE_KEY);
  }

  /**
   * Reads the {@code backstop.idempotency.*} keys of a properties file's content; other {@code
   * backstop.*} keys are left to their modules, {@code ${VAR}} references are resolved.
   *
   * @throws dev.backstop.core.ConfigException listing every problem
   */
  public static IdempotencyConfig from(Properties properties) {
    return from(BackstopProperties.from(properties));
  }

  /** Reads the {@code backstop.idempotency.*} keys of already loaded properties. */
  public static IdempotencyConfig from(BackstopProperties properties) {
    return fromMap(properties.backstop());
  }

  /** Reads the {@code backstop.idempotency.*} keys of a map of full key names to text values. */
  public static IdempotencyConfig fromMap(Map<String, String> backstopProperties) {
    return new IdempotencyConfig(backstopProperties);
  }

  /** A builder for the given consumer group; every other value has its documented default. */
  public static Builder builder(String group) {
    return new Builder().set(GROUP_KEY, group);
  }

  /**
   * Checks that processed ids are kept at least as long as a record can come back through the
   * consumer's retry tiers: pass {@code RetryConfig.longestRetryPath()} of the consumer this store
   * serves. When {@code required-retention} is set, it must cover the path (it is the path plus how
   * late a dead letter may be replayed, which only you know); the retention must cover it always. A
   * store with a shorter retention may have swept a message's id when a copy of it comes back from
   * a tier, and applies it twice.
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
    if (!requiredRetention.isZero() && requiredRetention.compareTo(longestRetryPath) < 0) {
      problems.add(
          invalid(
              requiredRetention,
              REQUIRED_RETENTION_KEY,
              rule + " plus the dead-letter replay horizon"));
    }
    if (retention.compareTo(longestRetryPath) < 0) {
      problems.add(
          invalid(
              retention, RETENTION_KEY, rule + "; a record retried after that is applied again"));
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

  /** Consumer group the processed ids are scoped to. */
  public String group() {
    return group;
  }

  /** Table name prefix (possibly schema-qualified). */
  public String tablePrefix() {
    return tablePrefix;
  }

  /** Full table name: the prefix followed by {@code processed_messages}. */
  public String tableName() {
    return tablePrefix + "processed_messages";
  }

  /** SQL dialect name: {@code auto}, {@code postgresql} or {@code mariadb}. */
  public String dialect() {
    return dialect;
  }

  /** Whether the table is created at start when missing. */
  public boolean autoCreate() {
    return autoCreate;
  }

  /** How long processed ids are kept. */
  public Duration retention() {
    return retention;
  }

  /** The minimum retention the caller stated. */
  public Duration requiredRetention() {
    return requiredRetention;
  }

  /** What happens to a record without message id or business key. */
  public MissingKeyPolicy missingKey() {
    return missingKey;
  }

  /** Lease duration in lease mode. */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /** Pause between sweeper runs. */
  public Duration sweeperInterval() {
    return sweeperInterval;
  }

  /** Rows deleted per sweeper statement. */
  public int sweeperBatchSize() {
    return sweeperBatchSize;
  }

  @Override
  public String toString() {
    return "IdempotencyConfig{" + describe() + "}";
  }

  /**
   * Builds an {@link IdempotencyConfig} with typed setters; {@link #build()} validates exactly as
   * reading properties does. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder() {}

    private Builder set(ConfigKey<?> key, Object value) {
      if (value == null) {
        values.remove(key.name());
      } else {
        values.put(
            key.name(), value instanceof Duration d ? Durations.format(d) : String.valueOf(value));
      }
      return this;
    }

    /** Table name prefix, see {@link #TABLE_PREFIX_KEY}. */
    public Builder tablePrefix(String prefix) {
      return set(TABLE_PREFIX_KEY, prefix);
    }

    /** SQL dialect, see {@link #DIALECT_KEY}. */
    public Builder dialect(String dialect) {
      return set(DIALECT_KEY, dialect);
    }

    /** Create the table when missing, see {@link #AUTO_CREATE_KEY}. */
    public Builder autoCreate(boolean autoCreate) {
      return set(AUTO_CREATE_KEY, autoCreate);
    }

    /** Retention of processed ids, see {@link #RETENTION_KEY}. */
    public Builder retention(Duration retention) {
      return set(RETENTION_KEY, retention);
    }

    /**
     * The shortest retention the caller accepts (longest retry path plus dead-letter replay
     * horizon), see {@link #REQUIRED_RETENTION_KEY}.
     */
    public Builder requiredRetention(Duration requiredRetention) {
      return set(REQUIRED_RETENTION_KEY, requiredRetention);
    }

    /** Policy for records without any key, see {@link #MISSING_KEY_KEY}. */
    public Builder missingKey(MissingKeyPolicy policy) {
      return set(MISSING_KEY_KEY, policy == null ? null : policy.configValue());
    }

    /** Lease duration, see {@link #LEASE_DURATION_KEY}. */
    public Builder leaseDuration(Duration leaseDuration) {
      return set(LEASE_DURATION_KEY, leaseDuration);
    }

    /** Sweeper interval, see {@link #SWEEPER_INTERVAL_KEY}. */
    public Builder sweeperInterval(Duration interval) {
      return set(SWEEPER_INTERVAL_KEY, interval);
    }

    /** Sweeper batch size, see {@link #SWEEPER_BATCH_SIZE_KEY}. */
    public Builder sweeperBatchSize(int batchSize) {
      return set(SWEEPER_BATCH_SIZE_KEY, batchSize);
    }

    /**
     * Validates and builds.
     *
     * @throws dev.backstop.core.ConfigException listing every problem
     */
    public IdempotencyConfig build() {
      return new IdempotencyConfig(values);
    }
  }
}
