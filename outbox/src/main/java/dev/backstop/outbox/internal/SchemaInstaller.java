package dev.backstop.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the dialect's versioned schema scripts; every statement in them is idempotent. */
final class SchemaInstaller {

  /** The newest schema version shipped in the jar. */
  static final int VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(SchemaInstaller.class);

  private final DataSource dataSource;
  private final Dialect dialect;

  SchemaInstaller(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  @SuppressWarnings("try") // the Restore resource acts only when closed
  void install(int lanes) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Dialect.Restore restore = dialect.relayTransaction(connection);
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      for (int version = 1; version <= VERSION; version++) {
        for (String sql : dialect.sql().schema(version, lanes)) {
          statement.execute(sql);
        }
      }
    }
    LOG.info("Outbox schema version {} installed ({} lanes)", VERSION, lanes);
  }
}
