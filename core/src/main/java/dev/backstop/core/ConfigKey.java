package dev.backstop.core;

import dev.backstop.core.internal.ValueTypes;
import dev.backstop.core.internal.ValueTypes.Constraint;
import dev.backstop.core.internal.ValueTypes.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One configuration key: its name, type, default, documentation and the rules a value must follow.
 * Refinements ({@link #atLeast(Number)}, {@link #required()}, ...) return a new key. Define keys as
 * public constants and collect them in a {@link ConfigDef}.
 *
 * <p>Thread-safety: immutable, provided the predicates given to {@link #check} are stateless.
 *
 * @param <T> value type
 */
public final class ConfigKey<T> {
  private final String name;
  private final Type<T> type;
  private final T defaultValue;
  private final String doc;
  private final boolean required;
  private final boolean secret;
  private final List<Constraint<T>> constraints;

  private ConfigKey(
      String name,
      Type<T> type,
      T defaultValue,
      String doc,
      boolean required,
      boolean secret,
      List<Constraint<T>> constraints) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
    this.defaultValue = defaultValue;
    this.doc = doc == null ? "" : doc;
    this.required = required;
    this.secret = secret;
    this.constraints = List.copyOf(constraints);
  }

  private static <T> ConfigKey<T> of(String name, Type<T> type, T defaultValue, String doc) {
    return new ConfigKey<>(name, type, defaultValue, doc, false, false, List.of());
  }

  /** A duration like {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
  public static ConfigKey<Duration> duration(String name, Duration defaultValue, String doc) {
    return of(name, ValueTypes.DURATION, defaultValue, doc);
  }

  /** A decimal int. */
  public static ConfigKey<Integer> integer(String name, Integer defaultValue, String doc) {
    return of(name, ValueTypes.INTEGER, defaultValue, doc);
  }

  /** A decimal long. */
  public static ConfigKey<Long> longValue(String name, Long defaultValue, String doc) {
    return of(name, ValueTypes.LONG, defaultValue, doc);
  }

  /** A finite decimal number like {@code 0.5} or {@code 2}. */
  public static ConfigKey<Double> decimal(String name, Double defaultValue, String doc) {
    return of(name, ValueTypes.DECIMAL, defaultValue, doc);
  }

  /** {@code true} or {@code false} (any case). */
  public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String doc) {
    return of(name, ValueTypes.BOOLEAN, defaultValue, doc);
  }

  /** Text, surrounding blanks removed. */
  public static ConfigKey<String> string(String name, String defaultValue, String doc) {
    return of(name, ValueTypes.STRING, defaultValue, doc);
  }

  /**
   * Text that must be one of {@code allowed} (exactly, case included); a different value is
   * reported as {@code must be one of a, b, c}.
   */
  public static ConfigKey<String> choice(
      String name, String defaultValue, String doc, String... allowed) {
    List<String> choices = List.of(allowed);
    return string(name, defaultValue, doc)
        .check(choices::contains, "must be one of " + String.join(", ", choices));
  }

  /** A comma-separated list; blanks around items and empty items are dropped. */
  public static ConfigKey<List<String>> list(String name, List<String> defaultValue, String doc) {
    return of(name, ValueTypes.LIST, defaultValue == null ? null : List.copyOf(defaultValue), doc);
  }

  /** A comma-separated list of durations, like {@code 1s,30s,10m}. */
  public static ConfigKey<List<Duration>> durationList(
      String name, List<Duration> defaultValue, String doc) {
    return of(
        name,
        ValueTypes.DURATION_LIST,
        defaultValue == null ? null : List.copyOf(defaultValue),
        doc);
  }

  /** Values (each item, for lists) must be at least {@code min}; for number keys. */
  public ConfigKey<T> atLeast(Number min) {
    return with(type.atLeast(min, name));
  }

  /** Values (each item, for lists) must be at least {@code min}; for duration keys. */
  public ConfigKey<T> atLeast(Duration min) {
    return with(type.atLeast(min, name));
  }

  /** Values must be between {@code lo} and {@code hi}, both included; for number keys. */
  public ConfigKey<T> between(Number lo, Number hi) {
    return with(type.between(lo, hi, name));
  }

  /** Values must be between {@code lo} and {@code hi}, both included; for duration keys. */
  public ConfigKey<T> between(Duration lo, Duration hi) {
    return with(type.between(lo, hi, name));
  }

  /** The text of the value (each item, for lists) must match {@code pattern}; says {@code rule}. */
  public ConfigKey<T> matching(Pattern pattern, String ruleText) {
    return with(type.matching(pattern, ruleText));
  }

  /** Values must pass {@code test}; a failure is reported as {@code ruleText}. */
  public ConfigKey<T> check(Predicate<T> test, String ruleText) {
    return with(new Constraint<>(test, ruleText));
  }

  /** A copy without default that must be given. */
  public ConfigKey<T> required() {
    return new ConfigKey<>(name, type, null, doc, true, secret, constraints);
  }

  /** A copy whose value is masked ({@code ****}) in logs and error messages. */
  public ConfigKey<T> secret() {
    return new ConfigKey<>(name, type, defaultValue, doc, required, true, constraints);
  }

  /** The full key name, for example {@code backstop.outbox.batch-size}. */
  public String name() {
    return name;
  }

  /** One line of documentation. */
  public String doc() {
    return doc;
  }

  /** The default, or null when the key has none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** True when the key has no default and must be given. */
  public boolean isRequired() {
    return required;
  }

  /** True when the value is masked in logs and error messages. */
  public boolean isSecret() {
    return secret;
  }

  /** The value as configuration text ({@code 30s}, {@code a,b}), masked if secret. */
  public String render(T value) {
    if (value == null) {
      return "(not set)";
    }
    return secret ? Secrets.MASK : type.render(value);
  }

  /**
   * The value as configuration text, never masked: what a builder writes for the key, and what
   * parsing reads back to an equal value.
   */
  public String format(T value) {
    return type.render(Objects.requireNonNull(value, name));
  }

  @Override
  public String toString() {
    return name;
  }

  /** Parses and checks {@code text}; returns the value, or adds a problem and returns null. */
  T parse(String text, List<String> problems) {
    String shown = secret ? Secrets.MASK : text;
    T value;
    try {
      value = type.parse(text.strip());
    } catch (IllegalArgumentException e) {
      problems.add(ConfigDef.invalid(shown, name, e.getMessage()));
      return null;
    }
    for (Constraint<T> c : constraints) {
      if (!c.test().test(value)) {
        problems.add(ConfigDef.invalid(shown, name, c.rule()));
        return null;
      }
    }
    return value;
  }

  /** The first rule the default breaks, or null. */
  String defaultProblem() {
    if (defaultValue == null) {
      return null;
    }
    return constraints.stream()
        .filter(c -> !c.test().test(defaultValue))
        .map(Constraint::rule)
        .findFirst()
        .orElse(null);
  }

  private ConfigKey<T> with(Constraint<T> constraint) {
    List<Constraint<T>> more = new ArrayList<>(constraints);
    more.add(constraint);
    return new ConfigKey<>(name, type, defaultValue, doc, required, secret, more);
  }
}
