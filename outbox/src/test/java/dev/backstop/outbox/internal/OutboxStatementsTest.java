package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxStatementsTest {

  @Test
  void loadsNamedStatementsWithThePrefixApplied() {
    OutboxStatements sql = OutboxStatements.load("postgresql", "shop_");
    assertThat(sql.get("delete-range"))
        .isEqualTo("DELETE FROM shop_outbox WHERE lane = ? AND seq BETWEEN ? AND ?");
    assertThat(sql.get("insert-message")).contains("UPDATE shop_outbox_lane").doesNotContain("--");
  }

  @Test
  void schemaScriptHasThePrefixAndLaneCount() {
    assertThat(OutboxStatements.load("postgresql", "shop_").schema(1, 32))
        .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS shop_outbox ("))
        .anySatisfy(s -> assertThat(s).contains("generate_series(0, 32 - 1)"))
        .noneSatisfy(s -> assertThat(s).contains("${"));
  }

  @Test
  void refusesAPrefixThatIsNotAnIdentifier() {
    assertThatThrownBy(() -> OutboxStatements.load("postgresql", "x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x; DROP TABLE y");
  }

  @Test
  void namesAMissingStatement() {
    assertThatThrownBy(() -> OutboxStatements.load("postgresql", "a_").get("nope"))
        .hasMessage("No statement nope for dialect postgresql");
  }
}
