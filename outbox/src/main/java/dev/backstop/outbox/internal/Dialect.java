package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * What differs between databases beyond the SQL files: how a list of lanes and a UUID are bound,
 * and how a writer takes the next lane sequence. A new database adds SQL files and one small
 * implementation of this. Implementations are immutable and thread-safe.
 */
public interface Dialect {

  /** The folder of this dialect's SQL files, e.g. {@code postgresql}. */
  String name();

  /** The statements, with the table prefix applied. */
  Sql sql();

  /** Binds the list of lanes at {@code index} of a statement that takes a lane list. */
  void bindLanes(Connection connection, PreparedStatement statement, int index, int[] lanes)
      throws SQLException;

  /** Binds a list of sequence numbers (one per lane of a lane list). */
  void bindSeqs(Connection connection, PreparedStatement statement, int index, long[] seqs)
      throws SQLException;

  /** Binds a message id. */
  void bindUuid(PreparedStatement statement, int index, UUID id) throws SQLException;

  /** Reads a message id. */
  UUID readUuid(ResultSet rows, int index) throws SQLException;

  /**
   * Takes the next sequence of {@code lane} (locking the lane's counter row until commit) and
   * inserts the message; returns false when the lane's counter row does not exist.
   */
  boolean insert(
      Connection connection,
      int lane,
      UUID id,
      String topic,
      byte[] key,
      byte[] value,
      byte[] headers)
      throws SQLException;

  /**
   * The dialect of a JDBC product name or configured name ({@code postgresql}, {@code mariadb}).
   */
  static Dialect of(String name, String prefix) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("postgres")) {
      return new PostgresDialect(Sql.load("postgresql", prefix));
    }
    throw new dev.backstop.outbox.OutboxException(
        "Unsupported database "
            + name
            + " for the outbox: supported is postgresql (backstop.outbox.dialect)");
  }
}
