package dev.backstop.idempotency.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The statements of one dialect for one table, read once. Thread-safe. */
final class StoreSql {
  private final Dialect dialect;
  private final String table;
  private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();

  StoreSql(Dialect dialect, String table) {
    this.dialect = dialect;
    this.table = table;
  }

  /** A statement the dialect must have. */
  String get(String name) {
    return find(name)
        .orElseThrow(
            () -> new IllegalStateException("Dialect " + dialect + " has no statement " + name));
  }

  /** A statement the dialect may lack. */
  Optional<String> find(String name) {
    return cache.computeIfAbsent(name, n -> dialect.sql(n, table));
  }
}
