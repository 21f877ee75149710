package dev.backstop.testkit;

import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Database servers in Docker containers through Testcontainers, each started once on first use and
 * stopped when the JVM exits. Thread-safe.
 */
final class ContainerServers {

  private ContainerServers() {}

  /** Whether a Docker engine answers. */
  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The container of {@code kind}, started on first use. */
  static DatabaseServer of(TestDatabase.Kind kind) {
    Supplier<DatabaseServer> server =
        switch (kind) {
          case POSTGRESQL -> POSTGRES;
          case MARIADB -> MARIADB;
        };
    return server.get();
  }

  private static final Lazy<DatabaseServer> POSTGRES =
      new Lazy<>(
          () ->
              started(
                  TestDatabase.Kind.POSTGRESQL,
                  new PostgreSQLContainer<>(DockerImageName.parse("postgres:17-alpine")),
                  "postgres:17-alpine"));

  private static final Lazy<DatabaseServer> MARIADB =
      new Lazy<>(
          () ->
              started(
                  TestDatabase.Kind.MARIADB,
                  new MariaDBContainer<>(DockerImageName.parse("mariadb:11"))
                      .withUsername("root")
                      .withPassword("test"),
                  "mariadb:11"));

  /** Starts {@code container}, stopped when the JVM exits. */
  private static DatabaseServer started(
      TestDatabase.Kind kind, JdbcDatabaseContainer<?> container, String image) {
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    return new DatabaseServer(
        kind,
        container.getJdbcUrl(),
        container.getUsername(),
        container.getPassword(),
        "Testcontainers (" + image + ")");
  }
}
