package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 5: export writes valid JSON lines that round-trip headers and payload bytes. */
@BackstopKafka
class ExportIT {
  private final KafkaBroker broker;

  ExportIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void exportRoundTripsHeadersAndPayloadBytes(@TempDir Path dir) throws Exception {
    broker.createTopic("export.dlq", 2);
    try (Fixtures fixtures = new Fixtures(broker)) {
      Headers backstop =
          Fixtures.backstop(
              Fixtures.newMessageId(),
              "orders",
              1,
              2,
              new IllegalStateException("é ünïcode"),
              Instant.now());
      backstop.add("x-binary", new byte[] {0, (byte) 0x80, (byte) 0xff});
      backstop.add("x-binary", new byte[] {1});
      backstop.add("x-null", null);
      fixtures.send("export.dlq", 0, null, "k1", new byte[] {(byte) 0xc3, 0x28, 0, 7}, backstop);
      fixtures.send(
          "export.dlq", 1, null, null, null, Fixtures.spring("orders", 3, 4, "com.acme.E", "m"));
      fixtures.send(
          "export.dlq", 1, null, "k3", utf8("{\"a\":1}"), Fixtures.connect("c", 0, 1, "E", "m"));
      List<ConsumerRecord<byte[], byte[]>> written = fixtures.readAll("export.dlq");
      Path file = dir.resolve("dead-letters.jsonl");

      Cli.Result result =
          Cli.run(
              "dlq",
              "export",
              "export.dlq",
              "--output",
              file.toString(),
              "-b",
              broker.bootstrapServers());

      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).contains("exported 3 dead letters from export.dlq to " + file);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines).hasSize(3);
      for (String line : lines) {
        JsonNode node = new ObjectMapper().readTree(line);
        ConsumerRecord<byte[], byte[]> source =
            written.stream()
                .filter(
                    r ->
                        r.partition() == node.get("partition").asInt()
                            && r.offset() == node.get("offset").asLong())
                .findFirst()
                .orElseThrow();
        assertThat(bytes(node.get("key"))).isEqualTo(source.key());
        assertThat(bytes(node.get("value"))).isEqualTo(source.value());
        assertThat(node.get("timestamp").asLong()).isEqualTo(source.timestamp());
        Header[] headers = source.headers().toArray();
        assertThat(node.get("headers")).hasSize(headers.length);
        for (int i = 0; i < headers.length; i++) {
          assertThat(node.get("headers").get(i).get("name").asText()).isEqualTo(headers[i].key());
          assertThat(bytes(node.get("headers").get(i).get("value"))).isEqualTo(headers[i].value());
        }
        DeadLetter back = DeadLetterJson.readExport(line);
        assertThat(back).isEqualTo(DeadLetters.decode(source));
      }
      JsonNode first = new ObjectMapper().readTree(lines.get(0));
      assertThat(first.get("failure").get("errorMessage").asText()).isEqualTo("é ünïcode");
    }
  }

  @Test
  void exportsToStandardOutputWithFilters() throws Exception {
    broker.createTopic("export2.dlq", 1);
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 10; i++) {
        fixtures.sendAsync(
            "export2.dlq",
            0,
            null,
            "k" + i,
            utf8("v" + i),
            Fixtures.spring("orders", 0, i, i % 2 == 0 ? "Even" : "Odd", "m"));
      }
      fixtures.flush();
    }

    Cli.Result result =
        Cli.run(
            "dlq",
            "export",
            "export2.dlq",
            "--error-class",
            "Odd",
            "-b",
            broker.bootstrapServers());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.outLines()).hasSize(5);
    for (String line : result.outLines()) {
      assertThat(DeadLetterJson.readExport(line).failure().errorClass()).isEqualTo("Odd");
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node.isNull() ? null : Base64.getDecoder().decode(node.asText());
  }
}
