package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop.retry.key-order=preserve}: while a record of a key waits in a retry tier, the
 * key's later records wait behind it, across a crash and a rebalance, within a bound; other keys
 * flow.
 */
@BackstopKafka
class KeyOrderIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private final KafkaBroker broker;
  private ChildJvm child;

  KeyOrderIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.close();
    }
  }

  /** Values applied by a handler, in the order it applied them. */
  private static final class Applied {
    final List<String> values = Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /**
     * A handler that fails {@code value} the first {@code failures} times, or while {@code hold}.
     */
    RecordHandlerOf handler(String value, int failures, AtomicBoolean hold) {
      return record -> {
        String v = new String(record.value(), StandardCharsets.UTF_8);
        int call = calls.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
        if (v.equals(value) && (call <= failures || hold.get())) {
          throw new IllegalStateException("not yet: " + v + " call " + call);
        }
        values.add(v);
      };
    }

    List<String> of(String key) {
      synchronized (values) {
        return values.stream().filter(v -> v.startsWith(key + ":")).toList();
      }
    }

    int indexOf(String value) {
      return values.indexOf(value);
    }
  }

  private interface RecordHandlerOf extends dev.backstop.core.RecordHandler<byte[], byte[]> {}

  private ReliableConsumerConfig.Builder config(String group, String topic) {
    return Fixture.config(broker, group, topic)
        .preserveKeyOrder(true)
        .set(ReliableConsumerConfig.COMMIT_INTERVAL.name(), "200ms");
  }

  private void send(String topic, String key, String... values) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, Fixture.bytes(key), Fixture.bytes(value)));
      }
      producer.flush();
    }
  }

  private void sendTo(String topic, int partition, String key, String... values) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (String value : values) {
        producer.send(
            new ProducerRecord<>(topic, partition, Fixture.bytes(key), Fixture.bytes(value)));
      }
      producer.flush();
    }
  }

  private static String[] values(String key, int from, int to) {
    List<String> values = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      values.add(key + ":" + i);
    }
    return values.toArray(String[]::new);
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    Gauge gauge = registry.find(name).gauge();
    return gauge == null ? -1 : gauge.value();
  }

  @Test
  void laterRecordsOfAKeyFollowItsRetriedRecordInOrderWhileOtherKeysFlow() {
    broker.createTopic("ko-order", 3);
    Applied applied = new Applied();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReliableConsumerConfig config =
        config("ko-order-group", "ko-order")
            .tiers(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(applied.handler("K:1", 2, new AtomicBoolean()))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      send("ko-order", "K", "K:1");
      await().atMost(DEADLINE).until(() -> applied.calls.containsKey("K:1"));
      send("ko-order", "K", values("K", 2, 5));
      for (int i = 0; i < 30; i++) {
        send("ko-order", "o" + i, "o" + i + ":1");
      }
      await().atMost(DEADLINE).until(() -> gauge(registry, RetryMetricNames.HELD_RECORDS) == 4.0);
      assertThat(gauge(registry, RetryMetricNames.HELD_KEYS)).isEqualTo(1.0);
      await().atMost(DEADLINE).until(() -> applied.of("K").size() == 5);
      await().atMost(DEADLINE).until(() -> applied.values.size() == 35);
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  gauge(registry, RetryMetricNames.HELD_KEYS) == 0.0
                      && gauge(registry, RetryMetricNames.HELD_RECORDS) == 0.0);
    }
    assertThat(applied.of("K")).containsExactly(values("K", 1, 5));
    assertThat(applied.calls.get("K:1")).hasValue(3);
    for (int i = 0; i < 30; i++) {
      assertThat(applied.indexOf("o" + i + ":1"))
          .as("o%d, produced after K:1, is handled before K:1 succeeds", i)
          .isLessThan(applied.indexOf("K:1"));
    }
    assertThat(Fixture.endOffsets(broker, "ko-order.dlq")).isZero();
  }

  @Test
  void aHeldKeyStaysHeldWhenItsPartitionsMoveToAnotherInstance() {
    broker.createTopic("ko-move", 2);
    Applied applied = new Applied();
    AtomicBoolean hold = new AtomicBoolean(true);
    ReliableConsumerConfig config =
        config("ko-move-group", "ko-move")
            .tiers(HoldingConsumer.TIERS)
            .maxAge(Duration.ofMinutes(10))
            .build();
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    ReliableConsumer a =
        ReliableConsumer.builder(config)
            .handler(applied.handler("K:1", 0, hold))
            .metrics(ConsumerMetrics.micrometer(first))
            .build();
    a.start();
    send("ko-move", "K", "K:1");
    await().atMost(DEADLINE).until(() -> applied.calls.containsKey("K:1"));
    send("ko-move", "K", values("K", 2, 5));
    await().atMost(DEADLINE).until(() -> gauge(first, RetryMetricNames.HELD_RECORDS) == 4.0);
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    try (ReliableConsumer b =
        ReliableConsumer.builder(config)
            .handler(applied.handler("K:1", 0, hold))
            .metrics(ConsumerMetrics.micrometer(second))
            .build()) {
      b.start();
      a.close(); // every partition moves to b, which reads the held keys back
      await().atMost(DEADLINE).until(() -> gauge(second, RetryMetricNames.HELD_RECORDS) == 4.0);
      send("ko-move", "K", "K:6");
      await().atMost(DEADLINE).until(() -> gauge(second, RetryMetricNames.HELD_RECORDS) == 5.0);
      assertThat(applied.of("K")).isEmpty();
      hold.set(false);
      await().atMost(DEADLINE).until(() -> applied.of("K").size() == 6);
    }
    assertThat(applied.of("K")).containsExactly(values("K", 1, 6));
  }

  @Test
  void aHeldKeyStaysHeldAfterAKill(@TempDir Path dir) throws Exception {
    broker.createTopic("ko-kill", 2);
    Path output = dir.resolve("applied.txt");
    child = start(output, "ko-kill", "ko-kill-group");
    send("ko-kill", "K", "K:1");
    send("ko-kill", "K", values("K", 2, 5));
    for (int i = 0; i < 10; i++) {
      send("ko-kill", "o" + i, "o" + i + ":1");
    }
    // the child applied every other key, and holds K:2..K:5 behind K:1 (one hold, four records)
    await().atMost(DEADLINE).until(() -> lines(output).size() == 10);
    await().atMost(DEADLINE).until(() -> Fixture.endOffsets(broker, "ko-kill.held") >= 5);
    await()
        .atMost(DEADLINE)
        .until(() -> Fixture.committed(broker, "ko-kill-group", "ko-kill") == 15);
    child.kill();
    assertThat(lines(output)).noneMatch(line -> line.startsWith("K:"));

    Applied applied = new Applied();
    ReliableConsumerConfig config =
        config("ko-kill-group", "ko-kill")
            .tiers(HoldingConsumer.TIERS)
            .maxAge(Duration.ofMinutes(10))
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(applied.handler("K:1", 0, new AtomicBoolean()))
            .build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> applied.of("K").size() == 5);
    }
    assertThat(applied.of("K")).containsExactly(values("K", 1, 5));
    assertThat(applied.values).noneMatch(v -> v.startsWith("o")); // committed before the kill
  }

  @Test
  void pastTheBoundAPartitionWhoseNextRecordWouldBeHeldWaitsAndLosesNothing() {
    broker.createTopic("ko-bound", 2);
    Applied applied = new Applied();
    AtomicBoolean hold = new AtomicBoolean(true);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReliableConsumerConfig config =
        config("ko-bound-group", "ko-bound")
            .tiers(HoldingConsumer.TIERS)
            .maxAge(Duration.ofMinutes(10))
            .maxHeldRecords(3)
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(applied.handler("K:1", 0, hold))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      sendTo("ko-bound", 0, "K", "K:1");
      await().atMost(DEADLINE).until(() -> applied.calls.containsKey("K:1"));
      sendTo("ko-bound", 0, "K", values("K", 2, 6));
      await().atMost(DEADLINE).until(() -> gauge(registry, RetryMetricNames.HELD_RECORDS) == 2.0);
      // partition 1 flows while partition 0 waits at the bound: one hold and two records
      sendTo("ko-bound", 1, "free", values("free", 1, 20));
      await().atMost(DEADLINE).until(() -> applied.of("free").size() == 20);
      assertThat(gauge(registry, RetryMetricNames.HELD_RECORDS)).isEqualTo(2.0);
      assertThat(Fixture.committed(broker, "ko-bound-group", "ko-bound") - 20)
          .as("partition 0 commits nothing past K:4, which waits uncommitted")
          .isLessThanOrEqualTo(3);
      hold.set(false);
      await().atMost(DEADLINE).until(() -> applied.of("K").size() == 6);
    }
    assertThat(applied.of("K")).containsExactly(values("K", 1, 6));
  }

  private ChildJvm start(Path output, String topic, String group) throws IOException {
    return ChildJvm.start(
        HoldingConsumer.class,
        Path.of(output + ".log"),
        broker.bootstrapServers(),
        topic,
        group,
        output.toString());
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
  }
}
