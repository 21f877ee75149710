package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

@BackstopDatabase(kind = TestDatabase.Kind.MARIADB)
class MariadbTestDatabaseIT {

  @Test
  void givesEachCallerItsOwnDatabase(TestDatabase db) throws SQLException {
    assertThat(db.kind()).isEqualTo(TestDatabase.Kind.MARIADB);
    TestDatabaseIT.execute(db, "CREATE TABLE things (id int PRIMARY KEY)");
    TestDatabaseIT.execute(db, "INSERT INTO things VALUES (1)");

    try (TestDatabase other = TestDatabase.mariadb()) {
      assertThatThrownBy(() -> TestDatabaseIT.execute(other, "SELECT * FROM things"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("things");
    }
    assertThat(TestDatabaseIT.count(db, "SELECT count(*) FROM things")).isEqualTo(1);
  }

  @Test
  void terminatesItsOwnSessions(TestDatabase db) throws SQLException {
    try (Connection victim = db.dataSource().getConnection()) {
      assertThat(db.terminateConnections()).isGreaterThanOrEqualTo(1);
      assertThatThrownBy(() -> victim.createStatement().execute("SELECT 1"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(TestDatabaseIT.count(db, "SELECT 1")).isEqualTo(1);
  }
}
