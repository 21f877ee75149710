package dev.backstop.benchmarks.outbox;

import static dev.backstop.benchmarks.outbox.OutboxBench.PARTITIONS;
import static dev.backstop.benchmarks.outbox.OutboxBench.awaitEmpty;
import static dev.backstop.benchmarks.outbox.OutboxBench.config;
import static dev.backstop.benchmarks.outbox.OutboxBench.dropTables;
import static dev.backstop.benchmarks.outbox.OutboxBench.print;
import static dev.backstop.benchmarks.outbox.OutboxBench.seconds;
import static dev.backstop.benchmarks.outbox.OutboxBench.utf8;

import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Relay drain of a committed backlog beside a plain {@code KafkaProducer} sending the same records
 * (same settings) to the same broker, on the test kit's in-JVM broker and the resolved database.
 *
 * <p>Arguments: {@code [backlogRows] [valueSizes] [batchSize] [database]} (defaults 200000 100,1024
 * 2000 postgresql; the database is {@code postgresql} or {@code mariadb}).
 */
public final class DrainBenchmark {

  private DrainBenchmark() {}

  public static void main(String[] args) throws Exception {
    OutboxBench.run(
        args,
        3,
        (broker, db, a) -> {
          int rows = a.number(0, 200_000);
          int batchSize = a.number(2, 2000);
          for (String size : a.text(1, "100,1024").split(",")) {
            drain(broker, db, rows, Integer.parseInt(size), batchSize);
          }
        });
  }

  private static void drain(KafkaBroker broker, TestDatabase db, int rows, int size, int batchSize)
      throws Exception {
    String prefix = "drain" + size + "_";
    String relayTopic = "drain-relay-" + size;
    String plainTopic = "drain-plain-" + size;
    broker.createTopic(relayTopic, PARTITIONS);
    broker.createTopic(plainTopic, PARTITIONS);
    OutboxConfig config = config(broker, prefix).batchSize(batchSize).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      byte[] value = new byte[size];
      ThreadLocalRandom.current().nextBytes(value);
      long fillStart = System.nanoTime();
      fill(outbox, db.dataSource(), relayTopic, rows, value);
      double fillSeconds = seconds(fillStart);

      double plain = plainProducer(broker, plainTopic, rows, value);

      long start = System.nanoTime();
      OutboxRelay relay = outbox.startRelay();
      awaitEmpty(db.dataSource(), prefix);
      double relaySeconds = seconds(start);
      relay.close();
      dropTables(db.dataSource(), prefix);
      double relayRate = rows / relaySeconds;
      print(
          String.format(
              "drain %d B: %d rows, batch-size %d; relay %.0f msg/s (%.1f s), plain KafkaProducer %.0f msg/s,"
                  + " ratio %.2f; backlog written in %.1f s (%.0f rows/s, 1000 per transaction)",
              size,
              rows,
              batchSize,
              relayRate,
              relaySeconds,
              plain,
              relayRate / plain,
              fillSeconds,
              rows / fillSeconds));
    }
  }

  private static void fill(
      Outbox outbox, DataSource dataSource, String topic, int rows, byte[] value)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      for (int i = 0; i < rows; i++) {
        outbox.send(connection, OutboxMessage.of(topic, "key-" + (i % 1000), value));
        if (i % 1000 == 999) {
          connection.commit();
        }
      }
      connection.commit();
    }
  }

  private static double plainProducer(KafkaBroker broker, String topic, int rows, byte[] value) {
    Map<String, Object> settings = broker.producerConfig();
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      for (int i = 0; i < rows; i++) {
        List<Header> headers =
            List.of(
                new RecordHeader("backstop.message-id", utf8(UUID.randomUUID().toString())),
                new RecordHeader(
                    "backstop.created-at", utf8(Long.toString(System.currentTimeMillis()))));
        producer.send(
            new ProducerRecord<>(topic, null, null, utf8("key-" + (i % 1000)), value, headers));
      }
      producer.flush();
    }
    return rows / seconds(start);
  }
}
