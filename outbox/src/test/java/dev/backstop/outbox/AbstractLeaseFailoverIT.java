package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.outbox.internal.Relay;
import dev.backstop.outbox.internal.RelayHooks;
import dev.backstop.outbox.internal.Row;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3: relays share the lanes through leases; a dead relay's lanes move within the lease
 * time; a relay paused past its lease can neither publish nor delete when it wakes (epoch fencing).
 *
 * <p>Run on every database: subclasses pick theirs with {@code @BackstopDatabase}.
 */
abstract class AbstractLeaseFailoverIT {

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final List<Integer> ALL_LANES = IntStream.range(0, 16).boxed().toList();

  @Test
  void threeRelaysShareTheLanesAndTheSurvivorsTakeOverAKilledOne(
      KafkaBroker broker, TestDatabase db) {
    String topic = "failover";
    broker.createTopic(topic, 3);
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "fo_").build(), db.dataSource())) {
      List<Relay> relays = new ArrayList<>();
      for (String id : List.of("r1", "r2", "r3")) {
        relays.add(outbox.engine().startRelay(id, RelayHooks.NONE));
      }
      await("three relays share the lanes")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  relays.stream().allMatch(r -> !r.ownedLanes().isEmpty())
                      && union(relays).equals(ALL_LANES)
                      && disjoint(relays));
      List<String> committed = new ArrayList<>(Fixture.write(outbox, db, topic, "a", 200, 20));

      Relay victim = relays.get(1);
      List<Integer> victimLanes = victim.ownedLanes();
      victim.kill();
      List<Relay> survivors = List.of(relays.get(0), relays.get(2));
      committed.addAll(Fixture.write(outbox, db, topic, "b", 200, 20));

      // the lease runs out at most LEASE after the kill; survivors look every LEASE / 4
      await("survivors own the killed relay's lanes " + victimLanes)
          .atMost(LEASE.plus(LEASE).plusSeconds(1))
          .until(() -> union(survivors).equals(ALL_LANES) && disjoint(survivors));

      Fixture.awaitDrained(db, "fo_");
      assertThat(Fixture.publishedIds(broker, topic))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  @Test
  void gracefulShutdownHandsTheLanesOverAtOnce(KafkaBroker broker, TestDatabase db) {
    String topic = "handover";
    broker.createTopic(topic, 2);
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "ho_").build(), db.dataSource())) {
      Relay leaving = outbox.engine().startRelay("leaving", RelayHooks.NONE);
      Relay staying = outbox.engine().startRelay("staying", RelayHooks.NONE);
      await("both relays own lanes")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !leaving.ownedLanes().isEmpty() && !staying.ownedLanes().isEmpty());
      List<String> committed = new ArrayList<>(Fixture.write(outbox, db, topic, "a", 100, 10));

      leaving.close();
      int stillHeld =
          Jdbi.create(db.dataSource())
              .withHandle(
                  h ->
                      h.select("SELECT count(*) FROM ho_outbox_lease WHERE owner = 'leaving'")
                          .mapTo(Integer.class)
                          .one());
      assertThat(stillHeld).as("leases released on close, not left to expire").isZero();
      committed.addAll(Fixture.write(outbox, db, topic, "b", 100, 10));
      await("the staying relay owns every lane")
          .atMost(Duration.ofSeconds(30))
          .until(() -> staying.ownedLanes().equals(ALL_LANES));
      Fixture.awaitDrained(db, "ho_");
      assertThat(Fixture.publishedIds(broker, topic))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  @Test
  void relayPausedPastItsLeaseCannotPublishAfterWaking(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "paused-publish";
    broker.createTopic(topic, 1);
    PauseOnce pause = new PauseOnce(false);
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "pp_").build(), db.dataSource())) {
      Fixture.write(outbox, db, topic, "m", 40, 8);
      Relay paused = pauseUntilAnotherOwnerTookOver(outbox, db, "pp_", pause);

      await("the woken relay ran its round")
          .atMost(Duration.ofSeconds(30))
          .until(() -> pause.sentAfterWaking.get() >= 0);
      assertThat(pause.sentAfterWaking.get()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> paused.ownedLanes().isEmpty());
      assertThat(endOffset(broker, topic)).isZero();
      assertThat(Fixture.pending(db, "pp_")).isEqualTo(40);
    }
  }

  @Test
  void relayPausedPastItsLeaseCannotDeleteAfterWaking(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "paused-delete";
    broker.createTopic(topic, 1);
    PauseOnce pause = new PauseOnce(true);
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "pd_").build(), db.dataSource())) {
      List<String> committed = Fixture.write(outbox, db, topic, "m", 40, 8);
      Relay paused = pauseUntilAnotherOwnerTookOver(outbox, db, "pd_", pause);

      await("the woken relay was fenced")
          .atMost(Duration.ofSeconds(30))
          .until(() -> paused.ownedLanes().isEmpty());
      assertThat(Fixture.pending(db, "pd_"))
          .as("rows the fenced relay published are still there for the new owner")
          .isEqualTo(40);

      // the intruder goes away without publishing; the relay takes the lanes back and re-sends
      releaseEveryLane(db, "pd_");
      Fixture.awaitDrained(db, "pd_");
      List<ConsumerRecord<byte[], byte[]>> records =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
      assertThat(records).hasSize(80);
      assertThat(records.stream().map(Fixture::id).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  @Test
  void relayPausedBeforeItsPipelinedDeleteCannotDeleteAfterWaking(
      KafkaBroker broker, TestDatabase db) throws Exception {
    String topic = "paused-pipelined-delete";
    broker.createTopic(topic, 1);
    // pauses after sending the second batch, before the delete of the first (acknowledged) one
    PauseOnce pause = new PauseOnce(false, 2);
    OutboxConfig config = Fixture.config(broker, "pq_").batchSize(10).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      List<String> committed = Fixture.write(outbox, db, topic, "m", 40, 8);
      Relay paused = pauseUntilAnotherOwnerTookOver(outbox, db, "pq_", pause);

      await("the woken relay was fenced")
          .atMost(Duration.ofSeconds(30))
          .until(() -> paused.ownedLanes().isEmpty());
      assertThat(Fixture.pending(db, "pq_"))
          .as("the first batch was acknowledged before the pause but not deleted after it")
          .isEqualTo(40);

      releaseEveryLane(db, "pq_");
      Fixture.awaitDrained(db, "pq_");
      List<ConsumerRecord<byte[], byte[]>> records =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
      assertThat(records.stream().map(Fixture::id).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  @Test
  void aRelayJoiningUnderLoadCausesNoResend(KafkaBroker broker, TestDatabase db) {
    String topic = "rebalance";
    broker.createTopic(topic, 1);
    OutboxConfig config = Fixture.config(broker, "rb_").batchSize(50).build();
    Jdbi jdbi = Jdbi.create(db.dataSource());
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      List<String> committed = Fixture.write(outbox, db, topic, "m", 600, 40);
      // the second full batch, acknowledged, waits until the second relay has been alive for a
      // maintenance period: the first relay's next round then holds a pending delete and is due
      // to hand lanes over
      AtomicInteger acks = new AtomicInteger();
      RelayHooks waitForPeer =
          new RelayHooks() {
            @Override
            public void afterAcks(List<Row> batch) {
              if (acks.incrementAndGet() == 2) {
                await("the second relay is alive")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> heartbeat(jdbi, "rb_", "second") != null);
                String first = heartbeat(jdbi, "rb_", "second");
                await("the second relay beat its heart again")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !first.equals(heartbeat(jdbi, "rb_", "second")));
              }
            }
          };
      Relay first = outbox.engine().startRelay("first", waitForPeer);
      await().atMost(Duration.ofSeconds(30)).until(() -> acks.get() >= 2);
      Relay second = outbox.engine().startRelay("second", RelayHooks.NONE);
      await("both relays own lanes")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !first.ownedLanes().isEmpty() && !second.ownedLanes().isEmpty());
      Fixture.awaitDrained(db, "rb_");
      List<String> published =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30)).stream()
              .map(Fixture::id)
              .toList();
      assertThat(published).as("no batch sent twice").doesNotHaveDuplicates();
      assertThat(published).containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  /** The relay's {@code alive_until} as text, or null when it has no row. */
  private static String heartbeat(Jdbi jdbi, String prefix, String relayId) {
    return jdbi.withHandle(
        h ->
            h.select(
                    "SELECT alive_until FROM " + prefix + "outbox_relay WHERE relay_id = ?",
                    relayId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
  }

  /** Blocks the relay thread once (at a hook), as a long GC pause or a frozen VM would. */
  static final class PauseOnce implements RelayHooks {
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    final AtomicInteger sentAfterWaking = new AtomicInteger(-1);
    final AtomicInteger sends = new AtomicInteger();
    final boolean afterAcks;
    final int atSend;

    PauseOnce(boolean afterAcks) {
      this(afterAcks, 0);
    }

    /** {@code atSend} > 0: pause after the batch of that number was sent, nowhere else. */
    PauseOnce(boolean afterAcks, int atSend) {
      this.afterAcks = afterAcks;
      this.atSend = atSend;
    }

    @Override
    public void afterSend(List<Row> batch) {
      if (atSend > 0 && sends.incrementAndGet() == atSend) {
        pauseOnce();
      }
    }

    @Override
    public void afterRead(List<Row> batch) {
      if (!afterAcks && atSend == 0) {
        pauseOnce();
      }
    }

    @Override
    public void afterAcks(List<Row> batch) {
      if (!afterAcks && resume.getCount() == 0 && sentAfterWaking.get() < 0) {
        sentAfterWaking.set(batch.size());
      }
      if (afterAcks) {
        pauseOnce();
      }
    }

    private void pauseOnce() {
      if (paused.getCount() == 0) {
        return;
      }
      paused.countDown();
      try {
        resume.await(2, TimeUnit.MINUTES); // a failed test must not hang the relay
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts a relay that pauses at the hook; another owner takes its lanes; then it wakes. */
  private static Relay pauseUntilAnotherOwnerTookOver(
      Outbox outbox, TestDatabase db, String prefix, PauseOnce pause) throws InterruptedException {
    Relay relay = outbox.engine().startRelay("sleepy", pause);
    assertThat(pause.paused.await(30, TimeUnit.SECONDS)).isTrue();
    takeEveryLaneOnceExpired(db, prefix);
    pause.resume.countDown();
    return relay;
  }

  /** Another owner takes every lane as soon as the paused relay's lease ran out. */
  private static void takeEveryLaneOnceExpired(TestDatabase db, String prefix) {
    TestDialect dialect = TestDialect.of(db);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    await("the paused relay's lease runs out")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbi.withHandle(
                        h ->
                            h.execute(
                                "UPDATE "
                                    + prefix
                                    + "outbox_lease SET owner = 'intruder', epoch = epoch + 1,"
                                    + " lease_until = "
                                    + dialect.inAnHour()
                                    + " WHERE owner = 'intruder' OR lease_until < "
                                    + dialect.now()))
                    == 16);
  }

  /** The intruder goes away: every lane is free to take at once. */
  private static void releaseEveryLane(TestDatabase db, String prefix) {
    String now = TestDialect.of(db).now();
    Jdbi.create(db.dataSource())
        .useHandle(
            h ->
                h.execute(
                    "UPDATE " + prefix + "outbox_lease SET owner = NULL, lease_until = " + now));
  }

  private static long endOffset(KafkaBroker broker, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(broker.consumerConfig("end-offsets"))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  private static List<Integer> union(List<Relay> relays) {
    Set<Integer> lanes = new HashSet<>();
    relays.forEach(r -> lanes.addAll(r.ownedLanes()));
    return lanes.stream().sorted().toList();
  }

  private static boolean disjoint(List<Relay> relays) {
    return relays.stream().mapToInt(r -> r.ownedLanes().size()).sum() == union(relays).size();
  }
}
