package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Acceptance 2: 1,000 dead letters of three causes group into three rows with correct counts. */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsIT {
  private static final String DLQ = "busy.dlq";
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final KafkaBroker broker;

  StatsIT(KafkaBroker broker) {
    this.broker = broker;
  }

  /**
   * 500 InvalidOrder (orders), 300 Timeout (payments), 200 Duplicate (shipping); one second apart.
   */
  @BeforeAll
  void write1000DeadLetters() {
    broker.createTopic(DLQ, 3);
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 1000; i++) {
        Instant at = T0.plusSeconds(i);
        Throwable error;
        String original;
        if (i % 10 < 5) {
          error = new IllegalArgumentException("invalid order " + i);
          original = "orders";
        } else if (i % 10 < 8) {
          error =
              new java.util.concurrent.TimeoutException(
                  "payment service timed out after " + i + "ms");
          original = "payments";
        } else {
          error = new IllegalStateException("duplicate shipment " + i);
          original = "shipping";
        }
        fixtures.sendAsync(
            DLQ,
            i % 3,
            at.toEpochMilli(),
            "k" + i,
            utf8("{\"i\":" + i + "}"),
            Fixtures.backstop(Fixtures.newMessageId(), original, 0, i, error, at));
      }
      fixtures.flush();
    }
  }

  private List<JsonNode> stats(String by) throws Exception {
    Cli.Result result =
        Cli.run(
            "dlq", "stats", DLQ, "--by", by, "--format", "json", "-b", broker.bootstrapServers());
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("1000 dead letters in 3 groups by " + by);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : result.outLines()) {
      rows.add(new ObjectMapper().readTree(line));
    }
    return rows;
  }

  @Test
  void groupsByErrorClassWithCountsAndFirstAndLastSeen() throws Exception {
    List<JsonNode> rows = stats("error");

    assertThat(rows)
        .extracting(r -> r.get("key").asText())
        .containsExactly(
            "java.lang.IllegalArgumentException",
            "java.util.concurrent.TimeoutException",
            "java.lang.IllegalStateException");
    assertThat(rows).extracting(r -> r.get("count").asLong()).containsExactly(500L, 300L, 200L);
    assertThat(rows.get(0).get("firstSeen").asText()).isEqualTo(T0.toString());
    assertThat(rows.get(0).get("lastSeen").asText()).isEqualTo(T0.plusSeconds(994).toString());
    assertThat(rows.get(1).get("firstSeen").asText()).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(rows.get(2).get("lastSeen").asText()).isEqualTo(T0.plusSeconds(999).toString());
  }

  @Test
  void groupsByFingerprintAndOriginalTopic() throws Exception {
    assertThat(stats("fingerprint"))
        .extracting(r -> r.get("count").asLong())
        .containsExactly(500L, 300L, 200L);
    List<JsonNode> byTopic = stats("original-topic");
    assertThat(byTopic)
        .extracting(r -> r.get("key").asText())
        .containsExactly("orders", "payments", "shipping");
    assertThat(byTopic).extracting(r -> r.get("count").asLong()).containsExactly(500L, 300L, 200L);
  }

  @Test
  void printsATableOfThreeRows() {
    Cli.Result result = Cli.run("dlq", "stats", DLQ, "-b", broker.bootstrapServers());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.outLines()).hasSize(4);
    assertThat(result.outLines().get(0)).startsWith("COUNT   ERROR");
    assertThat(result.outLines().get(1))
        .startsWith("500     java.lang.IllegalArgumentException")
        .contains("2026-11-26T10:00:00Z");
    assertThat(result.outLines().get(3)).startsWith("200     java.lang.IllegalStateException");
  }

  @Test
  void statsTakeFilters() throws Exception {
    Cli.Result result =
        Cli.run(
            "dlq",
            "stats",
            DLQ,
            "--original-topic",
            "payments",
            "-f",
            "json",
            "-b",
            broker.bootstrapServers());
    assertThat(result.exit()).isZero();
    assertThat(result.outLines()).hasSize(1);
    assertThat(new ObjectMapper().readTree(result.outLines().get(0)).get("count").asLong())
        .isEqualTo(300);
  }
}
