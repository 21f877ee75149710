package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolution order, against real servers: the environment's URL, then the embedded one. */
class DatabaseResolverIT {

  @Test
  void aUrlInTheEnvironmentWins() {
    DatabaseServer found = TestDatabase.server(TestDatabase.Kind.POSTGRESQL);
    Map<String, String> env =
        Map.of(
            DatabaseResolver.POSTGRES_URL_ENV,
            found.jdbcUrl(),
            DatabaseResolver.POSTGRES_URL_ENV + "_USER",
            found.user());
    DatabaseResolver resolver =
        new DatabaseResolver(
            TestDatabase.Kind.POSTGRESQL,
            env,
            "127.0.0.1",
            5432,
            () -> true,
            () -> {
              throw new AssertionError("Testcontainers must not be tried");
            },
            () -> {
              throw new AssertionError("the embedded server must not be tried");
            });

    DatabaseServer server = resolver.resolve();

    assertThat(server.source()).isEqualTo(DatabaseResolver.POSTGRES_URL_ENV);
    assertThat(DatabaseResolver.probe(server)).isNull();
  }

  @Test
  void withTheLocalPortClosedAndNoDockerTheEmbeddedPostgresIsUsed() throws IOException {
    int closedPort = DatabaseResolverTest.closedPort();
    DatabaseResolver resolver =
        new DatabaseResolver(
            TestDatabase.Kind.POSTGRESQL,
            Map.of(),
            "127.0.0.1",
            closedPort,
            () -> false,
            () -> {
              throw new AssertionError("Testcontainers must not be tried without Docker");
            },
            DatabaseResolver::embeddedPostgresServer);

    DatabaseServer server = resolver.resolve();

    assertThat(server.source()).contains("embedded PostgreSQL");
    assertThat(DatabaseResolver.probe(server)).isNull();
  }
}
