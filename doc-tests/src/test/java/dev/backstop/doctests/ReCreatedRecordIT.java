package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.OriginHeaders;
import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentHandler;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * What docs/core.md and README.md promise about message ids, against a real broker and database: a
 * record built again for the same message carries one id when it is stamped with {@link
 * OriginHeaders#stampFromKey}, and the idempotent consumer applies it once; built again without a
 * business key, the interceptor gives each copy its own id.
 */
@BackstopKafka
@BackstopDatabase
class ReCreatedRecordIT {

  @Test
  void aRecordBuiltAgainFromItsBusinessKeyCarriesOneIdAndIsAppliedOnce(
      KafkaBroker broker, TestDatabase db) throws Exception {
    broker.createTopic("payments-made", 1);
    Map<String, Object> config = new java.util.HashMap<>(broker.producerConfig());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, OriginHeaders.class.getName());
    try (var producer = new KafkaProducer<String, String>(config)) {
      for (int copy = 0; copy < 2; copy++) { // built twice, as after a crash: two record objects
        var keyed = new ProducerRecord<>("payments-made", "order-17", "paid");
        OriginHeaders.stampFromKey(keyed.headers(), "order-17/paid", Clock.systemUTC());
        producer.send(keyed).get();
        producer.send(new ProducerRecord<>("payments-made", "order-18", "paid")).get();
      }
    }
    List<ConsumerRecord<byte[], byte[]>> read =
        broker.readAll("payments-made", 4, Duration.ofSeconds(60));

    assertThat(ids(read, "order-17")).hasSize(2).containsOnly(ids(read, "order-17").get(0));
    assertThat(ids(read, "order-18")).hasSize(2).doesNotHaveDuplicates();

    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute("CREATE TABLE applied (order_id VARCHAR(50))"));
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder().group("payments").autoCreateSchema(true).build(), jdbi);
    RecordHandler<byte[], byte[]> handler =
        IdempotentHandler.<byte[], byte[]>builder(jdbi, store)
            .transactional(
                (handle, record) ->
                    handle.execute(
                        "INSERT INTO applied (order_id) VALUES (?)",
                        new String(record.key(), StandardCharsets.UTF_8)));
    for (ConsumerRecord<byte[], byte[]> record : read) {
      handler.handle(record);
    }
    List<String> applied =
        jdbi.withHandle(h -> h.select("SELECT order_id FROM applied").mapTo(String.class).list());
    assertThat(applied).containsExactlyInAnyOrder("order-17", "order-18", "order-18");
  }

  private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records, String key) {
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
        ids.add(MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID).orElse(""));
      }
    }
    return ids;
  }
}
