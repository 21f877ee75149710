package dev.backstop.dlq;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigBuilder;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.core.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Configuration of the dead-letter tools: Kafka client properties ({@code kafka.*} keys, passed to
 * the clients as they are, SASL and SSL included; {@code bootstrap.servers} is required) and the
 * {@code backstop.dlq.read.*} and {@code backstop.dlq.replay.*} keys below. Built from a properties
 * file, {@link Properties} or {@link #builder()}; every path goes through one validating parse that
 * reports every problem at once.
 *
 * <p>Immutable and thread-safe.
 */
public final class DlqConfig {

  /** How long to wait for the cluster on each request (metadata, offsets, a poll). */
  public static final ConfigKey<Duration> TIMEOUT =
      ConfigKey.duration(
              "backstop.dlq.read.timeout",
              Duration.ofSeconds(15),
              "How long to wait for the cluster before failing with a clear message")
          .atLeast(Duration.ofMillis(100));

  /** Default for {@code --max-replays}: dead letters replayed this often are refused. */
  public static final ConfigKey<Integer> MAX_REPLAYS =
      ConfigKey.integer(
              "backstop.dlq.replay.max-replays",
              3,
              "Refuse dead letters whose backstop.replay.count is already at least this")
          .atLeast(0);

  /** Topics a replay may write to; empty allows any existing topic. */
  public static final ConfigKey<List<String>> ALLOWED_TARGETS =
      ConfigKey.list(
          "backstop.dlq.replay.allowed-targets",
          List.of(),
          "Comma-separated topics (with * wildcards) a replay may write to; empty allows any");

  /** Prefix of the consumer groups that hold replay checkpoints. */
  public static final ConfigKey<String> CHECKPOINT_PREFIX =
      ConfigKey.string(
              "backstop.dlq.replay.checkpoint-prefix",
              "backstop-replay-",
              "Prefix of the consumer group that records each replay's progress")
          .matching(
              Pattern.compile("[A-Za-z0-9._-]{1,100}"), "must be letters, digits, '.', '_' or '-'");

  /** The most replayed records in one replay transaction (sent, not yet committed). */
  public static final ConfigKey<Integer> MAX_IN_FLIGHT =
      ConfigKey.integer(
              "backstop.dlq.replay.max-in-flight",
              10_000,
              "Most replayed records in one transaction (sent, not yet committed); bounds memory"
                  + " and how long a stop waits")
          .atLeast(1);

  private static final ConfigDef DEF =
      ConfigDef.builder("backstop.dlq.read.", "backstop.dlq.replay.")
          .define(TIMEOUT, MAX_REPLAYS, ALLOWED_TARGETS, CHECKPOINT_PREFIX, MAX_IN_FLIGHT)
          .build();

  private final BackstopProperties source;
  private final ConfigValues values;

  private DlqConfig(BackstopProperties source) {
    this.source = source;
    this.values = DEF.parse(source);
    Object servers = values.kafka().get("bootstrap.servers");
    if (servers == null || servers.toString().isBlank()) {
      throw new InvalidInputException(
          "Missing value for kafka.bootstrap.servers: required (pass --bootstrap-server HOST:PORT"
              + " or set kafka.bootstrap.servers in the --config file)");
    }
  }

  /** Reads a properties file ({@code ${VAR}} substituted from the environment). */
  public static DlqConfig load(Path file) {
    return from(BackstopProperties.load(file));
  }

  /** Reads {@code kafka.*} and {@code backstop.dlq.*} keys from {@code properties}. */
  public static DlqConfig from(Properties properties) {
    return from(BackstopProperties.from(properties));
  }

  /**
   * Reads already loaded properties.
   *
   * @throws ConfigException listing every invalid {@code backstop.dlq.*} value
   * @throws InvalidInputException when {@code kafka.bootstrap.servers} is missing
   */
  public static DlqConfig from(BackstopProperties properties) {
    return new DlqConfig(properties);
  }

  /** A builder with the defaults and no Kafka properties. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy with {@code bootstrap.servers} replaced (what {@code --bootstrap-server} does). */
  public DlqConfig withBootstrapServers(String servers) {
    return toBuilder().bootstrapServers(servers).build();
  }

  /** A copy with a different timeout. */
  public DlqConfig withTimeout(Duration value) {
    return toBuilder().timeout(value).build();
  }

  private Builder toBuilder() {
    Builder builder = builder().kafka(source.kafka());
    source.backstop().forEach(builder::set);
    return builder;
  }

  /** The value of {@code key} (any key of this class). */
  public <T> T get(ConfigKey<T> key) {
    return values.get(key);
  }

  /** Client properties without the {@code kafka.} prefix. */
  public Map<String, Object> kafka() {
    return values.kafka();
  }

  /** How long to wait for the cluster on each request. */
  public Duration timeout() {
    return values.get(TIMEOUT);
  }

  /** The default replay cap. */
  public int maxReplays() {
    return values.get(MAX_REPLAYS);
  }

  /** Topics a replay may write to ({@code *} matches any run of characters); empty allows any. */
  public List<String> allowedTargets() {
    return values.get(ALLOWED_TARGETS);
  }

  /** Prefix of the consumer groups that hold replay checkpoints. */
  public String checkpointPrefix() {
    return values.get(CHECKPOINT_PREFIX);
  }

  /** The most replayed records in one transaction (sent, not yet committed). */
  public int maxInFlight() {
    return values.get(MAX_IN_FLIGHT);
  }

  /** The bootstrap servers, for messages. */
  public String bootstrapServers() {
    return String.valueOf(kafka().get("bootstrap.servers"));
  }

  /**
   * The resolved configuration, one {@code key = value} line per key, then the {@code kafka.*}
   * properties; secret values (passwords, JAAS configs, keys, tokens) show as {@link Secrets#MASK}.
   */
  public String describe() {
    return DEF.describe(values);
  }

  /** The configuration with secret values hidden, as {@link #describe()}. */
  @Override
  public String toString() {
    return describe();
  }

  /**
   * {@code text} with every secret value of the Kafka properties replaced by {@link Secrets#MASK};
   * used on every error message and log line that might quote a client setting.
   */
  public String redact(String text) {
    return Secrets.redact(text, kafka());
  }

  /** Builds a {@link DlqConfig}; {@link #build()} validates as reading properties does. */
  public static final class Builder extends ConfigBuilder.WithKafka<DlqConfig, Builder> {

    private Builder() {
      super(DlqConfig::from);
    }

    public Builder timeout(Duration value) {
      return set(TIMEOUT, value);
    }

    public Builder maxReplays(int value) {
      return set(MAX_REPLAYS, value);
    }

    public Builder allowedTargets(List<String> value) {
      return set(ALLOWED_TARGETS, value);
    }

    public Builder checkpointPrefix(String value) {
      return set(CHECKPOINT_PREFIX, value);
    }

    public Builder maxInFlight(int value) {
      return set(MAX_IN_FLIGHT, value);
    }
  }
}
