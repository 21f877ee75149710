package dev.backstop.idempotency.internal;

import dev.backstop.core.SqlStatements;
import java.util.Optional;

/** The statements of one dialect for one table, read once. Immutable and thread-safe. */
final class StoreSql {
  private final Dialect dialect;
  private final SqlStatements statements;

  StoreSql(Dialect dialect, String table) {
    this.dialect = dialect;
    this.statements = dialect.statements(table);
  }

  /** A statement the dialect must have. */
  String get(String name) {
    return find(name)
        .orElseThrow(
            () -> new IllegalStateException("Dialect " + dialect + " has no statement " + name));
  }

  /** A statement the dialect may lack. */
  Optional<String> find(String name) {
    return statements.find(name);
  }
}
