package dev.backstop.idempotency.internal;

import dev.backstop.core.SqlStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The dialect seam: where the SQL files of a dialect live and the few bindings that differ. The SQL
 * itself is in {@code dev/backstop/idempotency/<dialect>/statements.sql}. Immutable.
 */
public enum Dialect {
  /** PostgreSQL: {@code ON CONFLICT DO NOTHING}, arrays, transaction-level advisory locks. */
  POSTGRESQL {
    @Override
    Object timestamp(Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    void bindKeys(SqlStatement<?> statement, String name, List<String> keys) {
      statement.bindArray(name, String.class, keys);
    }
  },
  /**
   * MariaDB 10.6 or later: {@code INSERT IGNORE}, {@code JSON_TABLE ... RETURNING}, named locks.
   */
  MARIADB {
    @Override
    Object timestamp(Instant instant) {
      return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    void bindKeys(SqlStatement<?> statement, String name, List<String> keys) {
      statement.bind(name, JsonText.array(keys));
    }
  };

  /** The dialect of a configuration value ({@code postgresql}, {@code mariadb}). */
  public static Dialect of(String configValue) {
    return valueOf(configValue.toUpperCase(Locale.ROOT));
  }

  /**
   * The dialect of the database {@code jdbi} connects to, from the driver's product name.
   *
   * @throws dev.backstop.idempotency.IdempotencyException naming the product when it is neither
   */
  public static Dialect detect(org.jdbi.v3.core.Jdbi jdbi) {
    String product =
        jdbi.withHandle(
            h -> {
              try {
                return h.getConnection().getMetaData().getDatabaseProductName();
              } catch (java.sql.SQLException e) {
                throw new dev.backstop.idempotency.IdempotencyException(
                    "Cannot read which database the store connects to (set"
                        + " backstop.idempotency.dialect): "
                        + e.getMessage(),
                    e);
              }
            });
    String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    throw new dev.backstop.idempotency.IdempotencyException(
        "Cannot tell the SQL dialect of database "
            + product
            + ": set backstop.idempotency.dialect to postgresql or mariadb");
  }

  /** A timestamp argument as the driver stores it (always UTC). */
  abstract Object timestamp(Instant instant);

  /** Binds a list of keys as one parameter the batch claim expands into rows. */
  abstract void bindKeys(SqlStatement<?> statement, String name, List<String> keys);

  /** Reads a timestamp column (stored as UTC) as an instant; null stays null. */
  Instant instant(ResultSet rs, int column) throws SQLException {
    if (this == POSTGRESQL) {
      OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
      return value == null ? null : value.toInstant();
    }
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  /**
   * The dialect's statements with the table substituted.
   *
   * @param table the validated, possibly schema-qualified table name
   */
  SqlStatements statements(String table) {
    String path =
        "/dev/backstop/idempotency/" + name().toLowerCase(Locale.ROOT) + "/statements.sql";
    String bare = table.substring(table.indexOf('.') + 1);
    return SqlStatements.load(Dialect.class, path, Map.of("table", table, "name", bare));
  }
}
