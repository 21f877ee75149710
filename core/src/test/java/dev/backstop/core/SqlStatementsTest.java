package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {
  private static final String STATEMENTS = "/dev/backstop/core/sql-statements-test.sql";

  @Test
  void readsNamedStatementsWithoutCommentsAndWithPlaceholdersReplaced() {
    SqlStatements sql =
        SqlStatements.load(SqlStatementsTest.class, STATEMENTS, Map.of("table", "shop_orders"));
    assertThat(sql.get("count")).isEqualTo("SELECT count(*)\nFROM shop_orders");
    assertThat(sql.get("delete")).isEqualTo("DELETE FROM shop_orders WHERE id = ?");
    assertThat(sql.find("missing")).isEmpty();
  }

  @Test
  void namesTheResourceOfAMissingStatement() {
    SqlStatements sql = SqlStatements.load(SqlStatementsTest.class, STATEMENTS, Map.of());
    assertThatThrownBy(() -> sql.get("nope"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No statement nope in " + STATEMENTS);
  }

  @Test
  void splitsAScriptIntoStatements() {
    assertThat(
            SqlStatements.script(
                SqlStatementsTest.class,
                "/dev/backstop/core/sql-script-test.sql",
                Map.of("table", "t", "rows", "3")))
        .containsExactly("CREATE TABLE t (id INT)", "INSERT INTO t SELECT generate_series(1, 3)");
  }

  @Test
  void failsOnAMissingResource() {
    assertThatThrownBy(() -> SqlStatements.load(SqlStatementsTest.class, "/nope.sql", Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Missing SQL resource /nope.sql");
  }
}
