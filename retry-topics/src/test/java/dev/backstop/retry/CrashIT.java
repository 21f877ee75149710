package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A consumer killed with {@code kill -9} while calls are in flight and later records finished. */
@BackstopKafka
class CrashIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final int PER_PARTITION = 600;
  private static final long STUCK_OFFSET = 100;

  private final KafkaBroker broker;
  private ChildJvm child;

  CrashIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void afterAKillNoRecordBelowACommittedOffsetComesAgainAndNoneIsLost(@TempDir Path dir)
      throws Exception {
    broker.createTopic("crash", 3);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int p = 0; p < 3; p++) {
        for (int i = 0; i < PER_PARTITION; i++) {
          String value = p == 0 && i == STUCK_OFFSET ? "stuck" : "v" + i;
          producer.send(
              new ProducerRecord<>("crash", p, Fixture.bytes("k" + i), Fixture.bytes(value)));
        }
      }
      producer.flush();
    }
    Path handledByChild = dir.resolve("handled.txt");
    child = start(handledByChild);

    // the stuck call is in flight; the records after it on partition 0 finished
    await().atMost(DEADLINE).until(() -> lines(handledByChild).size() >= 3 * PER_PARTITION - 1);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                committed().getOrDefault(new TopicPartition("crash", 0), -1L) == STUCK_OFFSET
                    && committed().getOrDefault(new TopicPartition("crash", 2), -1L)
                        == PER_PARTITION);
    child.kill();
    Map<TopicPartition, Long> committedAtKill = committed();
    assertThat(committedAtKill.get(new TopicPartition("crash", 0)))
        .as("the commit stopped at the unfinished record, not past it")
        .isEqualTo(STUCK_OFFSET);

    CallLog restarted = new CallLog(record -> {});
    ReliableConsumerConfig config = Fixture.config(broker, "crash-group", "crash").build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(restarted).build()) {
      consumer.start();
      await()
          .atMost(DEADLINE)
          .until(
              () -> {
                Set<String> all = new HashSet<>(lines(handledByChild));
                all.addAll(restarted.handled());
                return all.size() == 3 * PER_PARTITION;
              });
    }
    assertThat(restarted.calls)
        .as("nothing below a committed offset is delivered again")
        .allSatisfy(
            call ->
                assertThat(call.offset())
                    .isGreaterThanOrEqualTo(
                        committedAtKill.getOrDefault(
                            new TopicPartition("crash", call.partition()), 0L)));
    assertThat(restarted.handled()).contains("0/" + STUCK_OFFSET);
  }

  private ChildJvm start(Path output) throws IOException {
    return ChildJvm.start(
        CrashingConsumer.class,
        Path.of(output + ".log"),
        broker.bootstrapServers(),
        "crash",
        "crash-group",
        output.toString());
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .filter(line -> line.contains(" "))
        .map(line -> line.replace(' ', '/'))
        .toList();
  }

  private Map<TopicPartition, Long> committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets =
          broker
              .admin()
              .listConsumerGroupOffsets("crash-group")
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("cannot read the offsets of crash-group", e);
    }
    Map<TopicPartition, Long> result = new HashMap<>();
    offsets.forEach((tp, om) -> result.put(tp, om == null ? -1L : om.offset()));
    return result;
  }
}
