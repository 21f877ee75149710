package dev.backstop.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database server that tests may use, as found by {@link DatabaseResolver}: where it is, how to
 * log in, and which option provided it.
 *
 * @param kind PostgreSQL or MariaDB
 * @param jdbcUrl URL of an existing database on the server (the admin connection's)
 * @param user user name, may be empty when the URL carries it
 * @param password password, may be empty
 * @param source which resolution option provided the server, for messages and logs
 */
record DatabaseServer(
    TestDatabase.Kind kind, String jdbcUrl, String user, String password, String source) {

  static final String ADMIN_APPLICATION = "backstop-testkit-admin";

  /** Opens a connection for administrative statements (create and drop schemas, kill sessions). */
  Connection connectAdmin() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, credentials(ADMIN_APPLICATION));
  }

  Properties credentials(String applicationName) {
    Properties props = new Properties();
    if (!user.isEmpty()) {
      props.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      props.setProperty("password", password);
    }
    if (kind == TestDatabase.Kind.POSTGRESQL) {
      props.setProperty("ApplicationName", applicationName);
      props.setProperty("connectTimeout", "5");
    } else {
      props.setProperty("connectTimeout", "5000");
    }
    return props;
  }

  /** The URL of {@code database} on this server (MariaDB: a database is a schema). */
  String urlOfDatabase(String database) {
    return jdbcUrl.replaceFirst("^(jdbc:[a-z]+://[^/?]+)(/[^?]*)?", "$1/" + database);
  }

  @Override
  public String toString() {
    return kind + " at " + jdbcUrl + " (" + source + ")";
  }
}
