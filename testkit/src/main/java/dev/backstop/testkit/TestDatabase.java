package dev.backstop.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * A fresh, empty schema (PostgreSQL) or database (MariaDB) on a real server, for one test class,
 * one sample run or one benchmark. The server is found once per JVM by {@link DatabaseResolver}
 * (environment URL, local server, Testcontainers, embedded); every {@code TestDatabase} then gets
 * its own schema, so tests never see each other's rows. Closing it drops the schema.
 *
 * <p>Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {

  /** The database products the test kit can provide. */
  public enum Kind {
    POSTGRESQL("PostgreSQL", "BACKSTOP_TEST_JDBC_URL", 5432, "postgresql"),
    MARIADB("MariaDB", "BACKSTOP_TEST_MARIADB_URL", 3306, "mariadb");

    private final String label;
    private final String urlEnv;
    private final int defaultPort;
    private final String jdbcScheme;

    Kind(String label, String urlEnv, int defaultPort, String jdbcScheme) {
      this.label = label;
      this.urlEnv = urlEnv;
      this.defaultPort = defaultPort;
      this.jdbcScheme = jdbcScheme;
    }

    /** The product's name, as messages give it. */
    String label() {
      return label;
    }

    /** The environment variable that names a JDBC URL of this kind for tests. */
    String urlEnv() {
      return urlEnv;
    }

    /** The port the local server listens on by default. */
    int defaultPort() {
      return defaultPort;
    }

    /** The JDBC URL scheme after {@code jdbc:}. */
    String jdbcScheme() {
      return jdbcScheme;
    }
  }

  private static final ConcurrentMap<Kind, Lazy<DatabaseServer>> SERVERS =
      new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatabaseServer server;
  private final String schema;
  private final String jdbcUrl;
  private final HikariDataSource dataSource;

  private TestDatabase(DatabaseServer server, String schema) {
    this.server = server;
    this.schema = schema;
    this.jdbcUrl = urlFor(server, schema);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setDataSourceProperties(server.credentials(schema));
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(0);
    config.setPoolName("testdb-" + schema);
    config.setConnectionTimeout(10_000);
    this.dataSource = new HikariDataSource(config);
  }

  /** A fresh schema on a PostgreSQL server, resolved as described in {@link DatabaseResolver}. */
  public static TestDatabase postgres() {
    return create(Kind.POSTGRESQL, "t");
  }

  /** A fresh database on a MariaDB (or MySQL) server. */
  public static TestDatabase mariadb() {
    return create(Kind.MARIADB, "t");
  }

  /**
   * A fresh schema whose name starts with {@code hint} (letters and digits are kept), to find it in
   * the server when a test fails.
   */
  public static TestDatabase create(Kind kind, String hint) {
    return create(server(kind), hint);
  }

  /** A fresh schema on {@code server}, whichever resolution option provided it. */
  static TestDatabase create(DatabaseServer server, String hint) {
    String schema = schemaName(hint);
    try (Connection admin = server.connectAdmin();
        Statement statement = admin.createStatement()) {
      statement.execute(
          server.kind() == Kind.POSTGRESQL
              ? "CREATE SCHEMA " + schema
              : "CREATE DATABASE " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create schema " + schema + " on " + server, e);
    }
    return new TestDatabase(server, schema);
  }

  static DatabaseServer server(Kind kind) {
    return SERVERS
        .computeIfAbsent(kind, k -> new Lazy<>(() -> DatabaseResolver.of(k).resolve()))
        .get();
  }

  private static String schemaName(String hint) {
    String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return "bs_" + clean + "_" + HexFormat.of().formatHex(random);
  }

  private static String urlFor(DatabaseServer server, String schema) {
    if (server.kind() == Kind.MARIADB) {
      return server.urlOfDatabase(schema);
    }
    String separator = server.jdbcUrl().contains("?") ? "&" : "?";
    return server.jdbcUrl() + separator + "currentSchema=" + schema;
  }

  /** A connection pool bound to this schema (at most 8 connections). */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The JDBC URL of this schema. Connections opened with it, {@link #user()} and {@link
   * #password()} use this schema by default.
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user name, empty when the URL carries it. */
  public String user() {
    return server.user();
  }

  /** The password, possibly empty. */
  public String password() {
    return server.password();
  }

  /** The schema (PostgreSQL) or database (MariaDB) name. */
  public String schema() {
    return schema;
  }

  /** Which option provided the server: environment, local server, Testcontainers or embedded. */
  public String source() {
    return server.source();
  }

  /** The database product. */
  public Kind kind() {
    return server.kind();
  }

  /**
   * Kills every server session opened through this schema's URL or {@link #dataSource()}, as a
   * database failover or a network cut would, and returns how many were killed. Sessions of other
   * test classes are left alone.
   */
  public int terminateConnections() {
    try (Connection admin = server.connectAdmin()) {
      return kind() == Kind.POSTGRESQL ? terminatePostgres(admin) : terminateMariadb(admin);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not terminate the sessions of " + schema, e);
    }
  }

  private int terminatePostgres(Connection admin) throws SQLException {
    try (PreparedStatement statement =
        admin.prepareStatement(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private int terminateMariadb(Connection admin) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement statement =
        admin.prepareStatement(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
    }
    int killed = 0;
    try (Statement statement = admin.createStatement()) {
      for (long id : ids) {
        try {
          statement.execute("KILL " + id);
          killed++;
        } catch (SQLException e) {
          // the session ended on its own in between
        }
      }
    }
    return killed;
  }

  /** Closes the pool and drops the schema with everything in it. */
  @Override
  public void close() {
    dataSource.close();
    try (Connection admin = server.connectAdmin();
        Statement statement = admin.createStatement()) {
      if (kind() == Kind.POSTGRESQL) {
        terminatePostgres(admin);
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } else {
        terminateMariadb(admin);
        statement.execute("DROP DATABASE IF EXISTS " + schema);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop schema " + schema, e);
    }
  }

  @Override
  public String toString() {
    return "TestDatabase[" + schema + " on " + server + "]";
  }
}
