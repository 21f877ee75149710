package dev.backstop.dlq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.dlq.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliParsingTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void parsesRates() {
    assertThat(ReplayCommand.parseRate("1000/s")).isEqualTo(1000.0);
    assertThat(ReplayCommand.parseRate("2.5")).isEqualTo(2.5);
    for (String bad : new String[] {"0/s", "0", "-5/s", "fast", "1000/m", "Infinity"}) {
      assertThatThrownBy(() -> ReplayCommand.parseRate(bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(
              "Invalid value "
                  + bad
                  + " for --rate: must be a positive number of records per second, like 1000/s");
    }
  }

  @Test
  void parsesWhenAsDurationAgoOrInstant() {
    assertThat(FilterOptions.when("--since", "2h", clock))
        .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(FilterOptions.when("--since", "2026-11-01T00:00:00Z", clock))
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThatThrownBy(() -> FilterOptions.when("--until", "yesterday", clock))
        .hasMessageStartingWith("Invalid value yesterday for --until");
  }

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine line = BackstopCommand.commandLine(CliContext.system());
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    return line.execute(args);
  }

  @Test
  void everyCommandHasHelpAndTheRootHasAVersion() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"dlq", "--help"},
          {"dlq", "list", "--help"},
          {"dlq", "show", "--help"},
          {"dlq", "stats", "--help"},
          {"dlq", "replay", "--help"},
          {"dlq", "export", "--help"}
        }) {
      StringWriter out = new StringWriter();
      assertThat(run(out, new StringWriter(), args)).as(String.join(" ", args)).isZero();
      assertThat(out.toString()).contains("Usage:");
    }
    StringWriter out = new StringWriter();
    assertThat(run(out, new StringWriter(), "--version")).isZero();
    assertThat(out.toString()).startsWith("backstop ");
  }

  @Test
  void usageErrorsExitWithTwoAndOneLine() {
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "dlq", "list")).isEqualTo(2);
    assertThat(err.toString()).startsWith("backstop: Missing required parameter: 'TOPIC'");

    err = new StringWriter();
    assertThat(run(new StringWriter(), err, "dlq", "list", "t")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "backstop: Missing connection: pass --bootstrap-server HOST:PORT or --config FILE");

    err = new StringWriter();
    assertThat(run(new StringWriter(), err, "dlq", "list", "t", "-b", "x:1", "--format", "xml"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--format");
  }
}
