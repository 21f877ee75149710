package dev.backstop.outbox.internal;

import dev.backstop.core.SqlStatements;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL of one dialect, loaded from {@code dev/backstop/outbox/sql/<dialect>/}: the named
 * statements of {@code statements.sql} and the versioned schema scripts, with {@code ${prefix}}
 * replaced by the validated table prefix. Immutable and thread-safe.
 */
public final class OutboxStatements {

  /** A table prefix: a letter or underscore, then letters, digits or underscores. */
  public static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

  private static final String ROOT = "/dev/backstop/outbox/sql/";

  private final String dialect;
  private final String prefix;
  private final SqlStatements statements;

  private OutboxStatements(String dialect, String prefix, SqlStatements statements) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.statements = statements;
  }

  /** Loads the statements of {@code dialect} for tables named {@code prefix + "outbox"} etc. */
  public static OutboxStatements load(String dialect, String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("Invalid table prefix " + prefix);
    }
    return new OutboxStatements(
        dialect,
        prefix,
        SqlStatements.load(
            OutboxStatements.class, ROOT + dialect + "/statements.sql", Map.of("prefix", prefix)));
  }

  /** The statement called {@code name}; fails naming the dialect when it does not exist. */
  public String get(String name) {
    return statements
        .find(name)
        .orElseThrow(
            () -> new IllegalStateException("No statement " + name + " for dialect " + dialect));
  }

  /** The statements of schema script {@code V<version>__outbox.sql}, ready to run one by one. */
  public List<String> schema(int version, int lanes) {
    return SqlStatements.script(
        OutboxStatements.class,
        ROOT + dialect + "/V" + version + "__outbox.sql",
        Map.of("prefix", prefix, "lanes", Integer.toString(lanes)));
  }
}
