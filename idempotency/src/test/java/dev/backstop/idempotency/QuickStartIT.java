package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The quick start of docs/idempotency.md, as it is printed there. */
@BackstopKafka
@BackstopDatabase
class QuickStartIT {

  @Test
  void aMessageDeliveredTwiceIsAppliedOnce(KafkaBroker broker, TestDatabase db) throws Exception {
    broker.createTopic("orders", 1);
    String id = MessageId.generate().toString();
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int copy = 0; copy < 2; copy++) { // the same message, sent twice
        var record = new ProducerRecord<>("orders", "order-1".getBytes(), "paid".getBytes());
        record.headers().add("backstop.message-id", id.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
      }
    }
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute("CREATE TABLE payments (order_id VARCHAR(50))"));
    Map<String, Object> consumerConfig = broker.consumerConfig("payments");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    AtomicInteger seen = new AtomicInteger();

    // quick start
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder().group("payments").autoCreateSchema(true).build(), jdbi);
    RecordHandler<String, String> handler =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .transactional(
                (handle, record) ->
                    handle.execute("INSERT INTO payments (order_id) VALUES (?)", record.key()));
    try (RetentionSweeper sweeper = store.sweeper();
        var consumer = new KafkaConsumer<String, String>(consumerConfig)) {
      sweeper.start(); // deletes ids older than the retention, one instance at a time
      consumer.subscribe(Set.of("orders"));
      await()
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  handler.handle(record); // claim + handler + commit; a duplicate is skipped
                  seen.incrementAndGet();
                }
                consumer.commitSync(); // only after the records' transactions committed
                return seen.get() == 2;
              });
    }
    // end of quick start

    long payments =
        jdbi.withHandle(h -> h.select("SELECT count(*) FROM payments").mapTo(Long.class).one());
    assertThat(payments).isEqualTo(1);
  }
}
