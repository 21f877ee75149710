package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay's lane leases. Every quarter of the lease duration it beats its heart in the relay
 * table, renews its leases, learns which it lost, and takes or gives lanes so that every live relay
 * owns about {@code lanes / relays}. A lease is valid locally until {@code renewal start + lease
 * duration} on the injected clock, which never outlives the database's view. Owned by the relay
 * thread; {@link #ownedCount()} may be read from any thread.
 */
final class Leases {

  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final String relayId;
  private final Duration lease;
  private final TreeMap<Integer, Long> epochs = new TreeMap<>();
  // lanes taken from a relay whose lease expired, until that relay's producer is fenced
  private final TreeMap<Integer, String> unfenced = new TreeMap<>();
  private volatile int ownedCount;
  private Instant validUntil = Instant.MIN;
  private Instant nextMaintenance = Instant.MIN;
  private int totalLanes;

  public Leases(
      DataSource dataSource, Dialect dialect, Clock clock, String relayId, Duration lease) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.relayId = relayId;
    this.lease = lease;
  }

  /** Creates missing lane and lease rows for {@code lanes} lanes and counts the lanes. */
  @SuppressWarnings("try") // the Restore resource acts only when closed
  public void ensureLanes(int lanes) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Dialect.Restore restore = dialect.relayTransaction(connection)) {
      connection.setAutoCommit(true);
      update(connection, "ensure-lanes", lanes);
      update(connection, "ensure-leases", lanes);
      try (PreparedStatement statement =
              connection.prepareStatement(dialect.sql().get("count-lanes"));
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        totalLanes = rows.getInt(1);
      }
    }
  }

  /** Whether a quarter of the lease has passed since the last {@link #maintain()}. */
  public boolean maintenanceDue() {
    return !clock.instant().isBefore(nextMaintenance);
  }

  /** Heartbeat, renew, then balance the lanes among live relays. */
  @SuppressWarnings("try") // the Restore resource acts only when closed
  public void maintain() throws SQLException {
    Instant started = clock.instant();
    double seconds = lease.toMillis() / 1000.0;
    try (Connection connection = dataSource.getConnection();
        Dialect.Restore restore = dialect.relayTransaction(connection)) {
      // one short transaction: one commit instead of five on the relay's path
      connection.setAutoCommit(false);
      Map<Integer, Long> before = new TreeMap<>(epochs);
      Map<Integer, String> unfencedBefore = new TreeMap<>(unfenced);
      Instant validBefore = validUntil;
      try {
        maintain(connection, started, seconds);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        // nothing of this maintenance happened: believe what was known before it
        RelayStore.rollbackQuietly(connection);
        epochs.clear();
        epochs.putAll(before);
        unfenced.clear();
        unfenced.putAll(unfencedBefore);
        validUntil = validBefore;
        throw e;
      }
    } finally {
      ownedCount = epochs.size();
      nextMaintenance = started.plus(lease.dividedBy(4));
    }
  }

  private void maintain(Connection connection, Instant started, double seconds)
      throws SQLException {
    // forget the dead before the heartbeat locks this relay's row: on InnoDB the delete waits for
    // the rows other relays' maintenance holds, and holding our own row meanwhile would let two
    // relays wait for each other
    try (PreparedStatement forget = connection.prepareStatement(sql("forget-dead-relays"))) {
      forget.setDouble(1, seconds);
      forget.executeUpdate();
    }
    try (PreparedStatement heartbeat = connection.prepareStatement(sql("heartbeat"))) {
      heartbeat.setString(1, relayId);
      heartbeat.setDouble(2, seconds);
      heartbeat.executeUpdate();
    }
    int live = Math.max(1, queryInt(connection, "live-relays"));
    renew(connection, seconds);
    validUntil = started.plus(lease);
    int target = (totalLanes + live - 1) / live;
    if (epochs.size() > target) {
      release(
          connection,
          new ArrayList<>(epochs.descendingKeySet()).subList(0, epochs.size() - target));
    } else if (epochs.size() < target) {
      acquire(connection, seconds, target - epochs.size());
    }
  }

  private void renew(Connection connection, double seconds) throws SQLException {
    Map<Integer, Long> renewed = dialect.renewLeases(connection, relayId, seconds);
    List<Integer> lost = new ArrayList<>();
    for (Integer lane : new ArrayList<>(epochs.keySet())) {
      if (!epochs.get(lane).equals(renewed.get(lane))) {
        lost.add(lane);
        epochs.remove(lane);
        unfenced.remove(lane);
      }
    }
    if (!lost.isEmpty()) {
      LOG.warn("Relay {} lost lanes {} to another relay (lease expired)", relayId, lost);
    }
    renewed.forEach(
        (lane, epoch) -> {
          if (!epochs.containsKey(lane)) {
            epochs.put(lane, epoch);
          }
        });
  }

  private void acquire(Connection connection, double seconds, int count) throws SQLException {
    Map<Integer, Dialect.Taken> taken = dialect.acquireLeases(connection, relayId, seconds, count);
    Map<Integer, Long> logged = new TreeMap<>();
    taken.forEach(
        (lane, lease) -> {
          epochs.put(lane, lease.epoch());
          logged.put(lane, lease.epoch());
          String previous = lease.previousOwner();
          if (previous != null && !previous.equals(relayId)) {
            unfenced.put(lane, previous);
          }
        });
    if (!taken.isEmpty()) {
      LOG.info(
          "Relay {} took lanes (lane=epoch) {}{}",
          relayId,
          logged,
          unfenced.isEmpty() ? "" : ", to fence first: " + unfenced);
    }
  }

  private void release(Connection connection, List<Integer> lanes) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql("release-lease"))) {
      for (int lane : lanes) {
        statement.setInt(1, lane);
        statement.setString(2, relayId);
        statement.setLong(3, epochs.remove(lane));
        unfenced.remove(lane);
        statement.addBatch();
      }
      statement.executeBatch();
    }
    LOG.info("Relay {} handed over lanes {}", relayId, lanes);
  }

  /** Gives every lane back and leaves the relay table (graceful shutdown). */
  public void releaseAll() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      if (!epochs.isEmpty()) {
        release(connection, new ArrayList<>(epochs.keySet()));
      }
      try (PreparedStatement statement = connection.prepareStatement(sql("forget-relay"))) {
        statement.setString(1, relayId);
        statement.executeUpdate();
      }
    } finally {
      ownedCount = 0;
    }
  }

  /**
   * The lanes this relay may publish now: owned, the local lease not yet expired, and the relay the
   * lane was taken from fenced.
   */
  public int[] publishableLanes() {
    if (!clock.instant().isBefore(validUntil)) {
      return new int[0];
    }
    return epochs.keySet().stream()
        .filter(lane -> !unfenced.containsKey(lane))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** The relays whose lanes this relay took and whose producers are not fenced yet. */
  public Set<String> toFence() {
    return new TreeSet<>(unfenced.values());
  }

  /** {@code owner}'s producer is fenced: its lanes may be published. */
  public void fenced(String owner) {
    unfenced.values().removeIf(owner::equals);
  }

  /** The end of the local lease (renewal start + lease duration). */
  public Instant validUntil() {
    return validUntil;
  }

  /** Makes the next {@link #maintenanceDue()} true (after the producer was rebuilt). */
  public void maintainSoon() {
    nextMaintenance = Instant.MIN;
  }

  /** Whether the local lease still covers the next {@code margin}. */
  public boolean validFor(Duration margin) {
    return clock.instant().plus(margin).isBefore(validUntil);
  }

  /** The epoch under which this relay owns {@code lane}, or null. */
  public Long epoch(int lane) {
    return epochs.get(lane);
  }

  /** Forgets {@code lane}: the database showed another owner or epoch (fenced). */
  public void lost(int lane) {
    epochs.remove(lane);
    unfenced.remove(lane);
    ownedCount = epochs.size();
  }

  /** Owned lanes, readable from any thread. */
  public int ownedCount() {
    return ownedCount;
  }

  /** A copy of the owned lanes (relay thread). */
  public List<Integer> owned() {
    return new ArrayList<>(epochs.keySet());
  }

  public String relayId() {
    return relayId;
  }

  private void update(Connection connection, String name, int value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql(name))) {
      statement.setInt(1, value);
      statement.executeUpdate();
    }
  }

  private int queryInt(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql(name));
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private String sql(String name) {
    return dialect.sql().get(name);
  }
}
