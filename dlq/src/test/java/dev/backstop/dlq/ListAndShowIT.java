package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Acceptance 1: dead letters of every convention list and show decoded; filters select. */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListAndShowIT {
  private static final String DLQ = "mixed.dlq";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KafkaBroker broker;
  private final Fixtures fixtures;
  private final String messageId = Fixtures.newMessageId();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  ListAndShowIT(KafkaBroker broker) {
    this.broker = broker;
    this.fixtures = new Fixtures(broker);
  }

  @BeforeAll
  void writeDeadLetters() {
    broker.createTopic(DLQ, 2);
    // offset 0..3 on partition 0, in this order
    fixtures.send(
        DLQ,
        0,
        now.toEpochMilli(),
        "order-1",
        utf8("{\"order\":1,\"amount\":-5}"),
        Fixtures.backstop(
            messageId,
            "orders",
            3,
            1234,
            new IllegalArgumentException("amount must be positive"),
            now));
    fixtures.send(
        DLQ,
        0,
        now.toEpochMilli(),
        "order-2",
        utf8("plain text body"),
        Fixtures.spring(
            "orders", 5, 9_876_543_210L, "com.acme.PaymentDeclinedException", "card declined"));
    fixtures.send(
        DLQ,
        0,
        now.toEpochMilli(),
        null,
        new byte[] {0, 1, 2, (byte) 0xff},
        Fixtures.connect(
            "customers",
            2,
            77,
            "org.apache.kafka.connect.errors.DataException",
            "Converting byte[] failed"));
    Headers corrupt = Fixtures.spring("orders", 1, 1, "com.acme.X", "corrupt offsets");
    corrupt.remove("kafka_dlt-original-partition");
    corrupt.add("kafka_dlt-original-partition", new byte[] {9, 9, 9});
    corrupt.add("x-opaque", new byte[] {(byte) 0xca, (byte) 0xfe});
    fixtures.send(DLQ, 0, now.toEpochMilli(), "order-4", utf8("x".repeat(500)), corrupt);
    // partition 1: an old dead letter and one without any failure headers
    fixtures.send(
        DLQ,
        1,
        now.minus(3, ChronoUnit.HOURS).toEpochMilli(),
        "old",
        utf8("{}"),
        Fixtures.backstop(
            Fixtures.newMessageId(),
            "orders",
            0,
            1,
            new IllegalStateException("old"),
            now.minus(3, ChronoUnit.HOURS)));
    fixtures.send(DLQ, 1, now.toEpochMilli(), "bare", utf8("no headers"), new RecordHeaders());
  }

  @AfterAll
  void close() {
    fixtures.close();
  }

  private Cli.Result dlq(String... args) {
    return Cli.run(
        Cli.args(List.of("dlq"), Cli.args(List.of(args), "-b", broker.bootstrapServers())));
  }

  private List<JsonNode> jsonLines(Cli.Result result) throws Exception {
    assertThat(result.exit()).as(result.err()).isZero();
    List<JsonNode> nodes = new java.util.ArrayList<>();
    for (String line : result.outLines()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void listsEveryConventionDecoded() throws Exception {
    List<JsonNode> rows = jsonLines(dlq("list", DLQ, "--format", "json"));

    assertThat(rows).hasSize(6);
    assertThat(rows.get(0).get("source").asText()).isEqualTo("backstop");
    assertThat(rows.get(0).get("originalTopic").asText()).isEqualTo("orders");
    assertThat(rows.get(0).get("originalPartition").asInt()).isEqualTo(3);
    assertThat(rows.get(0).get("originalOffset").asLong()).isEqualTo(1234);
    assertThat(rows.get(0).get("errorClass").asText())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(rows.get(0).get("errorMessage").asText()).isEqualTo("amount must be positive");
    assertThat(rows.get(0).get("messageId").asText()).isEqualTo(messageId);

    assertThat(rows.get(1).get("source").asText()).isEqualTo("spring_kafka");
    assertThat(rows.get(1).get("originalPartition").asInt()).isEqualTo(5);
    assertThat(rows.get(1).get("originalOffset").asLong()).isEqualTo(9_876_543_210L);
    assertThat(rows.get(1).get("errorClass").asText())
        .isEqualTo("com.acme.PaymentDeclinedException");
    assertThat(rows.get(1).get("errorMessage").asText()).isEqualTo("card declined");

    assertThat(rows.get(2).get("source").asText()).isEqualTo("kafka_connect");
    assertThat(rows.get(2).get("originalTopic").asText()).isEqualTo("customers");
    assertThat(rows.get(2).get("originalPartition").asInt()).isEqualTo(2);
    assertThat(rows.get(2).get("originalOffset").asLong()).isEqualTo(77);
    assertThat(rows.get(2).get("errorClass").asText())
        .isEqualTo("org.apache.kafka.connect.errors.DataException");

    assertThat(rows.get(3).get("originalPartition").isNull()).isTrue();
    assertThat(rows.get(5).get("source").asText()).isEqualTo("unknown");
  }

  @Test
  void listsAsATableWithTheCountOnStandardError() {
    Cli.Result result = dlq("list", DLQ);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.outLines()).hasSize(7);
    assertThat(result.outLines().get(0)).startsWith("PARTITION/OFFSET");
    assertThat(result.outLines().get(1))
        .contains("0/0", "orders/3/1234", "IllegalArgumentException", "amount must be positive");
    assertThat(result.outLines().get(2))
        .contains("orders/5/9876543210", "PaymentDeclinedException");
    assertThat(result.outLines().get(3)).contains("customers/2/77", "DataException");
    assertThat(result.err()).isEqualTo("6 dead letters in mixed.dlq" + System.lineSeparator());
  }

  @Test
  void showsEachConventionWithHeadersAndPayloadDecoded() {
    Cli.Result backstop = dlq("show", DLQ + "/0/0");
    assertThat(backstop.exit()).as(backstop.err()).isZero();
    assertThat(backstop.out())
        .contains("original        orders/3/1234")
        .contains("error class     java.lang.IllegalArgumentException")
        .contains("error message   amount must be positive")
        .contains("message id      " + messageId)
        .contains("payload (json, ")
        .contains("\"amount\" : -5");

    Cli.Result spring = dlq("show", DLQ + "/0/1");
    assertThat(spring.out())
        .contains("source          spring_kafka")
        .contains("original        orders/5/9876543210")
        .contains("error class     com.acme.PaymentDeclinedException")
        .contains("kafka_dlt-original-partition      5")
        .contains("payload (text, 15 bytes)");

    Cli.Result connect = dlq("show", DLQ + "/0/2");
    assertThat(connect.out())
        .contains("original        customers/2/77")
        .contains("error message   Converting byte[] failed")
        .contains("payload (hex, 4 bytes)")
        .contains("000102ff");
  }

  @Test
  void showsCorruptAndUnknownHeadersRaw() {
    Cli.Result result = dlq("show", DLQ + "/0/3", "--max-bytes", "100");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "kafka_dlt-original-partition      hex:090909  [undecoded: binary int: expected 4 bytes, found 3]")
        .contains("x-opaque                          hex:cafe")
        .contains("original        orders/?/1")
        .contains("payload (text, 500 bytes, cut to --max-bytes 100)");
  }

  @Test
  void showsJsonWithEveryHeader() throws Exception {
    JsonNode node = jsonLines(dlq("show", DLQ + "/0/1", "--format", "json")).get(0);
    assertThat(node.get("errorClass").asText()).isEqualTo("com.acme.PaymentDeclinedException");
    assertThat(node.get("headers")).hasSize(9);
    assertThat(node.get("value").get("kind").asText()).isEqualTo("text");
    assertThat(node.get("stacktrace").asText()).contains("Listener.java:12");
  }

  @Test
  void filtersByErrorClassKeyOriginalTopicTimeOffsetsAndLimit() throws Exception {
    assertThat(
            jsonLines(dlq("list", DLQ, "-f", "json", "--error-class", "PaymentDeclinedException")))
        .extracting(n -> n.get("offset").asLong())
        .containsExactly(1L);
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--key", "order-4")))
        .extracting(n -> n.get("offset").asLong())
        .containsExactly(3L);
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--original-topic", "customers")))
        .extracting(n -> n.get("address").asText())
        .containsExactly(DLQ + "/0/2");
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--since", "2h")))
        .extracting(n -> n.get("key").asText(null))
        .doesNotContain("old")
        .hasSize(5);
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--until", "2h")))
        .extracting(n -> n.get("key").asText())
        .containsExactly("old");
    assertThat(
            jsonLines(
                dlq(
                    "list",
                    DLQ,
                    "-f",
                    "json",
                    "-p",
                    "0",
                    "--from-offset",
                    "1",
                    "--to-offset",
                    "2")))
        .extracting(n -> n.get("offset").asLong())
        .containsExactly(1L, 2L);
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--limit", "2"))).hasSize(2);
    String fingerprint =
        jsonLines(dlq("list", DLQ, "-f", "json", "--key", "order-1"))
            .get(0)
            .get("fingerprint")
            .asText();
    assertThat(jsonLines(dlq("list", DLQ, "-f", "json", "--fingerprint", fingerprint)))
        .extracting(n -> n.get("key").asText())
        .containsExactly("order-1");
  }
}
