package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The backlog as the database sees it (pending rows, oldest pending row, parked rows), read
 * periodically on its own thread so metrics and health stay true even when the relay thread is
 * stuck. Thread-safe: {@link #snapshot()} returns the last immutable reading.
 */
final class Backlog {

  /** One reading; {@code error} is non-null when the last reading failed. */
  public record Snapshot(long pending, Instant oldest, long parked, Instant readAt, String error) {

    /** Age of the oldest pending row at {@code now}; zero when nothing is pending. */
    public Duration oldestAge(Instant now) {
      return oldest == null || now.isBefore(oldest) ? Duration.ZERO : Duration.between(oldest, now);
    }
  }

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private volatile Snapshot snapshot;

  public Backlog(DataSource dataSource, Dialect dialect, Clock clock) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.snapshot = new Snapshot(0, null, 0, Instant.MIN, "not read yet");
  }

  /** Reads the backlog now; on failure keeps the counts and records the error. */
  public Snapshot refresh() {
    Snapshot previous = snapshot;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      long pending;
      Instant oldest;
      try (PreparedStatement statement = connection.prepareStatement(dialect.sql().get("stats"));
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        pending = rows.getLong(1);
        oldest = dialect.readInstant(rows, 2);
      }
      long parked;
      try (PreparedStatement statement =
              connection.prepareStatement(dialect.sql().get("parked-count"));
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        parked = rows.getLong(1);
      }
      snapshot = new Snapshot(pending, oldest, parked, clock.instant(), null);
    } catch (SQLException | RuntimeException e) {
      snapshot =
          new Snapshot(
              previous.pending(),
              previous.oldest(),
              previous.parked(),
              previous.readAt(),
              e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return snapshot;
  }

  public Snapshot snapshot() {
    return snapshot;
  }
}
