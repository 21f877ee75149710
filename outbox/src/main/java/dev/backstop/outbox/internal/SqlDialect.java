package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dialects share: the name that is also their SQL folder, the loaded statements, and the
 * JDBC plumbing both use. Immutable and thread-safe.
 */
abstract class SqlDialect implements Dialect {

  /** Binds the parameters of a prepared statement. */
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private final String name;
  final OutboxStatements sql;

  SqlDialect(String name, String prefix) {
    this.name = name;
    this.sql = OutboxStatements.load(name, prefix);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final OutboxStatements sql() {
    return sql;
  }

  /** Prepares {@code text} and binds it; the statement is closed when binding fails. */
  static PreparedStatement prepare(Connection connection, String text, Binder binder)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(text);
    try {
      binder.bind(statement);
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  /** Runs a query of (lane, epoch, previous owner) rows. */
  static Map<Integer, Dialect.Taken> taken(PreparedStatement statement) throws SQLException {
    Map<Integer, Dialect.Taken> result = new TreeMap<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.put(rows.getInt(1), new Dialect.Taken(rows.getLong(2), rows.getString(3)));
      }
    }
    return result;
  }

  /** Runs a query of (lane, epoch) rows. */
  static Map<Integer, Long> laneEpochs(PreparedStatement statement) throws SQLException {
    Map<Integer, Long> result = new TreeMap<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return result;
  }
}
