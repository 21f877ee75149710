package dev.backstop.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Finds a database server for tests, trying in order: a JDBC URL from the environment; the local
 * server on its standard port; Testcontainers when a Docker engine answers; an embedded server
 * started from Maven artifacts (PostgreSQL binaries for Linux x86_64 and arm64, macOS and Windows;
 * MariaDB binaries for Linux x86_64). When every option fails, the error names each option and why
 * it failed, and how to provide a database.
 *
 * <p>Thread-safe: it holds configuration only.
 */
final class DatabaseResolver {

  static final String POSTGRES_URL_ENV = TestDatabase.Kind.POSTGRESQL.urlEnv();
  static final String MARIADB_URL_ENV = TestDatabase.Kind.MARIADB.urlEnv();

  private final TestDatabase.Kind kind;
  private final Map<String, String> env;
  private final String localHost;
  private final int localPort;
  private final BooleanSupplier dockerAvailable;
  private final Supplier<DatabaseServer> container;
  private final Supplier<DatabaseServer> embedded;

  DatabaseResolver(
      TestDatabase.Kind kind,
      Map<String, String> env,
      String localHost,
      int localPort,
      BooleanSupplier dockerAvailable,
      Supplier<DatabaseServer> container,
      Supplier<DatabaseServer> embedded) {
    this.kind = kind;
    this.env = env;
    this.localHost = localHost;
    this.localPort = localPort;
    this.dockerAvailable = dockerAvailable;
    this.container = container;
    this.embedded = embedded;
  }

  /** The resolver used by {@link TestDatabase#create(TestDatabase.Kind, String)}. */
  static DatabaseResolver of(TestDatabase.Kind kind) {
    return new DatabaseResolver(
        kind,
        System.getenv(),
        "127.0.0.1",
        kind.defaultPort(),
        ContainerServers::dockerAnswers,
        () -> ContainerServers.of(kind),
        () -> EmbeddedServers.of(kind));
  }

  DatabaseServer resolve() {
    String envUrl = env.get(kind.urlEnv());
    if (envUrl != null && !envUrl.isBlank()) {
      return fromEnvironment(envUrl);
    }
    List<String> tried = new ArrayList<>();
    tried.add(kind.urlEnv() + ": not set");
    String local = "local " + kind.label() + " at " + localHost + ":" + localPort;
    if (portOpen()) {
      DatabaseServer server = localServer(local);
      String problem = probe(server);
      if (problem == null) {
        return server;
      }
      tried.add(local + ": " + problem);
    } else {
      tried.add(local + ": nothing listens there");
    }
    if (dockerAvailable.getAsBoolean()) {
      try {
        return container.get();
      } catch (RuntimeException e) {
        tried.add("Testcontainers: " + e.getMessage());
      }
    } else {
      tried.add("Testcontainers: no Docker engine reachable");
    }
    try {
      return embedded.get();
    } catch (RuntimeException e) {
      tried.add("embedded " + kind.label() + ": " + e.getMessage());
    }
    throw noServer(tried);
  }

  private DatabaseServer fromEnvironment(String envUrl) {
    String envName = kind.urlEnv();
    DatabaseServer server =
        new DatabaseServer(
            kind,
            envUrl,
            env.getOrDefault(envName + "_USER", ""),
            env.getOrDefault(envName + "_PASSWORD", ""),
            envName);
    String problem = probe(server);
    if (problem != null) {
      throw new IllegalStateException(
          envName + " is set to " + envUrl + " but that database does not answer: " + problem);
    }
    return server;
  }

  private IllegalStateException noServer(List<String> tried) {
    String envName = kind.urlEnv();
    return new IllegalStateException(
        "No "
            + kind.label()
            + " for tests. Tried, in order:\n  - "
            + String.join("\n  - ", tried)
            + "\nProvide one: set "
            + envName
            + " to a JDBC URL (user and password in "
            + envName
            + "_USER and "
            + envName
            + "_PASSWORD), run "
            + kind.label()
            + " on "
            + localHost
            + ":"
            + localPort
            + ", or start a Docker engine.");
  }

  private DatabaseServer localServer(String source) {
    return new DatabaseServer(
        kind,
        "jdbc:" + kind.jdbcScheme() + "://" + localHost + ":" + localPort + "/test",
        "root",
        "",
        source);
  }

  private boolean portOpen() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(localHost, localPort), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns null when the server answers a query, otherwise the reason it does not. */
  static String probe(DatabaseServer server) {
    try (Connection connection = server.connectAdmin()) {
      connection.createStatement().execute("SELECT 1");
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }
}
