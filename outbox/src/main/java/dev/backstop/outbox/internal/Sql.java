package dev.backstop.outbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL of one dialect, loaded from {@code dev/backstop/outbox/sql/<dialect>/}: the named
 * statements of {@code statements.sql} and the versioned schema scripts, with {@code ${prefix}}
 * replaced by the validated table prefix. Immutable and thread-safe.
 */
public final class Sql {

  /** A table prefix: a letter or underscore, then letters, digits or underscores. */
  public static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

  private static final String ROOT = "/dev/backstop/outbox/sql/";
  private static final String NAME_MARK = "-- name:";

  private final String dialect;
  private final String prefix;
  private final Map<String, String> statements;

  private Sql(String dialect, String prefix, Map<String, String> statements) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.statements = statements;
  }

  /** Loads the statements of {@code dialect} for tables named {@code prefix + "outbox"} etc. */
  public static Sql load(String dialect, String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("Invalid table prefix " + prefix);
    }
    return new Sql(
        dialect, prefix, parse(read(dialect, "statements.sql").replace("${prefix}", prefix)));
  }

  /** The statement called {@code name}; fails naming the dialect when it does not exist. */
  public String get(String name) {
    String sql = statements.get(name);
    if (sql == null) {
      throw new IllegalStateException("No statement " + name + " for dialect " + dialect);
    }
    return sql;
  }

  /** The statements of schema script {@code V<version>__outbox.sql}, ready to run one by one. */
  public List<String> schema(int version, int lanes) {
    String script =
        read(dialect, "V" + version + "__outbox.sql")
            .replace("${prefix}", prefix)
            .replace("${lanes}", Integer.toString(lanes));
    List<String> result = new ArrayList<>();
    for (String part : stripComments(script).split(";")) {
      if (!part.isBlank()) {
        result.add(part.strip());
      }
    }
    return result;
  }

  static Map<String, String> parse(String text) {
    Map<String, String> result = new HashMap<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith(NAME_MARK)) {
        put(result, name, body);
        name = line.substring(NAME_MARK.length()).strip();
        body.setLength(0);
      } else if (!line.strip().startsWith("--")) {
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
      if (!line.strip().startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String read(String dialect, String file) {
    String path = ROOT + dialect + "/" + file;
    try (InputStream in = Sql.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Missing SQL resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
