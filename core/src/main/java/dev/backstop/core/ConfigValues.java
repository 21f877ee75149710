package dev.backstop.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validated values of one {@link ConfigDef}: each key's parsed value or its default, and the
 * {@code kafka.*} client properties that came with them.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigValues {
  private final Map<String, ConfigKey<?>> keys;
  private final Map<String, Object> values;
  private final Set<String> explicitlySet;
  private final Set<String> invalid;
  private final Map<String, Object> kafka;

  ConfigValues(
      Map<String, ConfigKey<?>> keys,
      Map<String, Object> values,
      Set<String> explicitlySet,
      Set<String> invalid,
      Map<String, Object> kafka) {
    this.keys = keys;
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    this.values = Collections.unmodifiableMap(new HashMap<>(values));
    this.explicitlySet = Set.copyOf(explicitlySet);
    this.invalid = Set.copyOf(invalid);
  }

  /**
   * The value of {@code key}: as configured, else its default (null if it has none).
   *
   * @throws IllegalArgumentException if {@code key} is not defined in the {@link ConfigDef}
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    requireDefined(key);
    if (invalid.contains(key.name())) {
      throw new UnusableValue();
    }
    return (T) values.get(key.name());
  }

  /** True when {@code key} was given in the configuration (not taken from its default). */
  public boolean isSet(ConfigKey<?> key) {
    requireDefined(key);
    return explicitlySet.contains(key.name());
  }

  /**
   * The {@code kafka.*} client properties (prefix removed), sorted by name; empty when the values
   * were parsed without them.
   */
  public Map<String, Object> kafka() {
    return kafka;
  }

  /** The defined key called {@code name}. */
  ConfigKey<?> keyNamed(String name) {
    return keys.get(name);
  }

  private void requireDefined(ConfigKey<?> key) {
    if (!keys.containsKey(key.name())) {
      throw new IllegalArgumentException(
          key.name() + " is not defined in this configuration; defined keys: " + keys.keySet());
    }
  }

  /** Thrown to a cross-key check that reads a key whose own value was invalid; skips that check. */
  static final class UnusableValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnusableValue() {
      super(null, null, false, false);
    }
  }
}
