package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@BackstopDatabase
class TestDatabaseIT {

  @Test
  void givesEachCallerItsOwnSchema(TestDatabase db) throws SQLException {
    assertThat(db.source()).isNotBlank();
    execute(db, "CREATE TABLE things (id int PRIMARY KEY)");
    execute(db, "INSERT INTO things VALUES (1)");

    try (TestDatabase other = TestDatabase.postgres()) {
      assertThat(other.schema()).isNotEqualTo(db.schema());
      assertThatThrownBy(() -> execute(other, "SELECT * FROM things"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("things");
    }
    assertThat(count(db, "SELECT count(*) FROM things")).isEqualTo(1);
  }

  @Test
  void terminatesOnlyItsOwnSessions(TestDatabase db) throws SQLException {
    try (TestDatabase bystander = TestDatabase.postgres();
        Connection victim = db.dataSource().getConnection();
        Connection survivor = bystander.dataSource().getConnection()) {
      assertThat(db.terminateConnections()).isGreaterThanOrEqualTo(1);

      assertThatThrownBy(() -> victim.createStatement().execute("SELECT 1"))
          .isInstanceOf(SQLException.class);
      assertThat(survivor.createStatement().execute("SELECT 1")).isTrue();
    }
    // the pool replaces dead connections
    assertThat(count(db, "SELECT 1")).isEqualTo(1);
  }

  @Test
  void dropsTheSchemaOnClose() throws SQLException {
    TestDatabase temporary = TestDatabase.postgres();
    String schema = temporary.schema();
    temporary.close();
    try (TestDatabase probe = TestDatabase.postgres()) {
      assertThat(
              count(
                  probe,
                  "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                      + schema
                      + "'"))
          .isZero();
    }
  }

  static void execute(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static int count(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
