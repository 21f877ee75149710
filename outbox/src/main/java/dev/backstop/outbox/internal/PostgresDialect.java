package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/** PostgreSQL: lanes bound as an {@code int[]}, native {@code uuid}, one-statement insert. */
final class PostgresDialect implements Dialect {

  private final Sql sql;

  PostgresDialect(Sql sql) {
    this.sql = sql;
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public Sql sql() {
    return sql;
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
}
