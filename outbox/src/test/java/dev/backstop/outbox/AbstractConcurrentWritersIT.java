package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1: concurrent writers commit and roll back, with random delays between the outbox
 * write and the commit, while the relay runs.
 *
 * <p>Run on every database: subclasses pick theirs with {@code @BackstopDatabase}.
 */
abstract class AbstractConcurrentWritersIT {

  private static final int THREADS = 16;
  private static final int TRANSACTIONS_PER_THREAD = 40;
  private static final int KEYS = 24;

  /** Rolled back on purpose. */
  static final class Rollback extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void publishesExactlyTheCommittedMessagesInCommitOrderPerKey(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "concurrent-orders";
    broker.createTopic(topic, 4);
    TestDialect dialect = TestDialect.of(db);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE account (k VARCHAR(20) PRIMARY KEY, n INTEGER NOT NULL)");
          for (int i = 0; i < KEYS; i++) {
            h.execute("INSERT INTO account (k, n) VALUES (?, 0)", "k" + i);
          }
        });
    // message id -> (key, n): n is the key's commit number, taken from a row lock of the business
    // table AFTER the outbox write, so it reflects commit order independently of the outbox.
    Map<String, String> committed = new ConcurrentHashMap<>();
    Set<String> rolledBack = ConcurrentHashMap.newKeySet();
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "cw_").build(), db.dataSource())) {
      outbox.startRelay();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        writers.add(
            pool.submit(
                () -> writeTransactions(jdbi, dialect, outbox, topic, committed, rolledBack)));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      pool.shutdown();
      Fixture.awaitDrained(db, "cw_");
    }
    List<ConsumerRecord<byte[], byte[]>> records =
        broker.readCommittedToEnd(topic, Duration.ofSeconds(30));

    List<String> publishedIds = records.stream().map(Fixture::id).toList();
    assertThat(publishedIds).doesNotHaveDuplicates();
    assertThat(Set.copyOf(publishedIds)).isEqualTo(committed.keySet());
    assertThat(publishedIds).doesNotContainAnyElementsOf(rolledBack);
    assertThat(rolledBack).isNotEmpty();

    Map<String, List<Integer>> commitNumbersByKey =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    Fixture::key,
                    Collectors.mapping(
                        r -> Integer.parseInt(committed.get(Fixture.id(r)).split(":")[1]),
                        Collectors.toList())));
    commitNumbersByKey.forEach(
        (key, numbers) ->
            assertThat(numbers)
                .as("commit numbers of key %s in publication order", key)
                .isEqualTo(IntStream.rangeClosed(1, numbers.size()).boxed().toList()));
  }

  @Test
  void sendAllWithKeylessMessagesDoesNotDeadlockAgainstItself(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "send-all-mixed";
    broker.createTopic(topic, 4);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    // keyed messages on every lane plus key-less ones, which land on lanes drawn from their ids:
    // if the key-less ones were locked out of lane order, two such transactions would deadlock
    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      messages.add(OutboxMessage.of(topic, "k" + i, Fixture.utf8("keyed-" + i)));
      if (i % 8 == 0) {
        messages.add(OutboxMessage.of(topic, (byte[]) null, Fixture.utf8("keyless-" + i)));
      }
    }
    List<OutboxMessage> reversed = new ArrayList<>(messages);
    java.util.Collections.reverse(reversed);
    Set<String> ids = ConcurrentHashMap.newKeySet();
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "sa_").build(), db.dataSource())) {
      outbox.startRelay();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> writers = new ArrayList<>();
      for (List<OutboxMessage> batch : List.of(messages, reversed)) {
        writers.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 60; round++) {
                    jdbi.useTransaction(
                        h -> outbox.sendAll(h, batch).forEach(id -> ids.add(id.toString())));
                  }
                }));
      }
      pool.shutdown();
      org.awaitility.Awaitility.await("both writers done")
          .atMost(Duration.ofSeconds(90))
          .until(() -> writers.stream().allMatch(Future::isDone));
      for (Future<?> writer : writers) {
        writer.get(); // a deadlock surfaces here as the database's error
      }
      Fixture.awaitDrained(db, "sa_");
    }
    assertThat(ids).hasSize(2 * 60 * messages.size());
    assertThat(Fixture.publishedIds(broker, topic)).isEqualTo(ids);
  }

  private static void writeTransactions(
      Jdbi jdbi,
      TestDialect dialect,
      Outbox outbox,
      String topic,
      Map<String, String> committed,
      Set<String> rolledBack) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < TRANSACTIONS_PER_THREAD; i++) {
      String key = "k" + random.nextInt(KEYS);
      boolean rollback = random.nextInt(4) == 0;
      double delaySeconds = random.nextInt(8) / 1000.0;
      String[] written = new String[2];
      try {
        jdbi.useTransaction(
            h -> {
              written[0] =
                  outbox
                      .send(h, OutboxMessage.of(topic, key, Fixture.utf8("payload-" + key)))
                      .toString();
              // business work that takes a while between the outbox write and the commit
              dialect.sleep(h, delaySeconds);
              int n = dialect.increment(h, "account", key);
              written[1] = key + ":" + n;
              if (rollback) {
                throw new Rollback();
              }
            });
        committed.put(written[0], written[1]);
      } catch (Rollback expected) {
        rolledBack.add(written[0]);
      }
    }
  }
}
