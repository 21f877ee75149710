package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.dlq.cli.BackstopCommand;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay run as a real {@code backstop} process (a child JVM on the test class path) that is
 * killed with SIGKILL, or paused with SIGSTOP, in the middle of a transaction, then resumed: a
 * {@code read_committed} consumer of the target sees every replayed record exactly once.
 */
@BackstopKafka
class ReplayKillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final int RECORDS = 5000;

  private final KafkaBroker broker;
  private final Fixtures fixtures;
  private final List<Process> children = new ArrayList<>();
  @TempDir Path dir;

  ReplayKillIT(KafkaBroker broker) {
    this.broker = broker;
    this.fixtures = new Fixtures(broker);
  }

  @AfterEach
  void stopChildren() {
    children.forEach(Process::destroyForcibly);
    fixtures.close();
  }

  @Test
  void aReplayKilledMidTransactionAndResumedDeliversEachRecordOnceToReadCommitted()
      throws Exception {
    List<String> ids = deadLetters("kill.dlq", "kill.orders");
    String[] args = {"dlq", "replay", "kill.dlq", "--checkpoint", "kill-job", "--config", config()};
    Process child = start(args, "--rate", "500/s");

    awaitRecordsBeyondTheCheckpoint("kill-job", "kill.dlq", "kill.orders");
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    long checkpoint = checkpoint("kill-job", "kill.dlq");
    assertThat(checkpoint).as("killed mid-replay").isBetween(1L, RECORDS - 1L);
    // the killed run's open transaction reached the log: a read_uncommitted consumer sees it
    assertThat((long) fixtures.readUncommitted("kill.orders").size()).isGreaterThan(checkpoint);

    Cli.Result resumed = Cli.run(args);

    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("(resumed: " + checkpoint + " selected by earlier runs)");
    assertThat(Fixtures.ids(fixtures.readCommitted("kill.orders")))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(fixtures.readUncommitted("kill.orders").size()).isGreaterThan(RECORDS);
  }

  @Test
  void aResumedReplayFencesAPausedRunOfTheSameReplay() throws Exception {
    List<String> ids = deadLetters("fence.dlq", "fence.orders");
    String[] args = {
      "dlq", "replay", "fence.dlq", "--checkpoint", "fence-job", "--config", config()
    };
    Process zombie = start(args, "--rate", "500/s");
    awaitRecordsBeyondTheCheckpoint("fence-job", "fence.dlq", "fence.orders");
    signal(zombie, "STOP");

    Cli.Result resumed = Cli.run(args);
    signal(zombie, "CONT");

    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(zombie.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String zombieErr = Files.readString(dir.resolve("child.err"));
    assertThat(zombie.exitValue()).as(zombieErr).isEqualTo(1);
    assertThat(zombieErr).contains("backstop: replay failed: ");
    assertThat(Fixtures.ids(fixtures.readCommitted("fence.orders")))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  /** {@link #RECORDS} dead letters for {@code target} in a one-partition {@code dlq}. */
  private List<String> deadLetters(String dlq, String target) {
    broker.createTopic(dlq, 1);
    broker.createTopic(target, 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      String id = Fixtures.newMessageId();
      ids.add(id);
      fixtures.sendAsync(
          dlq,
          0,
          null,
          "k" + i,
          utf8("{\"n\":" + i + "}"),
          Fixtures.backstop(id, target, 0, i, new IllegalStateException("x"), Instant.now()));
    }
    fixtures.flush();
    return ids;
  }

  private String config() throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "kafka.bootstrap.servers=" + broker.bootstrapServers() + "\n");
    return file.toString();
  }

  /** Starts {@code backstop} with {@code args} and {@code extra} in a child JVM. */
  private Process start(String[] args, String... extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BackstopCommand.class.getName());
    command.addAll(List.of(args));
    command.addAll(List.of(extra));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("child.out").toFile())
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    children.add(process);
    return process;
  }

  /**
   * Waits until at least one transaction committed and at least 100 records of the open one are in
   * the target's log: a kill now lands inside a transaction.
   */
  private void awaitRecordsBeyondTheCheckpoint(String group, String dlq, String target) {
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              long committed = checkpoint(group, dlq);
              return committed >= 500 && logEnd(target) - committed >= 100;
            });
  }

  private long checkpoint(String group, String dlq) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        broker
            .admin()
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    OffsetAndMetadata at = offsets.get(new TopicPartition(dlq, 0));
    return at == null ? 0 : at.offset();
  }

  private long logEnd(String topic) {
    return fixtures.endOffsets(topic);
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
