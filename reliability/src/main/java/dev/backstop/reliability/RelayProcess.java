package dev.backstop.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.testkit.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A relay as a separate process would run it: its own connection pool (sessions named {@code
 * <schema>-relay-<n>}), its own outbox and producer. {@link #kill()} ends it as a crash would: its
 * database sessions are terminated and no new one can be opened, so it neither deletes what it
 * published nor releases its leases. Thread-safe.
 */
final class RelayProcess {
  private final HikariDataSource pool;
  private final Switch dataSource;
  private final Outbox outbox;
  private final OutboxRelay relay;

  private RelayProcess(HikariDataSource pool, Switch dataSource, Outbox outbox) {
    this.pool = pool;
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.relay = outbox.startRelay();
  }

  static RelayProcess start(TestDatabase db, OutboxConfig config, int incarnation) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(db.jdbcUrl());
    if (!db.user().isEmpty()) {
      hikari.setUsername(db.user());
      hikari.setPassword(db.password());
    }
    hikari.addDataSourceProperty("ApplicationName", applicationPrefix(db) + incarnation);
    hikari.setMaximumPoolSize(3);
    hikari.setConnectionTimeout(5000);
    hikari.setPoolName("relay-" + incarnation);
    HikariDataSource pool = new HikariDataSource(hikari);
    Switch dataSource = new Switch(pool);
    return new RelayProcess(pool, dataSource, Outbox.create(config, dataSource));
  }

  /** The application-name prefix of every relay session of {@code db}. */
  static String applicationPrefix(TestDatabase db) {
    return db.schema() + "-relay-";
  }

  OutboxRelay relay() {
    return relay;
  }

  /** Cuts the database away, then stops the threads; returns the sessions terminated. */
  int kill(DataSource admin, TestDatabase db) throws SQLException {
    dataSource.killed = true;
    int terminated = Pipeline.terminate(admin, applicationPrefix(db) + "%");
    relay.close();
    outbox.close();
    pool.close();
    return terminated;
  }

  /** Stops the relay gracefully at the end of a run. */
  void close() {
    relay.close();
    outbox.close();
    pool.close();
  }

  /** A data source that refuses every connection once the process is dead. */
  private static final class Switch implements DataSource {
    private final DataSource delegate;
    volatile boolean killed;

    Switch(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (killed) {
        throw new SQLException("relay process killed", "08006");
      }
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
