package dev.backstop.outbox.internal;

import dev.backstop.outbox.OutboxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What differs between databases beyond the SQL files: how lists, message ids and times are bound
 * and read, how a writer takes the next lane sequence, how leases are renewed and taken (with or
 * without {@code UPDATE ... RETURNING}) and how the head of the lanes is read (with or without a
 * lateral join). A new database adds SQL files and one implementation of this. Implementations are
 * immutable and thread-safe.
 */
public interface Dialect {

  /** The folder of this dialect's SQL files, e.g. {@code postgresql}. */
  String name();

  /** The statements, with the table prefix applied. */
  OutboxStatements sql();

  /** Undoes what {@link #relayTransaction} changed on a connection; never throws. */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Sets up a connection the relay just borrowed for a transaction of its own (lease maintenance,
   * finishing a batch, a requeue); closing the result restores the connection before it goes back
   * to the pool. The default changes nothing.
   */
  default Restore relayTransaction(Connection connection) throws SQLException {
    return () -> {};
  }

  /**
   * Whether {@code delete-range} takes a fourth parameter, the number of rows in the range (a
   * {@code LIMIT} that stops the scan at the range's last row).
   */
  default boolean limitsRangeDeletes() {
    return false;
  }

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

  /** Reads a time column as an instant; null stays null. */
  Instant readInstant(ResultSet rows, int index) throws SQLException;

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
   * A statement that reads about {@code batchSize} rows from the heads of the busy ones of {@code
   * lanes}, above {@code floors[i]} in {@code lanes[i]}, ordered by lane (in list order) and
   * sequence, with the columns of {@code read-batch}; null when no lane holds such rows.
   */
  PreparedStatement readBatch(Connection connection, int[] lanes, long[] floors, int batchSize)
      throws SQLException;

  /**
   * Extends every lease {@code relayId} holds by {@code seconds}; returns lane to epoch of the
   * lanes it still holds. Runs inside the caller's transaction.
   */
  Map<Integer, Long> renewLeases(Connection connection, String relayId, double seconds)
      throws SQLException;

  /**
   * Takes up to {@code count} lanes that have no live owner (skipping lanes another transaction has
   * locked), raising each epoch; returns lane to the new epoch and the owner the lease expired from
   * (null for a released lane). Runs inside the caller's transaction.
   */
  Map<Integer, Taken> acquireLeases(
      Connection connection, String relayId, double seconds, int count) throws SQLException;

  /** A lane taken: its new epoch and the relay whose lease had expired (null: it was free). */
  record Taken(long epoch, String previousOwner) {}

  /**
   * The dialect of a JDBC product name or configured name: {@code postgresql}, {@code mariadb}
   * ({@code mysql} picks the MariaDB dialect).
   */
  static Dialect of(String name, String prefix) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.contains("postgres")) {
      return new PostgresDialect(prefix);
    }
    if (lower.contains("mariadb") || lower.contains("mysql")) {
      return new MariadbDialect(prefix);
    }
    throw new OutboxException(
        "Unsupported database "
            + name
            + " for the outbox: supported are postgresql and mariadb (backstop.outbox.dialect)");
  }
}
