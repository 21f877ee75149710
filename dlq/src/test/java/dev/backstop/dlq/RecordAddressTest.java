package dev.backstop.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordAddressTest {

  @Test
  void parsesTopicPartitionOffset() {
    assertThat(RecordAddress.parse("orders.dlq/0/42"))
        .isEqualTo(new RecordAddress("orders.dlq", 0, 42));
    assertThat(RecordAddress.parse("orders.dlq/0/42").toString()).isEqualTo("orders.dlq/0/42");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orders.dlq",
        "orders.dlq/0",
        "orders.dlq/x/1",
        "orders.dlq/0/-1",
        "/0/1",
        "a b/0/1",
        "orders.dlq/0/1/2"
      })
  void rejectsMalformedAddresses(String text) {
    assertThatThrownBy(() -> RecordAddress.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid address " + text + ": expected TOPIC/PARTITION/OFFSET");
  }
}
