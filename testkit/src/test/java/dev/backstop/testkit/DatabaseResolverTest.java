package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseResolverTest {

  /** A local port nothing listens on (it was free a moment ago). */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "POSTGRESQL, BACKSTOP_TEST_JDBC_URL, PostgreSQL",
    "MARIADB, BACKSTOP_TEST_MARIADB_URL, MariaDB"
  })
  void namesEveryOptionTriedWhenAllFail(TestDatabase.Kind kind, String variable, String product)
      throws IOException {
    int closedPort = closedPort();
    DatabaseResolver resolver =
        new DatabaseResolver(
            kind,
            Map.of(),
            "127.0.0.1",
            closedPort,
            () -> false,
            () -> {
              throw new AssertionError("no Docker, no container");
            },
            () -> {
              throw new IllegalStateException("could not start: no space left on device");
            });

    assertThatThrownBy(resolver::resolve)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(variable + ": not set")
        .hasMessageContaining(
            "local " + product + " at 127.0.0.1:" + closedPort + ": nothing listens")
        .hasMessageContaining("Testcontainers: no Docker engine reachable")
        .hasMessageContaining("embedded " + product + ": could not start: no space left on device")
        .hasMessageContaining("Provide one: set " + variable);
  }

  @Test
  void aBrokenUrlInTheEnvironmentFailsInsteadOfFallingBack() {
    DatabaseResolver resolver =
        new DatabaseResolver(
            TestDatabase.Kind.POSTGRESQL,
            Map.of("BACKSTOP_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/nowhere"),
            "127.0.0.1",
            5432,
            () -> false,
            () -> {
              throw new AssertionError();
            },
            () -> {
              throw new AssertionError();
            });

    assertThatThrownBy(resolver::resolve)
        .hasMessageContaining("BACKSTOP_TEST_JDBC_URL is set to jdbc:postgresql://127.0.0.1:1/");
  }

  @Test
  void derivesTheUrlOfAnotherDatabaseOnTheSameServer() {
    DatabaseServer server =
        new DatabaseServer(
            TestDatabase.Kind.MARIADB, "jdbc:mariadb://db:3306/test?useSsl=false", "", "", "x");
    assertThat(server.urlOfDatabase("bs_x")).isEqualTo("jdbc:mariadb://db:3306/bs_x?useSsl=false");
  }

  @Test
  void manualClockMovesOnlyWhenTold() {
    ManualClock clock = ManualClock.at(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    clock.advance(java.time.Duration.ofSeconds(5));
    assertThat(clock.instant()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:05Z"));
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant())
        .isEqualTo(clock.instant());
  }
}
