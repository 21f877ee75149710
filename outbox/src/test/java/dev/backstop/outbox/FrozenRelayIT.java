package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Two relays in processes of their own share the lanes while a writer commits; one whole process at
 * a time is frozen ({@code SIGSTOP}) until the other took every lane (its lease ran out), then
 * thawed ({@code SIGCONT}), several times. The frozen relay wakes with records and an open
 * transaction of lanes it no longer owns; the new owner fenced its transactional id first, so a
 * read_committed consumer never sees an older value of a key after a newer one.
 */
@BackstopKafka
@BackstopDatabase(kind = TestDatabase.Kind.POSTGRESQL)
class FrozenRelayIT {

  static final Duration LEASE = Duration.ofSeconds(2);
  private static final int FREEZES = 6;
  private static final int KEYS = 25;
  private static final int WRITERS = 3;
  private static final String PREFIX = "fz_";

  @Test
  void aRelayFrozenPastItsLeaseNeverPublishesAfterTheNewOwner(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "frozen";
    broker.createTopic(topic, 4);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    OutboxConfig writerConfig = Fixture.config(broker, PREFIX).build();
    List<Process> relays = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    AtomicBoolean writing = new AtomicBoolean(true);
    // every writer has keys of its own, so the order in which it commits is each key's order
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Outbox outbox = Outbox.create(writerConfig, db.dataSource())) {
      outbox.installSchema();
      relays.add(start(broker, db, "relay-a"));
      relays.add(start(broker, db, "relay-b"));
      await("both relays own lanes")
          .atMost(Duration.ofSeconds(60))
          .until(() -> owners(jdbi).size() == 2);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> write(jdbi, outbox, topic, writer, writing, order)));
      }
      for (int round = 0; round < FREEZES; round++) {
        Process frozen = relays.get(round % 2);
        String frozenId = round % 2 == 0 ? "relay-a" : "relay-b";
        String other = round % 2 == 0 ? "relay-b" : "relay-a";
        signal("STOP", frozen);
        try {
          await("relay " + other + " took every lane from the frozen " + frozenId)
              .atMost(Duration.ofSeconds(60))
              .until(() -> owners(jdbi).equals(Map.of(other, 16)));
        } finally {
          signal("CONT", frozen);
        }
        await("the thawed " + frozenId + " owns lanes again")
            .atMost(Duration.ofSeconds(60))
            .until(() -> owners(jdbi).size() == 2);
      }
      writing.set(false);
      for (Future<?> writer : writers) {
        writer.get();
      }
      Fixture.awaitDrained(db, PREFIX);
    } finally {
      writing.set(false);
      pool.shutdownNow();
      relays.forEach(Process::destroyForcibly);
    }
    assertThat(order).hasSizeGreaterThan(FREEZES * 100);
    Fixture.assertKeyOrder(broker, topic, order);
  }

  /** Commits batches of messages, one per key of this writer, until told to stop. */
  private static Void write(
      Jdbi jdbi,
      Outbox outbox,
      String topic,
      int writer,
      AtomicBoolean writing,
      List<String> order) {
    for (int round = 0; writing.get(); round++) {
      List<OutboxMessage> batch = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        String key = "w" + writer + "-k" + k;
        batch.add(OutboxMessage.of(topic, key, Fixture.utf8(key + "-" + round)));
      }
      List<String> ids =
          Fixture.retrying(
              () ->
                  jdbi.inTransaction(
                      h -> outbox.sendAll(h, batch).stream().map(Object::toString).toList()));
      order.addAll(ids);
    }
    return null;
  }

  /** Lanes per owner, as the lease table says (owners whose lease is still valid). */
  private static Map<String, Integer> owners(Jdbi jdbi) {
    Map<String, Integer> owners = new java.util.TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT owner, count(*) FROM "
                        + PREFIX
                        + "outbox_lease WHERE owner IS NOT NULL AND lease_until > now()"
                        + " GROUP BY owner")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> owners.put(e.getKey(), e.getValue())));
    return owners;
  }

  private static Process start(KafkaBroker broker, TestDatabase db, String relayId)
      throws IOException {
    Path log = Files.createDirectories(Path.of("target", "frozen-relay")).resolve(relayId + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                RelayMain.class.getName(),
                broker.bootstrapServers(),
                // the server ends a frozen relay's open transaction, as production should set it,
                // so
                // the row locks it holds do not stop the other relay
                db.jdbcUrl() + "&options=-c%20idle_in_transaction_session_timeout%3D1000",
                db.user(),
                db.password().isEmpty() ? "-" : db.password(),
                PREFIX,
                relayId)
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"started".equals(line)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "Relay " + relayId + " did not start (" + line + "); see " + log.toAbsolutePath());
    }
    return process;
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
            .redirectErrorStream(true)
            .redirectOutput(new File("/dev/null"))
            .start();
    assertThat(kill.waitFor()).as("kill -%s %s", signal, process.pid()).isZero();
  }
}
