package dev.backstop.benchmarks.outbox;

import dev.backstop.core.MessageHeaders;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Outbox measurements, each against a baseline in the same run, on the test kit's in-JVM broker and
 * the resolved PostgreSQL:
 *
 * <ol>
 *   <li>relay drain of a committed backlog beside a plain {@code KafkaProducer} sending the same
 *       records (same settings) to the same broker;
 *   <li>latency at a fixed rate, one message per transaction: commit to broker ack (at the relay's
 *       producer, through {@link AckTimes}) and commit to consumer received;
 *   <li>writer overhead: a one-row business transaction with and without an outbox message.
 * </ol>
 *
 * Arguments: {@code [backlogRows] [latencySeconds] [writerTransactions] [parts] [drainValueSizes]
 * [drainBatchSize]} (defaults 200000 20 3000 drain,latency,writer,lanes 100,1024 2000).
 */
public final class OutboxBenchmark {

  private static final int PARTITIONS = 6;

  private OutboxBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int latencySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int writerTransactions = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
    List<String> parts =
        List.of((args.length > 3 ? args[3] : "drain,latency,writer,lanes").split(","));
    String[] sizes = (args.length > 4 ? args[4] : "100,1024").split(",");
    int batchSize = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
    try (KafkaBroker broker = KafkaBroker.start();
        TestDatabase db = TestDatabase.postgres()) {
      print("database: " + db.source() + ", cores: " + Runtime.getRuntime().availableProcessors());
      if (parts.contains("drain")) {
        for (String size : sizes) {
          drain(broker, db, rows, Integer.parseInt(size), batchSize);
        }
      }
      if (parts.contains("latency")) {
        latency(broker, db, latencySeconds, 500);
      }
      if (parts.contains("writer")) {
        writerOverhead(broker, db, writerTransactions);
      }
      if (parts.contains("lanes")) {
        laneContention(broker, db, writerTransactions);
      }
    }
    System.exit(0);
  }

  // ---- 1. relay drain vs plain producer ----

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
                new RecordHeader(
                    "backstop.message-id", utf8(java.util.UUID.randomUUID().toString())),
                new RecordHeader(
                    "backstop.created-at", utf8(Long.toString(System.currentTimeMillis()))));
        producer.send(
            new ProducerRecord<>(topic, null, null, utf8("key-" + (i % 1000)), value, headers));
      }
      producer.flush();
    }
    return rows / seconds(start);
  }

  // ---- 2. latency at a fixed rate ----

  /** One message at a fixed rate; returns the id of the message sent. */
  private interface Sender {
    String send(int index) throws Exception;
  }

  private static void latency(KafkaBroker broker, TestDatabase db, int seconds, int rate)
      throws Exception {
    OutboxConfig config =
        config(broker, "lat_")
            .kafka(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName())
            .build();
    byte[] value = new byte[100];
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Connection connection = db.dataSource().getConnection()) {
      outbox.startRelay();
      connection.setAutoCommit(false);
      paced(
          broker,
          "latency",
          seconds,
          rate,
          "outbox, one message per transaction, commit",
          i -> {
            String id =
                outbox
                    .send(connection, OutboxMessage.of("latency", "k" + (i % 100), value))
                    .toString();
            connection.commit();
            outbox.wakeUp();
            return id;
          });
    }
    Map<String, Object> settings = broker.producerConfig();
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      paced(
          broker,
          "latency-plain",
          seconds,
          rate,
          "baseline, plain KafkaProducer (linger.ms=2), send",
          i -> {
            String id = dev.backstop.core.MessageId.generate().toString();
            producer.send(
                new ProducerRecord<>(
                    "latency-plain",
                    null,
                    null,
                    utf8("k" + (i % 100)),
                    value,
                    List.of(new RecordHeader("backstop.message-id", utf8(id)))));
            return id;
          });
    }
  }

  /** Seconds sent at the same rate before timing starts, so JIT compilation is not measured. */
  private static final int WARM_UP_SECONDS = 5;

  /** A commit time that marks a warm-up message: received, not timed. */
  private static final long WARM_UP = -1L;

  /**
   * Sends at {@code rate} for {@link #WARM_UP_SECONDS} untimed, then for {@code seconds}; a
   * consumer times each message from its send to its ack at the producer and to its arrival at the
   * consumer.
   */
  private static void paced(
      KafkaBroker broker, String topic, int seconds, int rate, String label, Sender sender)
      throws Exception {
    broker.createTopic(topic, PARTITIONS);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Histogram histogram = new Histogram(60_000_000_000L, 3);
    Histogram acks = new Histogram(60_000_000_000L, 3);
    AtomicBoolean consuming = new AtomicBoolean(true);
    int total = seconds * rate;
    int warmUp = WARM_UP_SECONDS * rate;
    Thread consumer =
        new Thread(() -> consume(broker, topic, sentAt, acks, histogram, consuming, total));
    consumer.start();
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < warmUp + total; i++) {
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String id = sender.send(i);
      sentAt.put(id, i < warmUp ? WARM_UP : System.nanoTime());
    }
    consumer.join(60_000);
    consuming.set(false);
    printLatency(rate, total, label, "broker ack at the producer", acks);
    printLatency(rate, total, label, "consumer received", histogram);
  }

  private static void printLatency(
      int rate, int total, String label, String until, Histogram histogram) {
    print(
        String.format(
            "latency at %d msg/s, %d messages, %s -> %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + " (timed %d)",
            rate,
            total,
            label,
            until,
            histogram.getValueAtPercentile(50) / 1e6,
            histogram.getValueAtPercentile(99) / 1e6,
            histogram.getMaxValue() / 1e6,
            histogram.getTotalCount()));
  }

  private static void consume(
      KafkaBroker broker,
      String topic,
      Map<String, Long> committedAt,
      Histogram acks,
      Histogram histogram,
      AtomicBoolean consuming,
      int total) {
    Map<String, Object> settings = broker.consumerConfig("latency");
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (consuming.get() && histogram.getTotalCount() < total) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          String id = MessageHeaders.messageId(record.headers()).value().toString();
          Long committed = committedAt.get(id);
          while (committed == null) {
            // the record can arrive before the writer thread stored its commit time
            Thread.onSpinWait();
            committed = committedAt.get(id);
          }
          if (committed == WARM_UP) {
            continue;
          }
          histogram.recordValue(Math.max(0, now - committed));
          Long acked = AckTimes.ackedAt(topic, record.partition(), record.offset());
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (acked == null && System.nanoTime() < deadline) {
            // a record can be fetched before its producer got the broker's response
            Thread.onSpinWait();
            acked = AckTimes.ackedAt(topic, record.partition(), record.offset());
          }
          if (acked != null) {
            acks.recordValue(Math.max(0, acked - committed));
          }
        }
      }
    }
  }

  // ---- 3. writer overhead ----

  private static void writerOverhead(KafkaBroker broker, TestDatabase db, int transactions)
      throws Exception {
    String topic = "writer";
    broker.createTopic(topic, PARTITIONS);
    OutboxConfig config = config(broker, "wr_").build();
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Connection connection = db.dataSource().getConnection()) {
      outbox.startRelay();
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS bench_order (id BIGSERIAL PRIMARY KEY, customer TEXT,"
                + " total NUMERIC(12,2))");
      }
      connection.setAutoCommit(false);
      byte[] value = new byte[200];
      double without = 0;
      double with = 0;
      for (int round = 0; round < 4; round++) {
        without += rate(connection, transactions / 4, null, outbox, topic, value);
        with += rate(connection, transactions / 4, "yes", outbox, topic, value);
      }
      without /= 4;
      with /= 4;
      print(
          String.format(
              "writer, one thread, %d transactions each: business row only %.0f tx/s, business"
                  + " row + outbox message %.0f tx/s, cost factor %.2f",
              transactions, without, with, without / with));
    }
  }

  private static double rate(
      Connection connection, int count, String outboxToo, Outbox outbox, String topic, byte[] value)
      throws SQLException {
    long start = System.nanoTime();
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO bench_order (customer, total) VALUES (?, ?)")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "customer-" + i);
        insert.setBigDecimal(2, java.math.BigDecimal.valueOf(i, 2));
        insert.executeUpdate();
        if (outboxToo != null) {
          outbox.send(connection, OutboxMessage.of(topic, "customer-" + i, value));
        }
        connection.commit();
      }
    }
    return count / seconds(start);
  }

  // ---- 4. what lanes cost concurrent writers ----

  private static void laneContention(KafkaBroker broker, TestDatabase db, int transactions)
      throws Exception {
    String topic = "contention";
    broker.createTopic(topic, PARTITIONS);
    int threads = 8;
    OutboxConfig config = config(broker, "ct_").build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      outbox.startRelay();
      double none = concurrent(db, outbox, topic, threads, transactions, -1);
      double spread = concurrent(db, outbox, topic, threads, transactions, 0);
      double oneKey = concurrent(db, outbox, topic, threads, transactions, 1);
      print(
          String.format(
              "writers, %d threads, %d transactions in all: business row only %.0f tx/s; + outbox"
                  + " message, distinct keys (64 lanes) %.0f tx/s (factor %.2f); + outbox message,"
                  + " all one key (one lane) %.0f tx/s (factor %.2f)",
              threads, transactions, none, spread, none / spread, oneKey, none / oneKey));
    }
  }

  /** keyMode: -1 no outbox message, 0 a distinct key per transaction, 1 one key for all. */
  private static double concurrent(
      TestDatabase db, Outbox outbox, String topic, int threads, int transactions, int keyMode)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger counter =
        new java.util.concurrent.atomic.AtomicInteger();
    byte[] value = new byte[200];
    long start = System.nanoTime();
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                try (Connection connection = db.dataSource().getConnection();
                    PreparedStatement insert =
                        connection.prepareStatement(
                            "INSERT INTO bench_order (customer, total) VALUES (?, 1)")) {
                  connection.setAutoCommit(false);
                  int i;
                  while ((i = counter.getAndIncrement()) < transactions) {
                    insert.setString(1, "c" + i);
                    insert.executeUpdate();
                    if (keyMode >= 0) {
                      String key = keyMode == 1 ? "hot" : "c" + i;
                      outbox.send(connection, OutboxMessage.of(topic, key, value));
                    }
                    connection.commit();
                  }
                }
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    return transactions / seconds(start);
  }

  // ---- helpers ----

  private static OutboxConfig.Builder config(KafkaBroker broker, String prefix) {
    return OutboxConfig.builder()
        .tablePrefix(prefix)
        .autoCreateSchema(true)
        .kafka(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  private static void awaitEmpty(DataSource dataSource, String prefix) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + prefix + "outbox)")) {
      while (true) {
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          if (!result.getBoolean(1)) {
            return;
          }
        }
        LockSupport.parkNanos(5_000_000);
      }
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void print(String line) {
    System.out.println(line);
  }
}
