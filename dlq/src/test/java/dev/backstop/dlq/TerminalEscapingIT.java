package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A dead letter whose key, original topic, error message and payload hold ESC sequences (clear
 * screen, cursor up, red), NUL, carriage returns, DEL and a C1 control: no human-readable output
 * prints any of them raw, and the JSON output and the export keep them exactly.
 */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminalEscapingIT {
  private static final String KEY = "order-7\u001b[2J\u0000\r\rkey";
  private static final String ORIGINAL = "orders\u001b[1A\r";
  private static final String MESSAGE =
      "declined \u001b[31mRED\u001b[0m \u0000 nul \r\rhidden \u009b2J c1 \u007f del";

  /** Printable text apart from its carriage returns (a payload with ESC or NUL shows as hex). */
  private static final String PAYLOAD = "line one\r\rline two\n\tindented";

  private final KafkaBroker broker;
  private String bootstrap;

  TerminalEscapingIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @BeforeAll
  void deadLetter() {
    bootstrap = broker.bootstrapServers();
    broker.createTopic("esc.dlq", 1);
    try (Fixtures fixtures = new Fixtures(broker)) {
      fixtures.send(
          "esc.dlq",
          0,
          null,
          KEY,
          utf8(PAYLOAD),
          Fixtures.backstop(
              Fixtures.newMessageId(),
              ORIGINAL,
              0,
              7,
              new IllegalStateException(MESSAGE),
              Instant.now()));
    }
  }

  /** No character a terminal acts on, apart from the line breaks and tabs of the layout. */
  private static void assertNoRawControls(String printed) {
    for (int i = 0; i < printed.length(); i++) {
      char c = printed.charAt(i);
      assertThat(c != '\n' && c != '\t' && TerminalText.unsafe(c))
          .as("raw U+%04X at %d in:%n%s", (int) c, i, printed)
          .isFalse();
    }
  }

  private Cli.Result run(String... args) {
    Cli.Result result = Cli.run(Cli.args(List.of(args), "-b", bootstrap));
    assertThat(result.exit()).as(result.err()).isZero();
    return result;
  }

  @Test
  void listTableEscapesTheOriginalTopicAndTheErrorMessage() {
    Cli.Result list = run("dlq", "list", "esc.dlq");

    assertNoRawControls(list.out());
    assertNoRawControls(list.err());
    assertThat(list.out())
        .contains("orders\\u001b[1A\\u000d/0/7")
        .contains("declined \\u001b[31mRED\\u001b[0m \\u0000 nul \\u000d\\u000dhidden \\u009b2J");
  }

  @Test
  void showEscapesEveryFieldHeaderStackTraceAndThePayload() {
    Cli.Result show = run("dlq", "show", "esc.dlq/0/0");

    assertNoRawControls(show.out());
    assertThat(show.out())
        .contains("key             order-7\\u001b[2J\\u0000\\u000d\\u000dkey")
        .contains("original        orders\\u001b[1A\\u000d/0/7")
        .contains("error message   declined \\u001b[31mRED")
        .contains("backstop.original.topic           orders\\u001b[1A\\u000d")
        .contains("c1 \\u007f del")
        .contains("payload (text, ")
        .contains("line one\\u000d\\u000dline two\n\tindented");
  }

  @Test
  void statsAndTheDryRunEscapeTooAndRefusalsToo() {
    Cli.Result stats = run("dlq", "stats", "esc.dlq", "--by", "original-topic");
    assertNoRawControls(stats.out());
    assertThat(stats.out()).contains("orders\\u001b[1A\\u000d");

    Cli.Result dryRun =
        Cli.run("dlq", "replay", "esc.dlq", "--dry-run", "-b", bootstrap); // not a topic name
    assertNoRawControls(dryRun.out());
    assertNoRawControls(dryRun.err());
    assertThat(dryRun.err())
        .contains("refused esc.dlq/0/0: target orders\\u001b[1A\\u000d is not a valid topic name");
  }

  @Test
  void jsonAndExportKeepTheExactText() throws Exception {
    Cli.Result json = run("dlq", "list", "esc.dlq", "--format", "json");
    assertNoRawControls(json.out());
    JsonNode line = new ObjectMapper().readTree(json.outLines().get(0));
    assertThat(line.get("key").asText()).isEqualTo(KEY);
    assertThat(line.get("originalTopic").asText()).isEqualTo(ORIGINAL);
    assertThat(line.get("errorMessage").asText()).isEqualTo(MESSAGE);

    Cli.Result detail = run("dlq", "show", "esc.dlq/0/0", "--format", "json");
    assertNoRawControls(detail.out());
    assertThat(new ObjectMapper().readTree(detail.out()).get("value").get("text").asText())
        .isEqualTo(PAYLOAD);

    Cli.Result export = run("dlq", "export", "esc.dlq");
    assertNoRawControls(export.out());
    DeadLetter back = DeadLetterJson.readExport(export.outLines().get(0));
    assertThat(back.keyText()).isEqualTo(KEY);
    assertThat(back.failure().errorMessage()).isEqualTo(MESSAGE);
    assertThat(new String(back.value(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(PAYLOAD);
  }
}
