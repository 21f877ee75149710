package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.dlq.cli.CliContext;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 3: replay keeps the message id, counts replays, dry-runs and refuses past the cap. */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {
  private final KafkaBroker broker;
  private final Fixtures fixtures;

  ReplayIT(KafkaBroker broker) {
    this.broker = broker;
    this.fixtures = new Fixtures(broker);
  }

  @AfterAll
  void close() {
    fixtures.close();
  }

  /**
   * A DLQ of {@code count} dead letters whose originals were on {@code originals} (round robin).
   */
  private List<String> deadLetters(String dlq, int count, int replayCount, String... originals) {
    broker.createTopic(dlq, 2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = Fixtures.newMessageId();
      ids.add(id);
      Headers h =
          Fixtures.backstop(
              id,
              originals[i % originals.length],
              0,
              i,
              new IllegalStateException("boom " + i),
              Instant.now());
      if (replayCount > 0) {
        MessageHeaders.setLong(h, BackstopHeaders.REPLAY_COUNT, replayCount);
      }
      fixtures.sendAsync(dlq, i % 2, null, "key-" + i, utf8("{\"n\":" + i + "}"), h);
    }
    fixtures.flush();
    return ids;
  }

  private Cli.Result replay(CliContext context, String dlq, String... args) {
    return Cli.run(
        context, Cli.args(List.of("dlq", "replay", dlq, "-b", broker.bootstrapServers()), args));
  }

  @Test
  void replaysEachRecordOnceToItsOriginalTopicKeepingTheMessageId() throws Exception {
    broker.createTopic("r1.orders", 3);
    broker.createTopic("r1.payments", 1);
    List<String> ids = deadLetters("r1.dlq", 20, 0, "r1.orders", "r1.payments");

    Cli.Result result = replay(Cli.context(), "r1.dlq", "--format", "json");

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(result.out());
    assertThat(summary.get("sent").asLong()).isEqualTo(20);
    assertThat(summary.get("complete").asBoolean()).isTrue();
    assertThat(result.err())
        .contains("replayed 20 of 20 selected dead letters to their original topics");
    List<ConsumerRecord<byte[], byte[]>> orders = fixtures.readCommitted("r1.orders");
    List<ConsumerRecord<byte[], byte[]>> payments = fixtures.readCommitted("r1.payments");
    assertThat(orders).hasSize(10);
    assertThat(payments).hasSize(10);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(orders);
    all.addAll(payments);
    assertThat(Fixtures.ids(all)).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    for (ConsumerRecord<byte[], byte[]> r : all) {
      assertThat(Fixtures.header(r, BackstopHeaders.REPLAY_COUNT)).isEqualTo("1");
      assertThat(r.headers().headers(BackstopHeaders.REPLAY_COUNT)).hasSize(1);
      assertThat(Fixtures.header(r, BackstopHeaders.REPLAYED_AT)).isNotNull();
      assertThat(Fixtures.header(r, BackstopHeaders.ERROR_CLASS))
          .isEqualTo("java.lang.IllegalStateException");
      String n = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).substring(4);
      assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("{\"n\":" + n + "}");
    }
    assertThat(orders)
        .allSatisfy(
            r ->
                assertThat(Fixtures.header(r, BackstopHeaders.ORIGINAL_TOPIC))
                    .isEqualTo("r1.orders"));
  }

  @Test
  void dryRunPrintsWhatWouldBeSentAndSendsNothing() {
    broker.createTopic("r2.orders", 1);
    List<String> ids = deadLetters("r2.dlq", 5, 0, "r2.orders");

    Cli.Result result = replay(Cli.context(), "r2.dlq", "--dry-run");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.outLines())
        .hasSize(5)
        .allSatisfy(
            l ->
                assertThat(l)
                    .startsWith("would send r2.dlq/")
                    .contains("-> r2.orders", "replay 1"));
    assertThat(result.out()).contains(ids.get(0));
    assertThat(result.err()).contains("would replay 5 of 5 selected");
    assertThat(fixtures.committedCount("r2.orders")).isZero();

    // a dry run writes no checkpoint: the real run afterwards still sends everything
    Cli.Result real = replay(Cli.context(), "r2.dlq");
    assertThat(real.exit()).as(real.err()).isZero();
    assertThat(fixtures.committedCount("r2.orders")).isEqualTo(5);
  }

  @Test
  void refusesDeadLettersPastMaxReplaysAndReportsThem() {
    broker.createTopic("r3.orders", 1);
    deadLetters("r3.dlq", 3, 3, "r3.orders");
    deadLettersInto("r3.dlq", "r3.orders", 2);

    Cli.Result result = replay(Cli.context(), "r3.dlq");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("refused r3.dlq/0/0: replayed 3 times already (--max-replays 3)")
        .contains("replayed 2 of 5 selected dead letters")
        .contains("refused 3")
        .contains("backstop: 3 dead letters were refused");
    assertThat(fixtures.committedCount("r3.orders")).isEqualTo(2);

    // other arguments make another replay (another checkpoint): it selects all five again
    Cli.Result raised = replay(Cli.context(), "r3.dlq", "--max-replays", "5");
    assertThat(raised.exit()).as(raised.err()).isZero();
    List<ConsumerRecord<byte[], byte[]>> records = fixtures.readCommitted("r3.orders");
    assertThat(records).hasSize(7);
    assertThat(records)
        .filteredOn(r -> "4".equals(Fixtures.header(r, BackstopHeaders.REPLAY_COUNT)))
        .hasSize(3);
  }

  private void deadLettersInto(String dlq, String original, int count) {
    for (int i = 0; i < count; i++) {
      fixtures.sendAsync(
          dlq,
          1,
          null,
          "fresh-" + i,
          utf8("{}"),
          Fixtures.backstop(
              Fixtures.newMessageId(),
              original,
              0,
              100 + i,
              new IllegalStateException("fresh"),
              Instant.now()));
    }
    fixtures.flush();
  }

  @Test
  void replaysToANamedTopicOnlyWhenTheAllowListPermits(@TempDir Path dir) throws Exception {
    broker.createTopic("r4.orders", 1);
    broker.createTopic("r4.elsewhere", 1);
    broker.createTopic("r4.sandbox", 1);
    deadLetters("r4.dlq", 4, 0, "r4.orders");
    Path config = dir.resolve("client.properties");
    Files.writeString(
        config,
        "kafka.bootstrap.servers="
            + broker.bootstrapServers()
            + "\n"
            + "backstop.dlq.replay.allowed-targets=r4.orders,r4.sand*\n");

    Cli.Result refused =
        Cli.run("dlq", "replay", "r4.dlq", "--config", config.toString(), "--to", "r4.elsewhere");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err().strip())
        .isEqualTo(
            "backstop: Replay target refused: target r4.elsewhere is not in"
                + " backstop.dlq.replay.allowed-targets (r4.orders,r4.sand*)");
    assertThat(fixtures.committedCount("r4.elsewhere")).isZero();

    Cli.Result allowed =
        Cli.run("dlq", "replay", "r4.dlq", "--config", config.toString(), "--to", "r4.sandbox");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(fixtures.committedCount("r4.sandbox")).isEqualTo(4);
    assertThat(fixtures.committedCount("r4.orders")).isZero();
  }

  @Test
  void refusesDeadLettersWithoutAnOriginalTopic() {
    broker.createTopic("r5.dlq", 1);
    fixtures.send(
        "r5.dlq",
        0,
        null,
        "k",
        utf8("v"),
        new org.apache.kafka.common.header.internals.RecordHeaders());

    Cli.Result result = replay(Cli.context(), "r5.dlq");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "refused r5.dlq/0/0: no original topic in its headers: replay it with --to TOPIC");
  }

  @Test
  void rateLimitsOnTheInjectedClockAndDrawsProgressOnlyOnATerminal() {
    broker.createTopic("r6.orders", 1);
    deadLetters("r6.dlq", 30, 0, "r6.orders");
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-26T00:00:00Z"));
    CliContext terminal =
        new CliContext(clock, clock::advance, () -> true, ReplayListener.NONE, a -> {});

    Cli.Result result = replay(terminal, "r6.dlq", "--rate", "10/s");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(fixtures.committedCount("r6.orders")).isEqualTo(30);
    // 30 records at 10/s after a burst of 1: the limiter waited 2.9 s of (simulated) time
    assertThat(Duration.between(Instant.parse("2026-11-26T00:00:00Z"), clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(result.err()).contains("\rreplayed ").contains("/s  eta ");

    broker.createTopic("r7.orders", 1);
    deadLetters("r7.dlq", 30, 0, "r7.orders");
    ManualClock clock2 = ManualClock.at(Instant.parse("2026-11-26T00:00:00Z"));
    Cli.Result quiet =
        replay(
            new CliContext(clock2, clock2::advance, () -> false, ReplayListener.NONE, a -> {}),
            "r7.dlq",
            "--rate",
            "10/s");
    assertThat(quiet.exit()).isZero();
    assertThat(quiet.err()).doesNotContain("\r");
  }

  @Test
  void aFailedSendRollsBackItsTransactionAndTheReRunSendsEachRecordOnce(@TempDir Path dir)
      throws Exception {
    broker.createTopic("r8.orders", 1);
    broker.createTopic("r8.dlq", 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = Fixtures.newMessageId();
      ids.add(id);
      byte[] value = i == 3 ? new byte[50_000] : utf8("{\"n\":" + i + "}");
      fixtures.sendAsync(
          "r8.dlq",
          0,
          null,
          "k" + i,
          value,
          Fixtures.backstop(id, "r8.orders", 0, i, new IllegalStateException("x"), Instant.now()));
    }
    fixtures.flush();
    // the first run's producer refuses records over 20 kB: the send of offset 3 fails
    Path small = dir.resolve("small.properties");
    Files.writeString(
        small,
        "kafka.bootstrap.servers="
            + broker.bootstrapServers()
            + "\nkafka.max.request.size=20000\n");
    Path normal = dir.resolve("normal.properties");
    Files.writeString(normal, "kafka.bootstrap.servers=" + broker.bootstrapServers() + "\n");

    Cli.Result failed = Cli.run("dlq", "replay", "r8.dlq", "--config", small.toString());

    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err())
        .contains("backstop: replay failed: send of r8.dlq/0/3 to r8.orders failed: ")
        .contains("its transaction was rolled back")
        .contains("re-run the same command to resume");
    // offsets 0 to 2 went out in the same transaction as offset 3: rolled back with it
    assertThat(Fixtures.ids(fixtures.readCommitted("r8.orders"))).isEmpty();

    Cli.Result resumed = Cli.run("dlq", "replay", "r8.dlq", "--config", normal.toString());

    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("replayed 10 of 10 selected");
    assertThat(Fixtures.ids(fixtures.readCommitted("r8.orders")))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
  }
}
