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
  private static CliContext stoppingAfter(long stopAfter, AtomicLong acknowledged) {
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
    Path file = dir.resolve("client-" + maxInFlight + ".properties");
    try {
      Files.writeString(
          file,
          "kafka.bootstrap.servers="
              + broker.bootstrapServers()
              + "\n"
              + "backstop.dlq.replay.max-in-flight="
              + maxInFlight
              + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
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
}
