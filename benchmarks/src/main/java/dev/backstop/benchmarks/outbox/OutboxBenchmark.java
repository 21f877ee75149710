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
 * [drainBatchSize] [database]} (defaults 200000 20 3000 drain,latency,writer,lanes 100,1024 2000
 * postgresql; the database is {@code postgresql} or {@code mariadb}).
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
    TestDatabase.Kind kind =
        TestDatabase.Kind.valueOf(
            (args.length > 6 ? args[6] : "postgresql").toUpperCase(java.util.Locale.ROOT));
    try (KafkaBroker broker = KafkaBroker.start();
        TestDatabase db = TestDatabase.create(kind, "bench")) {
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

  /** Latency rounds: the outbox and the plain producer take turns, so both see the same machine. */
  private static final int ROUNDS = 4;

  /** Seconds sent before the first round's timing starts, so JIT compilation is not measured. */
  private static final int WARM_UP_SECONDS = 5;

  /** Seconds sent untimed at the start of every later segment (a new topic's metadata). */
  private static final int SEGMENT_WARM_UP_SECONDS = 1;

  /** A commit time that marks a warm-up message: received, not timed. */
  private static final long WARM_UP = -1L;

  /** Commit (or send) to producer ack, and to consumer received. */
  private record Timings(Histogram acks, Histogram received) {
    Timings() {
      this(new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3));
    }
  }

  private static void latency(KafkaBroker broker, TestDatabase db, int seconds, int rate)
      throws Exception {
    OutboxConfig config =
        config(broker, "lat_")
            .kafka(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName())
            .build();
    Map<String, Object> settings = broker.producerConfig();
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName());
    byte[] value = new byte[100];
    Timings outboxTimings = new Timings();
    Timings plainTimings = new Timings();
    int segment = Math.max(1, seconds / ROUNDS);
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Connection connection = db.dataSource().getConnection();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      outbox.startRelay();
      connection.setAutoCommit(false);
      for (int round = 0; round < ROUNDS; round++) {
        int warmUp = round == 0 ? WARM_UP_SECONDS : SEGMENT_WARM_UP_SECONDS;
        String topic = "latency-" + round;
        paced(
            broker,
            topic,
            warmUp,
            segment,
            rate,
            outboxTimings,
            i -> {
              String id =
                  outbox
                      .send(connection, OutboxMessage.of(topic, "k" + (i % 100), value))
                      .toString();
              connection.commit();
              outbox.wakeUp();
              return id;
            });
        String plainTopic = "latency-plain-" + round;
        paced(
            broker,
            plainTopic,
            warmUp,
            segment,
            rate,
            plainTimings,
            i -> {
              String id = dev.backstop.core.MessageId.generate().toString();
              producer.send(
                  new ProducerRecord<>(
                      plainTopic,
                      null,
                      null,
                      utf8("k" + (i % 100)),
                      value,
                      List.of(new RecordHeader("backstop.message-id", utf8(id)))));
              return id;
            });
      }
    }
    String outboxLabel = "outbox, one message per transaction, commit";
    String plainLabel = "baseline, plain KafkaProducer (linger.ms=2), send";
    printLatency(rate, outboxLabel, "broker ack at the producer", outboxTimings.acks());
    printLatency(rate, outboxLabel, "consumer received", outboxTimings.received());
    printLatency(rate, plainLabel, "broker ack at the producer", plainTimings.acks());
    printLatency(rate, plainLabel, "consumer received", plainTimings.received());
  }

  /**
   * Sends at {@code rate} for {@code warmUpSeconds} untimed, then for {@code seconds}; a consumer
   * times each message from its send to its ack at the producer and to its arrival at the consumer,
   * into {@code timings}.
   */
  private static void paced(
      KafkaBroker broker,
      String topic,
      int warmUpSeconds,
      int seconds,
      int rate,
      Timings timings,
      Sender sender)
      throws Exception {
    broker.createTopic(topic, PARTITIONS);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicBoolean consuming = new AtomicBoolean(true);
    int total = seconds * rate;
    int warmUp = warmUpSeconds * rate;
    long timedBefore = timings.received().getTotalCount();
    Thread consumer =
        new Thread(
            () ->
                consume(
                    broker,
                    topic,
                    sentAt,
                    timings.acks(),
                    timings.received(),
                    consuming,
                    timedBefore + total));
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
  }

  private static void printLatency(int rate, String label, String until, Histogram histogram) {
    print(
        String.format(
            "latency at %d msg/s, %d rounds, %s -> %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + " (timed %d)",
            rate,
            ROUNDS,
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
      long total) {
    Map<String, Object> settings = broker.consumerConfig("latency");
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
    // the relay publishes in transactions: a consumer sees a record once its transaction committed
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
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
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS bench_order (id BIGINT "
                + (db.kind() == TestDatabase.Kind.MARIADB
                    ? "AUTO_INCREMENT"
                    : "GENERATED BY DEFAULT AS IDENTITY")
                + " PRIMARY KEY, customer VARCHAR(100), total DECIMAL(12,2))");
        boolean maria = db.kind() == TestDatabase.Kind.MARIADB;
        statement.execute(
            "CREATE TABLE IF NOT EXISTS bench_event (id BIGINT "
                + (maria ? "AUTO_INCREMENT" : "GENERATED BY DEFAULT AS IDENTITY")
                + " PRIMARY KEY, topic VARCHAR(249) NOT NULL, msg_key "
                + (maria ? "BLOB" : "BYTEA")
                + ", msg_value "
                + (maria ? "LONGBLOB" : "BYTEA")
                + ", headers "
                + (maria ? "MEDIUMBLOB" : "BYTEA")
                + ", created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
      }
      connection.setAutoCommit(false);
      byte[] value = new byte[200];
      // untimed, so every path is compiled before it is measured
      for (Extra extra : Extra.values()) {
        rate(connection, transactions / 4, extra, outbox, topic, value);
      }
      writerRounds(connection, transactions, outbox, topic, value, "relay stopped");
      outbox.startRelay();
      writerRounds(connection, transactions, outbox, topic, value, "relay publishing meanwhile");
    }
  }

  /**
   * Four rounds of each kind of transaction, interleaved; prints the rates over all rounds and the
   * outbox's cost factor against the business row alone and against a plain second row.
   */
  private static void writerRounds(
      Connection connection,
      int transactions,
      Outbox outbox,
      String topic,
      byte[] value,
      String condition)
      throws SQLException {
    Map<Extra, Double> seconds = new java.util.EnumMap<>(Extra.class);
    int perRound = transactions / 4;
    for (int round = 0; round < 4; round++) {
      for (Extra extra : Extra.values()) {
        seconds.merge(
            extra, perRound / rate(connection, perRound, extra, outbox, topic, value), Double::sum);
      }
    }
    print(
        String.format(
            "writer, one thread, %d transactions each, %s: business row only %.0f tx/s;"
                + " + a plain row of the same size %.0f tx/s (factor %.2f);"
                + " + outbox message %.0f tx/s, cost factor %.2f (%.2f against the plain row)",
            transactions,
            condition,
            transactions / seconds.get(Extra.NONE),
            transactions / seconds.get(Extra.PLAIN_ROW),
            seconds.get(Extra.PLAIN_ROW) / seconds.get(Extra.NONE),
            transactions / seconds.get(Extra.OUTBOX),
            seconds.get(Extra.OUTBOX) / seconds.get(Extra.NONE),
            seconds.get(Extra.OUTBOX) / seconds.get(Extra.PLAIN_ROW)));
  }

  private enum Extra {
    /** Nothing: the baseline. */
    NONE,
    /**
     * A plain second row of the outbox row's size: what any in-transaction outbox pays at least.
     */
    PLAIN_ROW,
    /** An outbox message. */
    OUTBOX
  }

  private static double rate(
      Connection connection, int count, Extra extra, Outbox outbox, String topic, byte[] value)
      throws SQLException {
    byte[] headers = new byte[120];
    long start = System.nanoTime();
    try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO bench_order (customer, total) VALUES (?, ?)");
        PreparedStatement event =
            connection.prepareStatement(
                "INSERT INTO bench_event (topic, msg_key, msg_value, headers) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "customer-" + i);
        insert.setBigDecimal(2, java.math.BigDecimal.valueOf(i, 2));
        insert.executeUpdate();
        if (extra == Extra.OUTBOX) {
          outbox.send(connection, OutboxMessage.of(topic, "customer-" + i, value));
        } else if (extra == Extra.PLAIN_ROW) {
          event.setString(1, topic);
          event.setBytes(2, utf8("customer-" + i));
          event.setBytes(3, value);
          event.setBytes(4, headers);
          event.executeUpdate();
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

  /**
   * Drops a drained outbox's tables, so vacuuming the deleted rows does not load the database
   * during the measurements that follow.
   */
  private static void dropTables(DataSource dataSource, String prefix) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : List.of("", "_parked", "_lease", "_lane", "_relay", "_schema")) {
        statement.execute("DROP TABLE IF EXISTS " + prefix + "outbox" + table);
      }
    }
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
