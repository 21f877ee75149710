package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.dlq.cli.CliContext;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: a replay stopped halfway (the Ctrl-C path, triggered after N acknowledgements) and
 * run again with the same arguments resends nothing that was acknowledged and completes the rest.
 */
@BackstopKafka
class ReplayResumeIT {
  private final KafkaBroker broker;

  ReplayResumeIT(KafkaBroker broker) {
    this.broker = broker;
  }

  /** A context whose listener stops the replay at its {@code stopAfter}-th acknowledgement. */
  static CliContext stoppingAfter(long stopAfter, AtomicLong acknowledged) {
    AtomicReference<Runnable> stop = new AtomicReference<>();
    ReplayListener hook =
        new ReplayListener() {
          @Override
          public void onStart(Runnable action) {
            stop.set(action);
          }

          @Override
          public void onSent(DeadLetter letter, String target, long sentSoFar) {
            acknowledged.set(sentSoFar);
            if (sentSoFar == stopAfter) {
              stop.get().run();
            }
          }
        };
    return Cli.context().withReplayListener(hook);
  }

  @TempDir Path dir;

  /** Client config with few sends in flight, so a stop takes effect within a few records. */
  private String config(int maxInFlight) {
    return config("client-" + maxInFlight, "backstop.dlq.replay.max-in-flight=" + maxInFlight);
  }

  @Test
  void aStoppedReplayResumesWithoutResendingWhatWasAcknowledged() {
    broker.createTopic("resume.dlq", 3);
    broker.createTopic("resume.orders", 2);
    List<String> ids = new ArrayList<>();
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 600; i++) {
        String id = Fixtures.newMessageId();
        ids.add(id);
        // every fifth is for another topic and filtered out
        String original = i % 5 == 0 ? "resume.other" : "resume.orders";
        fixtures.sendAsync(
            "resume.dlq",
            i % 3,
            null,
            "k" + i,
            utf8("v" + i),
            Fixtures.backstop(id, original, 0, i, new IllegalStateException("x"), Instant.now()));
      }
      fixtures.flush();
      String[] args = {
        "dlq", "replay", "resume.dlq", "--original-topic", "resume.orders", "--config", config(5)
      };

      AtomicLong firstRun = new AtomicLong();
      Cli.Result stopped = Cli.run(stoppingAfter(100, firstRun), args);

      assertThat(stopped.exit()).isEqualTo(1);
      assertThat(stopped.err())
          .contains("backstop: replay stopped before the end; re-run the same command to resume");
      long acknowledgedBeforeStop = firstRun.get();
      // at most max-in-flight (5) sends were on their way when the stop came
      assertThat(acknowledgedBeforeStop).isBetween(100L, 105L);
      assertThat(fixtures.committedCount("resume.orders")).isEqualTo(acknowledgedBeforeStop);

      AtomicLong secondRun = new AtomicLong();
      Cli.Result resumed = Cli.run(stoppingAfter(-1, secondRun), args);

      assertThat(resumed.exit()).as(resumed.err()).isZero();
      assertThat(resumed.err()).contains("(resumed: ");
      assertThat(secondRun.get()).isEqualTo(480 - acknowledgedBeforeStop);
      List<ConsumerRecord<byte[], byte[]>> delivered = fixtures.readCommitted("resume.orders");
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        if (i % 5 != 0) {
          expected.add(ids.get(i));
        }
      }
      assertThat(
              delivered.stream().map(r -> Fixtures.header(r, BackstopHeaders.MESSAGE_ID)).toList())
          .hasSize(480)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(expected);

      Cli.Result again = Cli.run(args);
      assertThat(again.exit()).isZero();
      assertThat(again.err()).contains("replayed 0 of 0 selected");
      assertThat(fixtures.committedCount("resume.orders")).isEqualTo(480);
    }
  }

  @Test
  void aResumedReplayKeepsItsLimit() {
    broker.createTopic("limit.dlq", 1);
    broker.createTopic("limit.orders", 1);
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 300; i++) {
        fixtures.sendAsync(
            "limit.dlq",
            0,
            null,
            "k" + i,
            utf8("v"),
            Fixtures.backstop(
                Fixtures.newMessageId(),
                "limit.orders",
                0,
                i,
                new IllegalStateException("x"),
                Instant.now()));
      }
      fixtures.flush();
      String[] args = {"dlq", "replay", "limit.dlq", "--limit", "200", "--config", config(1)};

      AtomicLong firstRun = new AtomicLong();
      Cli.Result stopped = Cli.run(stoppingAfter(50, firstRun), args);
      assertThat(stopped.exit()).isEqualTo(1);
      assertThat(fixtures.committedCount("limit.orders"))
          .isEqualTo(firstRun.get())
          .isBetween(50L, 51L);
      Cli.Result resumed = Cli.run(args);

      assertThat(resumed.exit()).as(resumed.err()).isZero();
      assertThat(fixtures.committedCount("limit.orders")).isEqualTo(200);
    }
  }

  /** A client config with {@code extra} lines. */
  private String config(String name, String... extra) {
    Path file = dir.resolve(name + ".properties");
    try {
      Files.writeString(
          file,
          "kafka.bootstrap.servers="
              + broker.bootstrapServers()
              + "\n"
              + String.join("\n", extra)
              + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
  }

  private void alterTopic(String topic, String key, String value) throws Exception {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    var op =
        new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry(key, value),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    broker
        .admin()
        .incrementalAlterConfigs(java.util.Map.of(resource, List.of(op)))
        .all()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * A target that refuses a record (here a compacted topic and a record without a key) rolls back
   * the transaction that holds it: a read_committed consumer sees the records before that
   * transaction once, and none of it; re-runs stop at the same record until the target takes it.
   */
  @Test
  void aRecordTheTargetRefusesRollsBackItsTransactionAndBlocksUntilTheTargetTakesIt()
      throws Exception {
    broker.createTopic("refuse.dlq", 1);
    broker.createTopic("refuse.orders", 1, java.util.Map.of("cleanup.policy", "compact"));
    List<String> ids = new ArrayList<>();
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 200; i++) {
        String id = Fixtures.newMessageId();
        ids.add(id);
        fixtures.sendAsync(
            "refuse.dlq",
            0,
            null,
            i == 120 ? null : "k" + i,
            utf8("v" + i),
            Fixtures.backstop(
                id, "refuse.orders", 0, i, new IllegalStateException("x"), Instant.now()));
      }
      fixtures.flush();
      String[] args = {
        "dlq",
        "replay",
        "refuse.dlq",
        "--config",
        config("refuse", "backstop.dlq.replay.max-in-flight=50")
      };

      Cli.Result first = Cli.run(args);

      assertThat(first.exit()).isEqualTo(1);
      assertThat(first.err())
          .contains("backstop: replay failed: ")
          .contains("send of refuse.dlq/0/120 to refuse.orders failed: InvalidRecordException: ")
          .contains("its transaction was rolled back")
          .contains("re-run the same command to resume");
      List<String> committed = Fixtures.ids(fixtures.readCommitted("refuse.orders"));
      assertThat(committed)
          .hasSizeLessThanOrEqualTo(120)
          .isEqualTo(ids.subList(0, committed.size()));

      Cli.Result again = Cli.run(args);

      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("send of refuse.dlq/0/120 to refuse.orders failed: ");
      assertThat(Fixtures.ids(fixtures.readCommitted("refuse.orders"))).isEqualTo(committed);

      alterTopic("refuse.orders", "cleanup.policy", "delete");
      Cli.Result fixed = Cli.run(args);

      assertThat(fixed.exit()).as(fixed.err()).isZero();
      assertThat(Fixtures.ids(fixtures.readCommitted("refuse.orders"))).isEqualTo(ids);
    }
  }
}
