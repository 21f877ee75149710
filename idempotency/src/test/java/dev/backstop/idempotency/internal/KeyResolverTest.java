package dev.backstop.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.MessageId;
import dev.backstop.idempotency.MissingKeyPolicy;
import dev.backstop.idempotency.UnidentifiableRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KeyResolverTest {

  private static ConsumerRecord<String, String> record(String id, String value) {
    var record = new ConsumerRecord<>("orders", 2, 11L, "k", value);
    if (id != null) {
      record.headers().add("backstop.message-id", id.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  @Test
  void theMessageIdHeaderComesFirst() {
    String id = MessageId.generate().toString();
    var keys = new KeyResolver<String, String>(r -> "business", MissingKeyPolicy.REJECT);
    assertThat(keys.keyOf(record(id, "v"))).contains(id);
  }

  @Test
  void theLastHeaderWins() {
    String first = MessageId.generate().toString();
    String last = MessageId.generate().toString();
    var record = record(first, "v");
    record.headers().add("backstop.message-id", last.getBytes(StandardCharsets.UTF_8));
    assertThat(new KeyResolver<String, String>(null, MissingKeyPolicy.REJECT).keyOf(record))
        .contains(last);
  }

  @Test
  void theExtractorKeysRecordsWithoutHeader() {
    var keys = new KeyResolver<String, String>(ConsumerRecord::value, MissingKeyPolicy.REJECT);
    assertThat(keys.keyOf(record(null, "order-1"))).contains("order-1");
  }

  @Test
  void fallbacksApplyOnlyWhenConfigured() {
    assertThatThrownBy(
            () ->
                new KeyResolver<String, String>(null, MissingKeyPolicy.REJECT)
                    .keyOf(record(null, "v")))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageStartingWith("Record orders-2@11 has no backstop.message-id header");
    assertThat(
            new KeyResolver<String, String>(null, MissingKeyPolicy.OFFSET).keyOf(record(null, "v")))
        .contains("offset:orders/2/11");
    assertThat(
            new KeyResolver<String, String>(null, MissingKeyPolicy.NO_DEDUP)
                .keyOf(record(null, "v")))
        .isEmpty();
  }

  @Test
  void aMalformedHeaderIsRejectedEvenWithAFallback() {
    var keys = new KeyResolver<String, String>(r -> "business", MissingKeyPolicy.NO_DEDUP);
    assertThatThrownBy(() -> keys.keyOf(record("not-a-uuid", "v")))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageContaining("orders-2@11")
        .hasMessageContaining("'not-a-uuid'");
  }
}
