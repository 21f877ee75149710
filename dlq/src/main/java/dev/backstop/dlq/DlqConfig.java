package dev.backstop.dlq;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.core.Durations;
import dev.backstop.dlq.internal.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration of the dead-letter tools: Kafka client properties ({@code kafka.*} keys, passed to
 * the clients as they are, SASL and SSL included) and the {@code backstop.dlq.*} keys below.
 * Immutable and thread-safe. Built by {@link #builder()} or {@link #from(Properties)}; both end in
 * the validating constructor.
 *
 * @param kafka client properties without the {@code kafka.} prefix; must name {@code
 *     bootstrap.servers}
 * @param timeout how long to wait for the cluster on each request
 * @param maxReplays the default replay cap
 * @param allowedTargets topics a replay may write to ({@code *} matches any run of characters);
 *     empty allows any existing topic
 * @param checkpointPrefix prefix of the consumer groups that hold replay checkpoints
 * @param maxInFlight the most replayed records in one transaction (sent, not yet committed)
 */
public record DlqConfig(
    Map<String, Object> kafka,
    Duration timeout,
    int maxReplays,
    List<String> allowedTargets,
    String checkpointPrefix,
    int maxInFlight) {

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
              java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}"),
              "must be letters, digits, '.', '_' or '-'");

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

  /** Validates every value with the keys' rules; throws one exception listing every problem. */
  public DlqConfig {
    kafka = Map.copyOf(kafka);
    allowedTargets = List.copyOf(allowedTargets);
    DEF.parse(asProperties(timeout, maxReplays, allowedTargets, checkpointPrefix, maxInFlight));
    Object servers = kafka.get("bootstrap.servers");
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

  private static DlqConfig from(BackstopProperties properties) {
    ConfigValues values = DEF.parse(properties.backstop());
    return new DlqConfig(
        properties.kafka(),
        values.get(TIMEOUT),
        values.get(MAX_REPLAYS),
        values.get(ALLOWED_TARGETS),
        values.get(CHECKPOINT_PREFIX),
        values.get(MAX_IN_FLIGHT));
  }

  /** A builder with the defaults and no Kafka properties. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy with {@code bootstrap.servers} replaced (what {@code --bootstrap-server} does). */
  public DlqConfig withBootstrapServers(String servers) {
    Map<String, Object> copy = new HashMap<>(kafka);
    copy.put("bootstrap.servers", servers);
    return new DlqConfig(copy, timeout, maxReplays, allowedTargets, checkpointPrefix, maxInFlight);
  }

  /** A copy with a different timeout. */
  public DlqConfig withTimeout(Duration value) {
    return new DlqConfig(kafka, value, maxReplays, allowedTargets, checkpointPrefix, maxInFlight);
  }

  /** The bootstrap servers, for messages. */
  public String bootstrapServers() {
    return String.valueOf(kafka.get("bootstrap.servers"));
  }

  /**
   * The resolved configuration, one {@code key=value} per line, sorted, with the values of secret
   * keys (passwords, JAAS configs, keys, tokens) replaced by {@code [hidden]}.
   */
  public String describe() {
    Map<String, String> lines = new TreeMap<>();
    kafka.forEach(
        (k, v) ->
            lines.put("kafka." + k, Secrets.isSecret(k) ? Secrets.HIDDEN : String.valueOf(v)));
    lines.putAll(asProperties(timeout, maxReplays, allowedTargets, checkpointPrefix, maxInFlight));
    StringBuilder out = new StringBuilder();
    lines.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    return out.toString();
  }

  /**
   * The configuration with secret values hidden, as {@link #describe()}: a record's generated
   * {@code toString()} would print {@code sasl.jaas.config} and passwords into any log line that
   * mentions the config.
   */
  @Override
  public String toString() {
    return "DlqConfig{" + describe().strip().replace('\n', ' ') + "}";
  }

  /**
   * {@code text} with every secret value of the Kafka properties replaced by {@code [hidden]}; used
   * on every error message and log line that might quote a client setting.
   */
  public String redact(String text) {
    return Secrets.redact(text, kafka);
  }

  private static Map<String, String> asProperties(
      Duration timeout,
      int maxReplays,
      List<String> allowedTargets,
      String checkpointPrefix,
      int maxInFlight) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(TIMEOUT.name(), timeout == null ? "" : Durations.format(timeout));
    map.put(MAX_REPLAYS.name(), Integer.toString(maxReplays));
    map.put(ALLOWED_TARGETS.name(), String.join(",", allowedTargets));
    map.put(CHECKPOINT_PREFIX.name(), checkpointPrefix == null ? "" : checkpointPrefix);
    map.put(MAX_IN_FLIGHT.name(), Integer.toString(maxInFlight));
    return map;
  }

  /** Builds a {@link DlqConfig}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> kafka = new HashMap<>();
    private Duration timeout = TIMEOUT.defaultValue();
    private int maxReplays = MAX_REPLAYS.defaultValue();
    private List<String> allowedTargets = ALLOWED_TARGETS.defaultValue();
    private String checkpointPrefix = CHECKPOINT_PREFIX.defaultValue();
    private int maxInFlight = MAX_IN_FLIGHT.defaultValue();

    private Builder() {}

    /** Sets {@code bootstrap.servers}. */
    public Builder bootstrapServers(String servers) {
      kafka.put("bootstrap.servers", servers);
      return this;
    }

    /** Sets one Kafka client property (no {@code kafka.} prefix). */
    public Builder kafka(String key, Object value) {
      kafka.put(key, value);
      return this;
    }

    /** See {@link DlqConfig#TIMEOUT}. */
    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    /** See {@link DlqConfig#MAX_REPLAYS}. */
    public Builder maxReplays(int value) {
      maxReplays = value;
      return this;
    }

    /** See {@link DlqConfig#ALLOWED_TARGETS}. */
    public Builder allowedTargets(List<String> value) {
      allowedTargets = value;
      return this;
    }

    /** See {@link DlqConfig#CHECKPOINT_PREFIX}. */
    public Builder checkpointPrefix(String value) {
      checkpointPrefix = value;
      return this;
    }

    /** See {@link DlqConfig#MAX_IN_FLIGHT}. */
    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    /** The configuration; throws on an invalid value. */
    public DlqConfig build() {
      return new DlqConfig(
          kafka, timeout, maxReplays, allowedTargets, checkpointPrefix, maxInFlight);
    }
  }
}
