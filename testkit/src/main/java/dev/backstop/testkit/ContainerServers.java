package dev.backstop.testkit;

import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;
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

  private static final Lazy<DatabaseServer> MARIADB =
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
}
