package dev.backstop.samples;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One sample's properties file: read from a directory when given and the file is there, else from
 * the class path ({@code src/main/resources}), with overrides from the command line applied on top.
 * The {@code backstop.*} and {@code kafka.*} keys go to the modules through {@link
 * BackstopProperties} ({@code ${VAR}} and {@code ${VAR:default}} resolved from the environment);
 * the sample's own keys ({@code sample.*}, {@code demo.*}) are validated with a {@link ConfigDef}.
 * Immutable and thread-safe.
 */
public final class SampleProperties {

  private final String name;
  private final Properties raw;

  private SampleProperties(String name, Properties raw) {
    this.name = name;
    this.raw = raw;
  }

  /**
   * Reads {@code fileName} from {@code directory} when it holds one, else the built-in copy, and
   * applies {@code overrides}.
   *
   * @param directory a directory with the user's own copies, or null
   */
  public static SampleProperties load(
      String fileName, Path directory, Map<String, String> overrides) {
    Properties raw = new Properties();
    Path own = directory == null ? null : directory.resolve(fileName);
    try {
      if (own != null && Files.isRegularFile(own)) {
        try (Reader in = Files.newBufferedReader(own, StandardCharsets.UTF_8)) {
          raw.load(in);
        }
      } else {
        try (InputStream in = SampleProperties.class.getResourceAsStream("/" + fileName)) {
          if (in == null) {
            throw new ConfigException(List.of("Cannot read configuration file " + fileName));
          }
          raw.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read configuration file " + own, e);
    }
    overrides.forEach(raw::setProperty);
    return new SampleProperties(
        own != null && Files.isRegularFile(own) ? own.toString() : fileName, raw);
  }

  /** The {@code backstop.*} and {@code kafka.*} keys, environment variables resolved. */
  public BackstopProperties backstop() {
    return BackstopProperties.from(raw, System.getenv());
  }

  /** The sample's own keys, validated by {@code definition}. */
  public ConfigValues parse(ConfigDef definition) {
    Map<String, String> all = new LinkedHashMap<>();
    raw.stringPropertyNames().forEach(key -> all.put(key, raw.getProperty(key)));
    return definition.parse(all);
  }

  /** Where the file came from: a path, or the name of the built-in copy. */
  public String name() {
    return name;
  }
}
