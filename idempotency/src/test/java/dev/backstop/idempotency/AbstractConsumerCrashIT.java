package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A consumer dies after its transaction committed and before its offset commit; run on each
 * database by {@link PostgresConsumerCrashIT} and {@link MariadbConsumerCrashIT}.
 */
abstract class AbstractConsumerCrashIT {

  @Test
  void theRedeliveryAfterACrashBeforeTheOffsetCommitIsRecognisedAsADuplicate(
      KafkaBroker broker, TestDatabase db) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(MessageId.generate().toString());
    }
    produce(broker, "payments-in", ids);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute("CREATE TABLE payments (order_id VARCHAR(50) NOT NULL)"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IdempotencyStore store =
        IdempotencyStore.builder(
                IdempotencyConfig.builder().group("payments").autoCreateSchema(true).build(), jdbi)
            .metrics(IdempotencyMetrics.micrometer(registry))
            .build();
    AtomicInteger runs = new AtomicInteger();
    RecordHandler<byte[], byte[]> handler =
        IdempotentHandler.<byte[], byte[]>builder(jdbi, store)
            .transactional(
                (handle, record) -> {
                  runs.incrementAndGet();
                  handle.execute(
                      "INSERT INTO payments (order_id) VALUES (?)",
                      new String(record.key(), StandardCharsets.UTF_8));
                });

    // the first consumer applies every record, then dies before committing its offsets
    try (var first = new KafkaConsumer<byte[], byte[]>(broker.consumerConfig("payments"))) {
      first.subscribe(Set.of("payments-in"));
      assertThat(pollAndHandle(first, handler, 5)).hasSize(5);
    }
    assertThat(runs).hasValue(5);

    // the group's next consumer gets the same records again from the last committed offset
    try (var second = new KafkaConsumer<byte[], byte[]>(broker.consumerConfig("payments"))) {
      second.subscribe(Set.of("payments-in"));
      List<ConsumerRecord<byte[], byte[]>> redelivered = pollAndHandle(second, handler, 5);
      assertThat(redelivered)
          .extracting(r -> new String(r.headers().lastHeader("backstop.message-id").value()))
          .containsExactlyElementsOf(ids);
      second.commitSync();
    }

    assertThat(runs).hasValue(5);
    long payments =
        jdbi.withHandle(h -> h.select("SELECT count(*) FROM payments").mapTo(Long.class).one());
    assertThat(payments).isEqualTo(5);
    assertThat(registry.counter("backstop.idempotency.claimed", "group", "payments").count())
        .isEqualTo(5);
    assertThat(registry.counter("backstop.idempotency.duplicates", "group", "payments").count())
        .isEqualTo(5);
  }

  @Test
  void aBatchRedeliveredAfterACrashIsSkippedAsAWholeWithItsInnerDuplicates(
      KafkaBroker broker, TestDatabase db) throws Exception {
    String repeated = MessageId.generate().toString();
    List<String> ids =
        List.of(
            MessageId.generate().toString(),
            repeated,
            MessageId.generate().toString(),
            repeated, // a producer retry: the same message twice in the log
            MessageId.generate().toString());
    produce(broker, "ledger-in", ids);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute("CREATE TABLE ledger (message_id VARCHAR(50) NOT NULL)"));
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder().group("ledger").autoCreateSchema(true).build(), jdbi);
    IdempotentBatchHandler<byte[], byte[]> batch =
        IdempotentHandler.<byte[], byte[]>builder(jdbi, store)
            .batch(
                (handle, record) ->
                    handle.execute(
                        "INSERT INTO ledger (message_id) VALUES (?)",
                        new String(record.headers().lastHeader("backstop.message-id").value())));

    List<ClaimOutcome> first = new ArrayList<>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(broker.consumerConfig("ledger"))) {
      consumer.subscribe(Set.of("ledger-in"));
      pollBatches(consumer, batch, first, 5);
    } // dies before committing its offsets
    List<ClaimOutcome> second = new ArrayList<>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(broker.consumerConfig("ledger"))) {
      consumer.subscribe(Set.of("ledger-in"));
      pollBatches(consumer, batch, second, 5);
      consumer.commitSync();
    }

    assertThat(first).filteredOn(o -> o == ClaimOutcome.CLAIMED).hasSize(4);
    assertThat(first).filteredOn(o -> o != ClaimOutcome.CLAIMED).hasSize(1);
    assertThat(second).allMatch(o -> !o.shouldProcess());
    long rows =
        jdbi.withHandle(h -> h.select("SELECT count(*) FROM ledger").mapTo(Long.class).one());
    assertThat(rows).isEqualTo(4);
  }

  private static void produce(KafkaBroker broker, String topic, List<String> ids) throws Exception {
    broker.createTopic(topic, 1);
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int i = 0; i < ids.size(); i++) {
        var record =
            new ProducerRecord<byte[], byte[]>(
                topic, ("order-" + i).getBytes(StandardCharsets.UTF_8), new byte[0]);
        record.headers().add("backstop.message-id", ids.get(i).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
      }
    }
  }

  /** A plain poll loop handing each polled batch to the batch handler. */
  private static void pollBatches(
      KafkaConsumer<byte[], byte[]> consumer,
      IdempotentBatchHandler<byte[], byte[]> batch,
      List<ClaimOutcome> outcomes,
      int expected) {
    pollUntil(consumer, expected, polled -> outcomes.addAll(batch.handle(polled).outcomes()));
  }

  /** A plain poll loop: handle each record, in order, until {@code expected} records came. */
  private static List<ConsumerRecord<byte[], byte[]>> pollAndHandle(
      KafkaConsumer<byte[], byte[]> consumer, RecordHandler<byte[], byte[]> handler, int expected) {
    List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
    pollUntil(
        consumer,
        expected,
        polled -> {
          for (ConsumerRecord<byte[], byte[]> record : polled) {
            handler.handle(record);
            seen.add(record);
          }
        });
    return seen;
  }

  /** Polls, passing each poll on, until {@code expected} records came or a minute passed. */
  private static void pollUntil(
      KafkaConsumer<byte[], byte[]> consumer, int expected, PollStep step) {
    AtomicInteger count = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
              step.accept(polled);
              return count.addAndGet(polled.count()) >= expected;
            });
  }

  @FunctionalInterface
  private interface PollStep {
    void accept(ConsumerRecords<byte[], byte[]> polled) throws Exception;
  }
}
