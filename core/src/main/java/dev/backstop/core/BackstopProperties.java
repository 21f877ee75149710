package dev.backstop.core;

import dev.backstop.core.internal.EnvSubstitution;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Backstop properties file or {@link Properties}, with {@code ${VAR}} and {@code ${VAR:default}}
 * replaced from the environment, split in two: {@code backstop.*} keys (validated by each module's
 * {@link ConfigDef}) and {@code kafka.*} keys (passed to Kafka clients with the prefix removed).
 * Other keys are ignored.
 *
 * <p>Thread-safety: immutable.
 */
public final class BackstopProperties {
  /** Prefix of the keys Backstop validates. */
  public static final String BACKSTOP_PREFIX = "backstop.";

  /** Prefix of the keys passed to Kafka clients, without the prefix. */
  public static final String KAFKA_PREFIX = "kafka.";

  private final Map<String, String> backstop;
  private final Map<String, Object> kafka;

  private BackstopProperties(Map<String, String> backstop, Map<String, Object> kafka) {
    this.backstop = Collections.unmodifiableMap(backstop);
    this.kafka = Collections.unmodifiableMap(kafka);
  }

  /**
   * Reads {@code file} (UTF-8) with the process environment.
   *
   * @throws ConfigException naming the path when it cannot be read, or listing every problem
   */
  public static BackstopProperties load(Path file) {
    return load(file, System.getenv());
  }

  /** Reads {@code file} (UTF-8), substituting from {@code env}. */
  public static BackstopProperties load(Path file, Map<String, String> env) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          "Cannot read configuration file " + file.toAbsolutePath() + ": " + reason(e), e);
    }
    return from(properties, env);
  }

  /** Splits {@code properties}, substituting from the process environment. */
  public static BackstopProperties from(Properties properties) {
    return from(properties, System.getenv());
  }

  /**
   * Splits {@code properties}, substituting from {@code env}.
   *
   * @throws ConfigException listing every unresolved reference
   */
  public static BackstopProperties from(Properties properties, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Map<String, String> backstop = new TreeMap<>();
    Map<String, Object> kafka = new TreeMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      if (key.startsWith(BACKSTOP_PREFIX)) {
        backstop.put(key, substitute(key, properties, env, problems));
      } else if (key.startsWith(KAFKA_PREFIX)) {
        kafka.put(key.substring(KAFKA_PREFIX.length()), substitute(key, properties, env, problems));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new BackstopProperties(backstop, kafka);
  }

  /** Properties given as values already (no {@code ${VAR}} substitution), for builders. */
  static BackstopProperties of(Map<String, String> backstop, Map<String, ?> kafka) {
    return new BackstopProperties(new TreeMap<>(backstop), new TreeMap<>(kafka));
  }

  /** Every {@code backstop.*} key with its full name, sorted. */
  public Map<String, String> backstop() {
    return backstop;
  }

  /** Every {@code kafka.*} key without the {@code kafka.} prefix, sorted; values are strings. */
  public Map<String, Object> kafka() {
    return kafka;
  }

  private static String substitute(
      String key, Properties properties, Map<String, String> env, List<String> problems) {
    return EnvSubstitution.substitute(key, properties.getProperty(key), env, problems);
  }

  private static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "file not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
