package dev.backstop.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named SQL statements read from one classpath resource. A statement starts at a line {@code --
 * name: <name>} and ends at the next such line; other lines starting with {@code --} are comments
 * and dropped; each {@code ${key}} of the placeholders is replaced by its value (validated by the
 * caller: the values go into the SQL as they are).
 *
 * <p>Thread-safety: immutable.
 */
public final class SqlStatements {
  private static final String NAME_MARK = "-- name:";

  private final String resource;
  private final Map<String, String> statements;

  private SqlStatements(String resource, Map<String, String> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  /**
   * Reads the statements of {@code resource}, an absolute resource path found through {@code
   * owner}'s class loader, with {@code placeholders} substituted.
   *
   * @throws IllegalStateException when the resource does not exist
   */
  public static SqlStatements load(
      Class<?> owner, String resource, Map<String, String> placeholders) {
    return new SqlStatements(resource, parse(read(owner, resource, placeholders)));
  }

  /**
   * The statements of script {@code resource}: comments dropped, {@code placeholders} substituted,
   * split at each {@code ;}, ready to run one by one.
   */
  public static List<String> script(
      Class<?> owner, String resource, Map<String, String> placeholders) {
    List<String> result = new ArrayList<>();
    for (String part : stripComments(read(owner, resource, placeholders)).split(";")) {
      if (!part.isBlank()) {
        result.add(part.strip());
      }
    }
    return result;
  }

  /** The statement called {@code name}, or empty when the resource has none. */
  public Optional<String> find(String name) {
    return Optional.ofNullable(statements.get(name));
  }

  /**
   * The statement called {@code name}.
   *
   * @throws IllegalStateException naming the resource when there is no such statement
   */
  public String get(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalStateException("No statement " + name + " in " + resource));
  }

  private static Map<String, String> parse(String text) {
    Map<String, String> result = new HashMap<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith(NAME_MARK)) {
        put(result, name, body);
        name = line.substring(NAME_MARK.length()).strip();
        body.setLength(0);
      } else if (!comment(line)) {
        body.append(line).append('\n');
      }
    }
    put(result, name, body);
    return Map.copyOf(result);
  }

  private static void put(Map<String, String> result, String name, StringBuilder body) {
    if (name != null) {
      result.put(name, body.toString().strip());
    }
  }

  private static String stripComments(String script) {
    StringBuilder out = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!comment(line)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static boolean comment(String line) {
    return line.strip().startsWith("--");
  }

  private static String read(Class<?> owner, String resource, Map<String, String> placeholders) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing SQL resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
        text = text.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
