package dev.backstop.spring.internal;

import java.util.Map;
import java.util.Properties;

/**
 * The bound {@code backstop.*} properties of one component (the outbox, or one consumer) in the
 * shape of a plain Backstop properties file: module keys by their full names, Kafka client settings
 * without prefix, and the starter's own keys. Thread-safety: immutable.
 *
 * @param backstop module keys, full names ({@code backstop.retry.tiers}) to text
 * @param starter starter keys, full names as in {@code StarterKeys} to text
 * @param kafka client settings, Spring's first, Backstop's overrides after
 */
public record Section(
    Map<String, String> backstop, Map<String, String> starter, Map<String, Object> kafka) {

  /** Copies the maps. */
  public Section {
    backstop = Map.copyOf(backstop);
    starter = Map.copyOf(starter);
    kafka = Map.copyOf(kafka);
  }

  /** The module keys plus the Kafka settings as {@code kafka.*}, ready for a config factory. */
  public Properties properties() {
    Properties properties = new Properties();
    backstop.forEach(properties::setProperty);
    kafka.forEach((key, value) -> properties.setProperty("kafka." + key, String.valueOf(value)));
    return properties;
  }
}
