package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolution order, against real servers: the environment's URL, then the embedded ones. */
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
            EmbeddedServers::postgres);

    DatabaseServer server = resolver.resolve();

    assertThat(server.source()).contains("embedded PostgreSQL");
    assertThat(DatabaseResolver.probe(server)).isNull();
  }

  @Test
  void withTheLocalPortClosedAndNoDockerTheEmbeddedMariadbIsUsed()
      throws IOException, SQLException {
    int closedPort = DatabaseResolverTest.closedPort();
    DatabaseResolver resolver =
        new DatabaseResolver(
            TestDatabase.Kind.MARIADB,
            Map.of(),
            "127.0.0.1",
            closedPort,
            () -> false,
            () -> {
              throw new AssertionError("Testcontainers must not be tried without Docker");
            },
            EmbeddedServers::mariadb);

    DatabaseServer server = resolver.resolve();

    assertThat(server.source()).contains("embedded MariaDB");
    assertThat(server.jdbcUrl()).doesNotContain(":3306/");
    try (TestDatabase db = TestDatabase.create(server, "embedded");
        Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(20))");
      statement.execute("INSERT INTO t VALUES (1, 'embedded')");
      try (ResultSet rows =
          statement.executeQuery("SELECT note, DATABASE(), VERSION() FROM t WHERE id = 1")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("embedded");
        assertThat(rows.getString(2)).isEqualTo(db.schema());
        assertThat(rows.getString(3)).contains("MariaDB");
      }
    }
  }
}
