package dev.backstop.dlq;

import static dev.backstop.dlq.Records.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.BackstopHeaders;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

  private static DeadLetter letter() {
    Headers h = headers();
    h.add(BackstopHeaders.ERROR_CLASS, utf8("com.acme.Boom"));
    h.add("kafka_dlt-original-offset", int64(5));
    h.add("binary", new byte[] {0, (byte) 0xff});
    h.add("binary", new byte[] {1});
    h.add("nothing", null);
    return DeadLetters.decode(
        record("orders.dlq", 2, 9, "k", new byte[] {(byte) 0xc3, 0x28, 0}, h));
  }

  @Test
  void exportRoundTripsKeyValueAndEveryHeaderExactly() {
    DeadLetter original = letter();
    String line = DeadLetterJson.export(original);

    assertThat(line).doesNotContain("\n");
    assertThat(DeadLetterJson.readExport(line)).isEqualTo(original);
  }

  @Test
  void exportCarriesTheDecodedFailureForReading() throws Exception {
    JsonNode node = new ObjectMapper().readTree(DeadLetterJson.export(letter()));
    assertThat(node.get("failure").get("errorClass").asText()).isEqualTo("com.acme.Boom");
    assertThat(node.get("partition").asInt()).isEqualTo(2);
    assertThat(node.get("headers")).hasSize(5);
  }

  @Test
  void summaryHasTheDocumentedFields() throws Exception {
    JsonNode node = new ObjectMapper().readTree(DeadLetterJson.summary(letter()));
    assertThat(node.fieldNames())
        .toIterable()
        .containsExactly(
            "address",
            "topic",
            "partition",
            "offset",
            "timestamp",
            "key",
            "source",
            "originalTopic",
            "originalPartition",
            "originalOffset",
            "consumerGroup",
            "errorClass",
            "rootCause",
            "errorMessage",
            "fingerprint",
            "messageId",
            "failedAt",
            "replayCount",
            "valueSize");
  }

  @Test
  void rejectsALineThatIsNotAnExport() {
    assertThatThrownBy(() -> DeadLetterJson.readExport("{\"topic\":1"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid export line");
  }
}
