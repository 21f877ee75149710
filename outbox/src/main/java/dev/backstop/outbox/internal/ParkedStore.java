package dev.backstop.outbox.internal;

import dev.backstop.core.MessageId;
import dev.backstop.outbox.ParkedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Lists and requeues parked rows. A requeue moves the parked rows of one key back into the outbox
 * with their original sequence numbers, under the lane's lease row lock (the relay's batch
 * transaction takes the same lock), so the key's messages go out in their original order.
 * Thread-safe.
 */
public final class ParkedStore {

  private final DataSource dataSource;
  private final Dialect dialect;

  ParkedStore(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** Up to {@code limit} parked messages, by lane and sequence. */
  public List<ParkedMessage> list(int limit) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql("list-parked"))) {
      statement.setInt(1, limit);
      List<ParkedMessage> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(
              new ParkedMessage(
                  rows.getInt(1),
                  rows.getLong(2),
                  MessageId.parse(dialect.readUuid(rows, 3).toString()),
                  rows.getString(4),
                  rows.getBytes(5),
                  rows.getBytes(6),
                  HeaderCodec.decode(rows.getBytes(7)),
                  dialect.readInstant(rows, 8),
                  dialect.readInstant(rows, 9),
                  rows.getString(10)));
        }
      }
      return result;
    }
  }

  /**
   * Requeues the parked rows of {@code message}'s key (or the message alone when it has no key);
   * returns how many rows went back.
   */
  @SuppressWarnings("try") // the Restore resource acts only when closed
  public int requeue(ParkedMessage message) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Dialect.Restore restore = dialect.relayTransaction(connection)) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock = connection.prepareStatement(sql("lock-lease"))) {
          lock.setInt(1, message.lane());
          lock.executeQuery().close();
        }
        int moved =
            message.key() == null
                ? move(connection, "requeue-row", "unpark-row", message, false)
                : move(connection, "requeue-key", "unpark-key", message, true);
        connection.commit();
        return moved;
      } catch (SQLException | RuntimeException e) {
        RelayStore.rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private int move(
      Connection connection, String insert, String delete, ParkedMessage message, boolean byKey)
      throws SQLException {
    int moved;
    try (PreparedStatement statement = connection.prepareStatement(sql(insert))) {
      bind(statement, message, byKey);
      moved = statement.executeUpdate();
    }
    try (PreparedStatement statement = connection.prepareStatement(sql(delete))) {
      bind(statement, message, byKey);
      statement.executeUpdate();
    }
    return moved;
  }

  private static void bind(PreparedStatement statement, ParkedMessage message, boolean byKey)
      throws SQLException {
    statement.setInt(1, message.lane());
    if (byKey) {
      statement.setBytes(2, message.key());
    } else {
      statement.setLong(2, message.seq());
    }
  }

  /** Requeues every parked key; returns how many rows went back. */
  public int requeueAll() throws SQLException {
    int moved = 0;
    while (true) {
      List<ParkedMessage> batch = list(1000);
      if (batch.isEmpty()) {
        return moved;
      }
      Set<String> done = new LinkedHashSet<>();
      for (ParkedMessage message : batch) {
        String id =
            message.lane()
                + ":"
                + (message.key() == null
                    ? "#" + message.seq()
                    : HexFormat.of().formatHex(message.key()));
        if (done.add(id)) {
          moved += requeue(message);
        }
      }
    }
  }

  private String sql(String name) {
    return dialect.sql().get(name);
  }
}
