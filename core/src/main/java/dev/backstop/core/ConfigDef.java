package dev.backstop.core;

import dev.backstop.core.internal.ConfigMessages;
import dev.backstop.core.internal.Levenshtein;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The configuration keys of one module and the rules across them. {@link #parse} validates a map of
 * {@code backstop.*} properties, collects every problem and throws them together in one {@link
 * ConfigException}. Keys under the module's owned prefixes that are not defined are rejected with
 * the nearest known key as a hint; keys outside those prefixes belong to other modules and are
 * ignored. A blank value counts as not set.
 *
 * <p>Thread-safety: immutable once built, provided the check predicates are stateless.
 */
public final class ConfigDef {
  private final List<String> othersPrefixes;
  private final List<String> ownedPrefixes;
  private final Map<String, ConfigKey<?>> keys;
  private final List<CrossCheck> checks;
  private final Map<String, String> rejectedKafkaKeys;

  private ConfigDef(Builder builder) {
    this.rejectedKafkaKeys =
        Collections.unmodifiableMap(new LinkedHashMap<>(builder.rejectedKafkaKeys));
    this.ownedPrefixes = List.copyOf(builder.ownedPrefixes);
    this.othersPrefixes = List.copyOf(builder.othersPrefixes);
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(builder.keys));
    this.checks = List.copyOf(builder.checks);
  }

  /** Starts a definition that owns every key starting with one of {@code ownedPrefixes}. */
  public static Builder builder(String... ownedPrefixes) {
    return new Builder(List.of(ownedPrefixes));
  }

  /**
   * Validates {@code backstopProps} (full key names to raw text).
   *
   * @throws ConfigException listing every problem found
   */
  public ConfigValues parse(Map<String, String> backstopProps) {
    return parse(backstopProps, Map.of());
  }

  /**
   * Validates the {@code backstop.*} part of {@code properties} and keeps its {@code kafka.*} part
   * for the checks and for {@link ConfigValues#kafka()}.
   *
   * @throws ConfigException listing every problem found
   */
  public ConfigValues parse(BackstopProperties properties) {
    return parse(properties.backstop(), properties.kafka());
  }

  private ConfigValues parse(Map<String, String> backstopProps, Map<String, Object> kafka) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    Set<String> set = new HashSet<>();
    Set<String> invalid = new HashSet<>();
    for (ConfigKey<?> key : keys.values()) {
      String raw = backstopProps.get(key.name());
      if (raw == null || raw.isBlank()) {
        values.put(key.name(), key.defaultValue());
        if (key.isRequired()) {
          problems.add("Missing value for " + key.name() + ": required");
          invalid.add(key.name());
        }
        continue;
      }
      set.add(key.name());
      Object value = key.parse(raw, problems);
      if (value == null) {
        invalid.add(key.name());
      }
      values.put(key.name(), value);
    }
    problems.addAll(unknownKeys(backstopProps.keySet()));
    ConfigValues result = new ConfigValues(keys, values, set, invalid, kafka);
    checks.forEach(check -> check.apply(result, invalid, problems));
    for (Map.Entry<String, String> rejected : rejectedKafkaKeys.entrySet()) {
      if (kafka.containsKey(rejected.getKey())) {
        problems.add(
            "Invalid key "
                + BackstopProperties.KAFKA_PREFIX
                + rejected.getKey()
                + ": "
                + rejected.getValue());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return result;
  }

  /**
   * The resolved configuration, one {@code key = value} line per key in definition order, for a
   * start-up log; defaults are marked {@code (default)}. The {@code kafka.*} client properties
   * follow, sorted. Secrets show as {@link Secrets#MASK}: secret keys, and Kafka properties that
   * hold credentials.
   */
  public String describe(ConfigValues values) {
    StringBuilder out = new StringBuilder();
    for (ConfigKey<?> key : keys.values()) {
      out.append(key.name()).append(" = ").append(renderValue(key, values));
      if (!values.isSet(key)) {
        out.append(" (default)");
      }
      out.append('\n');
    }
    values
        .kafka()
        .forEach(
            (name, value) ->
                out.append(BackstopProperties.KAFKA_PREFIX)
                    .append(name)
                    .append(" = ")
                    .append(Secrets.showKafka(name, value))
                    .append('\n'));
    return out.toString();
  }

  /** The defined keys in definition order. */
  public List<ConfigKey<?>> keys() {
    return List.copyOf(keys.values());
  }

  static String invalid(String shownValue, String key, String rule) {
    return ConfigMessages.invalid(shownValue, key, rule);
  }

  private static <T> String renderValue(ConfigKey<T> key, ConfigValues values) {
    return key.render(values.get(key));
  }

  private List<String> unknownKeys(Set<String> given) {
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(given)) {
      if (othersPrefixes.stream().anyMatch(name::startsWith)) {
        continue; // another module's keys, inside a prefix this one owns
      }
      ownedPrefixes.stream()
          .filter(name::startsWith)
          .findFirst()
          .filter(prefix -> !keys.containsKey(name))
          .ifPresent(prefix -> problems.add(unknownKey(name, name.length() - prefix.length())));
    }
    return problems;
  }

  private String unknownKey(String name, int suffixLength) {
    int tolerance = Math.max(2, suffixLength / 3);
    String nearest = Levenshtein.nearest(name, keys.keySet(), tolerance);
    if (nearest != null) {
      return "Unknown key " + name + ": did you mean " + nearest + "?";
    }
    return "Unknown key " + name + ": known keys are " + String.join(", ", keys.keySet());
  }

  private record CrossCheck(
      String key, Predicate<ConfigValues> test, Function<ConfigValues, String> rule) {
    void apply(ConfigValues values, Set<String> invalid, List<String> problems) {
      if (invalid.contains(key)) {
        return;
      }
      try {
        if (!test.test(values)) {
          problems.add(invalid(renderValue(keyOf(values), values), key, rule.apply(values)));
        }
      } catch (ConfigValues.UnusableValue e) {
        // another key of this check is invalid and already reported
      }
    }

    private ConfigKey<?> keyOf(ConfigValues values) {
      return values.keyNamed(key);
    }
  }

  /**
   * Collects keys and cross-key checks.
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   */
  public static final class Builder {
    private final List<String> ownedPrefixes;
    private final List<String> othersPrefixes = new ArrayList<>();
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final List<CrossCheck> checks = new ArrayList<>();
    private final Map<String, String> rejectedKafkaKeys = new LinkedHashMap<>();

    private Builder(List<String> ownedPrefixes) {
      this.ownedPrefixes = ownedPrefixes;
    }

    /**
     * Adds keys.
     *
     * @throws IllegalArgumentException when a name is defined twice or a default breaks a rule
     */
    public Builder define(ConfigKey<?>... more) {
      for (ConfigKey<?> key : more) {
        if (keys.putIfAbsent(key.name(), key) != null) {
          throw new IllegalArgumentException("key " + key.name() + " is defined twice");
        }
        String broken = key.defaultProblem();
        if (broken != null) {
          throw new IllegalArgumentException(
              "the default of " + key.name() + " breaks its own rule: " + broken);
        }
      }
      return this;
    }

    /**
     * Leaves the keys under {@code prefixes}, inside a prefix this definition owns, to another
     * module: they are neither read nor rejected here, so one properties file can hold both.
     */
    public Builder exceptPrefixes(String... prefixes) {
      othersPrefixes.addAll(List.of(prefixes));
      return this;
    }

    /**
     * Adds a rule across keys, reported against {@code key} as {@code Invalid value V for key:
     * rule}. It is skipped when a key it reads is itself invalid (that problem is reported
     * already).
     */
    public Builder check(String key, Predicate<ConfigValues> test, String rule) {
      Objects.requireNonNull(rule, "rule");
      return check(key, test, values -> rule);
    }

    /** {@link #check(String, Predicate, String)} for a key of this definition. */
    public Builder check(ConfigKey<?> key, Predicate<ConfigValues> test, String rule) {
      return check(key.name(), test, rule);
    }

    /**
     * {@link #check(String, Predicate, String)} with a rule text made from the values, for a rule
     * that quotes another key's value or a {@code kafka.*} setting.
     */
    public Builder check(
        ConfigKey<?> key, Predicate<ConfigValues> test, Function<ConfigValues, String> rule) {
      return check(key.name(), test, rule);
    }

    private Builder check(
        String key, Predicate<ConfigValues> test, Function<ConfigValues, String> rule) {
      checks.add(
          new CrossCheck(
              key, Objects.requireNonNull(test, "test"), Objects.requireNonNull(rule, "rule")));
      return this;
    }

    /**
     * Rejects the Kafka client property {@code kafkaKey} (without {@code kafka.}), as {@code
     * Invalid key kafka.K: rule}: for a setting the module makes itself.
     */
    public Builder rejectKafkaKey(String kafkaKey, String rule) {
      rejectedKafkaKeys.put(Objects.requireNonNull(kafkaKey, "kafkaKey"), rule);
      return this;
    }

    /**
     * The definition.
     *
     * @throws IllegalArgumentException when a check names an undefined key
     */
    public ConfigDef build() {
      for (CrossCheck check : checks) {
        if (!keys.containsKey(check.key())) {
          throw new IllegalArgumentException("check on undefined key " + check.key());
        }
      }
      return new ConfigDef(this);
    }
  }
}
