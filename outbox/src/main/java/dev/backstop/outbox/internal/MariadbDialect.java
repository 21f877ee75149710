package dev.backstop.outbox.internal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * MariaDB 10.6 or later (tested on 10.11; MySQL 8 is not tested): lists bound as JSON arrays and
 * expanded with {@code JSON_TABLE}, message ids as {@code BINARY(16)}, times as UTC {@code
 * DATETIME(6)}. A writer takes the lane sequence and inserts in two statements; leases are renewed
 * and taken with an update and a read in the same transaction; a read finds the busy lanes, then
 * reads their heads with one {@code UNION ALL} part per lane. The relay's own transactions run at
 * READ COMMITTED, so InnoDB locks the rows they touch and no gaps: a relay deleting a range never
 * blocks a writer appending to the lane.
 */
final class MariadbDialect extends SqlDialect {

  /** ER_CHECKREAD: "Record has changed since last read" (snapshot isolation). */
  private static final int RECORD_CHANGED = 1020;

  MariadbDialect(String prefix) {
    super("mariadb", prefix);
  }

  @Override
  public Restore relayTransaction(Connection connection) throws SQLException {
    int previous = connection.getTransactionIsolation();
    if (previous == Connection.TRANSACTION_READ_COMMITTED) {
      return () -> {};
    }
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return () -> {
      try {
        connection.setTransactionIsolation(previous);
      } catch (SQLException e) {
        // the connection is broken; the pool discards it
      }
    };
  }

  /**
   * A range delete limited to the range's row count stops at its last row: without the limit,
   * InnoDB also locks the next index record, which can be a writer's uncommitted insert, and the
   * relay's delete would wait for that writer's commit.
   */
  @Override
  public boolean limitsRangeDeletes() {
    return true;
  }

  @Override
  public void bindLanes(Connection connection, PreparedStatement statement, int index, int[] lanes)
      throws SQLException {
    statement.setString(index, Arrays.toString(lanes));
  }

  @Override
  public void bindSeqs(Connection connection, PreparedStatement statement, int index, long[] seqs)
      throws SQLException {
    statement.setString(index, Arrays.toString(seqs));
  }

  @Override
  public void bindUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
    statement.setBytes(
        index,
        ByteBuffer.allocate(16)
            .putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits())
            .array());
  }

  @Override
  public UUID readUuid(ResultSet rows, int index) throws SQLException {
    byte[] bytes = rows.getBytes(index);
    if (bytes == null) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  @Override
  public Instant readInstant(ResultSet rows, int index) throws SQLException {
    LocalDateTime value = rows.getObject(index, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  @Override
  public boolean insert(
      Connection connection,
      int lane,
      UUID id,
      String topic,
      byte[] key,
      byte[] value,
      byte[] headers)
      throws SQLException {
    try (PreparedStatement next = connection.prepareStatement(sql.get("next-seq"))) {
      next.setInt(1, lane);
      if (next.executeUpdate() != 1) {
        return false;
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == RECORD_CHANGED) {
        throw new SQLException(
            e.getMessage()
                + " (another transaction wrote to outbox lane "
                + lane
                + " since this transaction's first read, and innodb_snapshot_isolation is on,"
                + " the default from MariaDB 11.6.2: run transactions that send outbox messages at"
                + " READ COMMITTED, or retry them)",
            e.getSQLState(),
            e.getErrorCode(),
            e);
      }
      throw e;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.get("insert-message"))) {
      bindUuid(statement, 1, id);
      statement.setString(2, topic);
      statement.setBytes(3, key);
      statement.setBytes(4, value);
      statement.setBytes(5, headers);
      statement.setInt(6, lane);
      return statement.executeUpdate() == 1;
    }
  }

  @Override
  public PreparedStatement readBatch(
      Connection connection, int[] lanes, long[] floors, int batchSize) throws SQLException {
    List<long[]> busy = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql.get("busy-lanes"))) {
      bindLanes(connection, statement, 1, lanes);
      bindSeqs(connection, statement, 2, floors);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          busy.add(new long[] {rows.getInt(1), rows.getLong(2)});
        }
      }
    }
    if (busy.isEmpty()) {
      return null;
    }
    int perLane = (batchSize + busy.size() - 1) / busy.size();
    StringBuilder text = new StringBuilder("SELECT * FROM (");
    for (int i = 0; i < busy.size(); i++) {
      text.append(i == 0 ? "" : " UNION ALL ").append(sql.get("read-lane"));
    }
    text.append(") heads ORDER BY ord, seq");
    return prepare(
        connection,
        text.toString(),
        statement -> {
          int index = 1;
          for (int i = 0; i < busy.size(); i++) {
            statement.setInt(index++, i);
            statement.setInt(index++, (int) busy.get(i)[0]);
            statement.setLong(index++, busy.get(i)[1]);
            statement.setInt(index++, perLane);
          }
        });
  }

  @Override
  public Map<Integer, Long> renewLeases(Connection connection, String relayId, double seconds)
      throws SQLException {
    try (PreparedStatement renew = connection.prepareStatement(sql.get("renew-leases"))) {
      renew.setDouble(1, seconds);
      renew.setString(2, relayId);
      renew.executeUpdate();
    }
    try (PreparedStatement read = connection.prepareStatement(sql.get("renewed-leases"))) {
      read.setString(1, relayId);
      return laneEpochs(read);
    }
  }

  @Override
  public Map<Integer, Taken> acquireLeases(
      Connection connection, String relayId, double seconds, int count) throws SQLException {
    Map<Integer, Taken> free;
    try (PreparedStatement lock = connection.prepareStatement(sql.get("free-leases"))) {
      lock.setInt(1, count);
      free = taken(lock);
    }
    Map<Integer, Taken> taken = new TreeMap<>();
    if (free.isEmpty()) {
      return taken;
    }
    try (PreparedStatement take = connection.prepareStatement(sql.get("take-lease"))) {
      for (Map.Entry<Integer, Taken> lane : free.entrySet()) {
        take.setString(1, relayId);
        take.setDouble(2, seconds);
        take.setInt(3, lane.getKey());
        take.setLong(4, lane.getValue().epoch());
        take.addBatch();
      }
      int[] counts = take.executeBatch();
      int i = 0;
      for (Map.Entry<Integer, Taken> lane : free.entrySet()) {
        // the row is locked by this transaction since free-leases: the update cannot miss
        if (counts[i++] != 0) {
          Taken before = lane.getValue();
          taken.put(lane.getKey(), new Taken(before.epoch() + 1, before.previousOwner()));
        }
      }
    }
    return taken;
  }
}
