package dev.backstop.outbox.internal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The relay's database work: read the head of the owned lanes, and finish a batch in one short
 * transaction that locks the batch's lease rows, skips lanes whose owner or epoch changed (a newer
 * owner fenced this relay), parks rejected rows and deletes acknowledged ones. Used by the relay
 * thread only.
 */
final class RelayStore implements ReadAhead.Store {

  private final DataSource dataSource;
  private final Dialect dialect;

  public RelayStore(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /**
   * What one read returned: the rows, the keys among them that are parked, and whether a lane of
   * the rows held any parked row (which a requeue could move back below the rows read).
   */
  public record Read(List<Row> rows, Set<Publisher.LaneKey> parkedKeys, boolean lanesParked) {}

  /**
   * Whether a lane holds a row at or below its floor other than the {@code pending[i]} rows from
   * {@code lows[i]} up of the batch whose delete is still pending: a row kept back or requeued
   * since a read that started above the floor, which must go out first.
   */
  @Override
  public boolean rowsAtOrBelow(int[] lanes, long[] floors, long[] lows, int[] pending)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql("rows-at-or-below"))) {
      connection.setAutoCommit(true);
      dialect.bindLanes(connection, statement, 1, lanes);
      dialect.bindSeqs(connection, statement, 2, floors);
      dialect.bindSeqs(connection, statement, 3, lows);
      dialect.bindLanes(connection, statement, 4, pending);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  /**
   * About {@code batchSize} rows above {@code floors[i]} in {@code lanes[i]} (-1: from the head),
   * from the busy ones of {@code lanes}, by lane, seq.
   */
  @Override
  public Read read(int[] lanes, long[] floors, int batchSize) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      List<Row> rows = new ArrayList<>();
      Set<Publisher.LaneKey> parkedKeys = new HashSet<>();
      boolean lanesParked = false;
      try (PreparedStatement statement = dialect.readBatch(connection, lanes, floors, batchSize);
          ResultSet result = statement == null ? null : statement.executeQuery()) {
        while (result != null && result.next()) {
          Row row =
              new Row(
                  result.getInt(1),
                  result.getLong(2),
                  dialect.readUuid(result, 3),
                  result.getString(4),
                  result.getBytes(5),
                  result.getBytes(6),
                  result.getBytes(7),
                  dialect.readInstant(result, 8));
          rows.add(row);
          if (result.getBoolean(9)) {
            parkedKeys.add(new Publisher.LaneKey(row.lane(), ByteBuffer.wrap(row.key())));
          }
          lanesParked |= result.getBoolean(10);
        }
      }
      return new Read(rows, parkedKeys, lanesParked);
    }
  }

  /**
   * Parks and deletes what {@code outcome} says, in one transaction, for the lanes this relay still
   * owns under the same epoch. Returns the lanes found fenced.
   */
  @SuppressWarnings("try") // the Restore resource acts only when closed
  public List<Integer> finish(BatchOutcome outcome, Leases leases) throws SQLException {
    Set<Integer> lanes = new TreeSet<>();
    outcome.acked().forEach(row -> lanes.add(row.lane()));
    outcome.parked().forEach(parked -> lanes.add(parked.row().lane()));
    if (lanes.isEmpty()) {
      return List.of();
    }
    try (Connection connection = dataSource.getConnection();
        Dialect.Restore restore = dialect.relayTransaction(connection)) {
      connection.setAutoCommit(false);
      try {
        List<Integer> fenced = lockLeases(connection, lanes, leases);
        Set<Integer> valid = new HashSet<>(lanes);
        valid.removeAll(fenced);
        Map<Integer, SortedSet<Long>> deletes = new HashMap<>();
        for (Row row : outcome.acked()) {
          if (valid.contains(row.lane())) {
            deletes.computeIfAbsent(row.lane(), l -> new TreeSet<>()).add(row.seq());
          }
        }
        park(connection, outcome, valid, deletes);
        delete(connection, deletes);
        connection.commit();
        return fenced;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private List<Integer> lockLeases(Connection connection, Set<Integer> lanes, Leases leases)
      throws SQLException {
    List<Integer> fenced = new ArrayList<>(lanes);
    try (PreparedStatement statement = connection.prepareStatement(sql("lock-leases"))) {
      dialect.bindLanes(
          connection, statement, 1, lanes.stream().mapToInt(Integer::intValue).toArray());
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          int lane = result.getInt(1);
          Long epoch = leases.epoch(lane);
          if (leases.relayId().equals(result.getString(2))
              && epoch != null
              && epoch == result.getLong(3)) {
            fenced.remove(Integer.valueOf(lane));
          }
        }
      }
    }
    return fenced;
  }

  private void park(
      Connection connection,
      BatchOutcome outcome,
      Set<Integer> valid,
      Map<Integer, SortedSet<Long>> deletes)
      throws SQLException {
    if (outcome.parked().isEmpty()) {
      return;
    }
    try (PreparedStatement park = connection.prepareStatement(sql("park-row"));
        PreparedStatement stillParked = connection.prepareStatement(sql("key-parked"))) {
      for (BatchOutcome.Parked parked : outcome.parked()) {
        Row row = parked.row();
        if (!valid.contains(row.lane()) || (parked.follower() && !keyParked(stillParked, row))) {
          continue;
        }
        park.setString(1, parked.reason());
        park.setInt(2, row.lane());
        park.setLong(3, row.seq());
        // one by one: parking is rare, and MariaDB's bulk protocol rejects INSERT ... SELECT
        park.executeUpdate();
        deletes.computeIfAbsent(row.lane(), l -> new TreeSet<>()).add(row.seq());
      }
    }
  }

  private static boolean keyParked(PreparedStatement statement, Row row) throws SQLException {
    statement.setInt(1, row.lane());
    statement.setBytes(2, row.key());
    try (ResultSet result = statement.executeQuery()) {
      return result.next();
    }
  }

  private void delete(Connection connection, Map<Integer, SortedSet<Long>> deletes)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql("delete-range"))) {
      for (Map.Entry<Integer, SortedSet<Long>> lane : deletes.entrySet()) {
        for (SeqRanges.Range range : SeqRanges.of(lane.getValue())) {
          statement.setInt(1, lane.getKey());
          statement.setLong(2, range.from());
          statement.setLong(3, range.to());
          if (dialect.limitsRangeDeletes()) {
            statement.setLong(4, range.to() - range.from() + 1);
          }
          statement.addBatch();
        }
      }
      statement.executeBatch();
    }
  }

  static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException suppressed) {
      // the connection is broken; the pool discards it
    }
  }

  private String sql(String name) {
    return dialect.sql().get(name);
  }
}
