package dev.backstop.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

  @Test
  void rejectsADatabaseUrlThatIsNotPostgresql() {
    assertThatThrownBy(() -> Demo.parse("--db", "jdbc:mysql://localhost/shop"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "Invalid value jdbc:mysql://localhost/shop for --db: must be a PostgreSQL JDBC URL"
                + " like jdbc:postgresql://localhost:5432/shop");
  }

  @Test
  void helpNamesTheSwitchesToRealServices() {
    String usage = new CommandLine(new Demo()).getUsageMessage();

    assertThat(usage).contains("--bootstrap-server", "--db", "--short", "--wait");
  }

  @Test
  void everyScenarioFileIsValid() {
    ScenarioPlan full = ScenarioPlan.from(SampleProperties.load("demo.properties", null, Map.of()));
    ScenarioPlan brief =
        ScenarioPlan.from(SampleProperties.load("demo-short.properties", null, Map.of()));

    assertThat(brief.burstOrders()).isLessThan(full.burstOrders());
    assertThat(brief.poisonDeclined()).isPositive();
  }

  @Test
  void aMistypedScenarioKeyNamesTheNearestOne() {
    SampleProperties typo =
        SampleProperties.load("demo.properties", null, Map.of("demo.burst.order", "10"));

    assertThatThrownBy(() -> ScenarioPlan.from(typo))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Unknown key demo.burst.order: did you mean demo.burst.orders?");
  }
}
