package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * PostgreSQL: lanes bound as an {@code int[]}, native {@code uuid}, one-statement insert, a lateral
 * join for the read and {@code UPDATE ... RETURNING} for the leases.
 */
final class PostgresDialect extends SqlDialect {

  PostgresDialect(String prefix) {
    super("postgresql", prefix);
  }

  @Override
  public void bindLanes(Connection connection, PreparedStatement statement, int index, int[] lanes)
      throws SQLException {
    statement.setArray(
        index, connection.createArrayOf("integer", IntStream.of(lanes).boxed().toArray()));
  }

  @Override
  public void bindSeqs(Connection connection, PreparedStatement statement, int index, long[] seqs)
      throws SQLException {
    statement.setArray(
        index, connection.createArrayOf("bigint", LongStream.of(seqs).boxed().toArray()));
  }

  @Override
  public void bindUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
    statement.setObject(index, id);
  }

  @Override
  public UUID readUuid(ResultSet rows, int index) throws SQLException {
    return rows.getObject(index, UUID.class);
  }

  @Override
  public Instant readInstant(ResultSet rows, int index) throws SQLException {
    Timestamp value = rows.getTimestamp(index);
    return value == null ? null : value.toInstant();
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
    try (PreparedStatement statement = connection.prepareStatement(sql.get("insert-message"))) {
      statement.setInt(1, lane);
      statement.setObject(2, id);
      statement.setString(3, topic);
      statement.setBytes(4, key);
      statement.setBytes(5, value);
      statement.setBytes(6, headers);
      return statement.executeUpdate() == 1;
    }
  }

  @Override
  public PreparedStatement readBatch(
      Connection connection, int[] lanes, long[] floors, int batchSize) throws SQLException {
    return prepare(
        connection,
        sql.get("read-batch"),
        statement -> {
          bindLanes(connection, statement, 1, lanes);
          bindSeqs(connection, statement, 2, floors);
          statement.setInt(3, batchSize);
        });
  }

  @Override
  public Map<Integer, Long> renewLeases(Connection connection, String relayId, double seconds)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql.get("renew-leases"))) {
      statement.setDouble(1, seconds);
      statement.setString(2, relayId);
      return laneEpochs(statement);
    }
  }

  @Override
  public Map<Integer, Taken> acquireLeases(
      Connection connection, String relayId, double seconds, int count) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql.get("acquire-leases"))) {
      statement.setInt(1, count);
      statement.setString(2, relayId);
      statement.setDouble(3, seconds);
      return taken(statement);
    }
  }
}
