package dev.backstop.benchmarks.outbox;

import static dev.backstop.benchmarks.outbox.OutboxBench.config;
import static dev.backstop.benchmarks.outbox.OutboxBench.print;
import static dev.backstop.benchmarks.outbox.OutboxBench.seconds;

import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What lanes cost concurrent writers: eight threads, the business row alone, with an outbox message
 * of a distinct key per transaction, and with one key for all. On the test kit's in-JVM broker and
 * the resolved database.
 *
 * <p>Arguments: {@code [transactions] [database]} (defaults 3000 postgresql; the database is {@code
 * postgresql} or {@code mariadb}).
 */
public final class LaneContentionBenchmark {

  private LaneContentionBenchmark() {}

  public static void main(String[] args) throws Exception {
    OutboxBench.run(args, 1, (broker, db, a) -> laneContention(broker, db, a.number(0, 3_000)));
  }

  private static void laneContention(KafkaBroker broker, TestDatabase db, int transactions)
      throws Exception {
    String topic = "contention";
    OutboxBench.prepareWriters(broker, db, topic);
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
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger counter = new AtomicInteger();
    byte[] value = new byte[200];
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
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
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    return transactions / seconds(start);
  }
}
