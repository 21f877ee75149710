package dev.backstop.retry;

import static dev.backstop.retry.Fixture.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.BackstopProperties;
import dev.backstop.core.DuplicateSignal;
import dev.backstop.core.Health;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@BackstopKafka
class ReliableConsumerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KafkaBroker broker;

  ReliableConsumerIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void recordThatFailsTwiceIsProcessedOnceAfterTheTierDelaysWithAttemptThree() {
    broker.createTopic("twice", 2);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(2);
    ReliableConsumerConfig config =
        Fixture.config(broker, "twice-group", "twice")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(2))
            .build();
    List<String> ids;
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      ids = Fixture.send(broker, "twice", List.of("a", "b"));
      await().atMost(DEADLINE).until(() -> handler.successes.size() == 2);
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "twice-group.retry.2s", "twice.retry.2s") == 2);
    }
    for (String id : ids) {
      Recorder.Success success =
          handler.successes.stream()
              .filter(s -> s.messageId().equals(id))
              .findFirst()
              .orElseThrow();
      assertThat(handler.callsOf(id)).isEqualTo(3);
      assertThat(success.attempt()).isEqualTo(3);
      assertThat(success.topic()).isEqualTo("twice.retry.2s");
      assertThat(success.atMillis() - handler.firstCallAt.get(id)).isGreaterThanOrEqualTo(3000);
    }
    assertThat(handler.successes).hasSize(2);
    assertThat(Fixture.committed(broker, "twice-group", "twice")).isEqualTo(2);
    assertThat(Fixture.endOffsets(broker, "twice.dlq")).isZero();
  }

  @Test
  void alwaysFailingRecordsEndInTheDlqOnceWithEveryHeaderOfTheContract() {
    broker.createTopic("always", 3);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(Integer.MAX_VALUE);
    ReliableConsumerConfig config =
        Fixture.config(broker, "always-group", "always")
            .tiers(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1))
            .circuitEnabled(false)
            .build();
    List<String> ids;
    List<ConsumerRecord<byte[], byte[]>> dead;
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      ids = Fixture.send(broker, "always", List.of("a", "b", "c", "d"));
      dead = broker.readAll("always.dlq", 4, DEADLINE);
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "always-group.retry.1s", "always.retry.1s") == 4);
    }
    assertThat(Fixture.endOffsets(broker, "always.dlq")).isEqualTo(4);
    assertThat(dead)
        .extracting(r -> header(r, BackstopHeaders.MESSAGE_ID))
        .containsExactlyInAnyOrderElementsOf(ids);
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      String id = header(record, BackstopHeaders.MESSAGE_ID);
      assertThat(handler.callsOf(id)).isEqualTo(4);
      assertThat(header(record, BackstopHeaders.ATTEMPT)).isEqualTo("4");
      assertThat(header(record, BackstopHeaders.RETRY_TIER)).isEqualTo("3");
      assertThat(header(record, BackstopHeaders.ORIGINAL_TOPIC)).isEqualTo("always");
      assertThat(header(record, BackstopHeaders.CONSUMER_GROUP)).isEqualTo("always-group");
      assertThat(header(record, BackstopHeaders.ERROR_CLASS))
          .isEqualTo("java.lang.IllegalStateException");
      assertThat(header(record, BackstopHeaders.ERROR_MESSAGE)).isEqualTo("transient failure 4");
      assertThat(header(record, BackstopHeaders.ERROR_STACKTRACE)).contains("Recorder");
      assertThat(header(record, BackstopHeaders.TRACEPARENT)).startsWith("00-");
      assertThat(Long.parseLong(header(record, BackstopHeaders.FIRST_FAILED_AT)))
          .isLessThanOrEqualTo(Long.parseLong(header(record, BackstopHeaders.FAILED_AT)));
      for (String name :
          List.of(
              BackstopHeaders.CREATED_AT,
              BackstopHeaders.ORIGINAL_PARTITION,
              BackstopHeaders.ORIGINAL_OFFSET,
              BackstopHeaders.ORIGINAL_TIMESTAMP,
              BackstopHeaders.ERROR_FINGERPRINT,
              BackstopHeaders.RETRY_DUE_AT)) {
        assertThat(header(record, name)).as(name).isNotBlank();
      }
      assertThat(record.headers().toArray())
          .as("one value per header name")
          .extracting(h -> h.key())
          .doesNotHaveDuplicates();
      assertThat(record.key()).isNotNull();
    }
    assertThat(Fixture.committed(broker, "always-group", "always")).isEqualTo(4);
  }

  @Test
  void rulesDeadLetterSkipOrRetryThroughTheirOwnTiers() {
    broker.createTopic("rules", 1);
    Recorder<String, String> handler =
        new Recorder<>(
            (record, previous) ->
                switch (record.value()) {
                  case "invalid" -> new IllegalArgumentException("invalid order");
                  case "stale" -> new UnsupportedOperationException("stale event");
                  case "throttled" -> previous == 0 ? new ArithmeticException("throttled") : null;
                  default -> null;
                });
    ReliableConsumerConfig config =
        Fixture.config(broker, "rules-group", "rules")
            .tiers(Duration.ofSeconds(1))
            .deadLetterOn(IllegalArgumentException.class.getName())
            .build();
    AtomicInteger skipped = new AtomicInteger();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new StringDeserializer())
            .handler(handler)
            .rule(ErrorRule.on(UnsupportedOperationException.class, Action.SKIP))
            .rule(ErrorRule.retry(ArithmeticException.class, Duration.ofSeconds(2)))
            .listener(
                new RetryListener() {
                  @Override
                  public void onSkip(ConsumerRecord<byte[], byte[]> record, Throwable error) {
                    skipped.incrementAndGet();
                  }
                })
            .build()) {
      consumer.start();
      Fixture.send(broker, "rules", List.of("invalid", "stale", "fine", "throttled"));
      List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll("rules.dlq", 1, DEADLINE);
      await().atMost(DEADLINE).until(() -> Fixture.committed(broker, "rules-group", "rules") == 4);
      await().atMost(DEADLINE).until(() -> handler.successes.size() == 2);
      assertThat(Fixture.text(dead.get(0).value())).isEqualTo("invalid");
      assertThat(header(dead.get(0), BackstopHeaders.ATTEMPT)).isEqualTo("1");
      assertThat(header(dead.get(0), BackstopHeaders.ERROR_CLASS))
          .isEqualTo("java.lang.IllegalArgumentException");
    }
    assertThat(skipped.get()).isEqualTo(1);
    assertThat(Fixture.endOffsets(broker, "rules.dlq")).isEqualTo(1);
    assertThat(Fixture.endOffsets(broker, "rules.retry.1s")).isZero();
    assertThat(handler.successes)
        .extracting(Recorder.Success::topic)
        .containsExactlyInAnyOrder("rules", "rules.retry.2s");
    assertThat(handler.calls.values().stream().mapToInt(AtomicInteger::get).sum())
        .as("one call each, two for the throttled record")
        .isEqualTo(5);
  }

  @Test
  void bytesTheDeserializerRejectsLandInTheDlqRawAndConsumptionGoesOn() {
    broker.createTopic("poison", 1);
    Recorder<String, Integer> handler = Recorder.failingFirst(0);
    ReliableConsumerConfig config =
        Fixture.config(broker, "poison-group", "poison").tiers(Duration.ofSeconds(1)).build();
    byte[] poison = Fixture.bytes("not-an-int");
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new IntegerDeserializer())
            .handler(handler)
            .build()) {
      consumer.start();
      Fixture.sendRaw(broker, "poison", poison);
      Fixture.sendRaw(broker, "poison", new byte[] {0, 0, 0, 7});
      Fixture.sendRaw(broker, "poison", new byte[] {0, 0, 0, 8});
      List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll("poison.dlq", 1, DEADLINE);
      await().atMost(DEADLINE).until(() -> handler.successes.size() == 2);
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "poison-group", "poison") == 3);
      assertThat(dead.get(0).value()).isEqualTo(poison);
      assertThat(Fixture.text(dead.get(0).key())).isEqualTo("raw");
      assertThat(header(dead.get(0), BackstopHeaders.ERROR_CLASS))
          .isEqualTo(PoisonRecordException.class.getName());
      assertThat(header(dead.get(0), BackstopHeaders.ERROR_MESSAGE)).contains("poison/0/0");
      assertThat(header(dead.get(0), BackstopHeaders.MESSAGE_ID)).isNotBlank();
      assertThat(consumer.health().status()).isEqualTo(Health.Status.UP);
    }
  }

  @Test
  void aSkippedDuplicateIsCountedAsDuplicateNotAsProcessed() {
    broker.createTopic("dups", 1);
    List<String> handled = new CopyOnWriteArrayList<>();
    ReliableConsumerConfig config = Fixture.config(broker, "dups-group", "dups").build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  String value =
                      new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                  if (value.startsWith("dup")) {
                    DuplicateSignal.raise(); // as the idempotent handler does when it skips
                  }
                  handled.add(value);
                })
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      Fixture.send(broker, "dups", List.of("a", "dup-a", "b", "dup-b", "dup-c", "c"));
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  registry.find("backstop.consumer.processed").counter() != null
                      && registry.find("backstop.consumer.duplicates").counter() != null
                      && registry.get("backstop.consumer.processed").counter().count()
                              + registry.get("backstop.consumer.duplicates").counter().count()
                          == 6);
      assertThat(handled).hasSize(6);
      assertThat(registry.get("backstop.consumer.processed").tag("topic", "dups").counter().count())
          .isEqualTo(3);
      assertThat(
              registry.get("backstop.consumer.duplicates").tag("topic", "dups").counter().count())
          .isEqualTo(3);
      assertThat(registry.get("backstop.consumer.end-to-end.latency").timer().count())
          .as("duplicates are old messages seen again: no end-to-end sample")
          .isEqualTo(3);
    }
  }

  @Test
  void thousandRecordsThroughAOneSecondTierAreNeverHandledBeforeDue() {
    broker.createTopic("many", 4);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "many-group", "many")
            .tiers(Duration.ofSeconds(1))
            .jitter(0)
            .circuitEnabled(false)
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(handler)
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      Fixture.send(broker, "many", Collections.nCopies(1000, "x"));
      await().atMost(DEADLINE).until(() -> handler.successes.size() == 1000);
      // a forward is counted when its acknowledgement reaches the main loop, which can be after
      // the tier handled the record
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  registry.find("backstop.consumer.retried").tag("tier", "many.retry.1s").counter()
                          != null
                      && registry
                              .get("backstop.consumer.retried")
                              .tag("tier", "many.retry.1s")
                              .counter()
                              .count()
                          >= 1000);
      assertThat(registry.get("backstop.consumer.circuit.state").gauge().value()).isZero();
    }
    assertThat(registry.find("backstop.consumer.circuit.state").gauge())
        .as("a closed consumer takes its circuit gauge with it")
        .isNull();
    assertThat(
            registry
                .get("backstop.consumer.retried")
                .tag("tier", "many.retry.1s")
                .counter()
                .count())
        .isEqualTo(1000);
    assertThat(registry.get("backstop.consumer.failed").tag("topic", "many").counter().count())
        .isEqualTo(1000);
    assertThat(
            registry
                .get("backstop.consumer.processed")
                .tag("topic", "many.retry.1s")
                .counter()
                .count())
        .isEqualTo(1000);
    assertThat(registry.get("backstop.consumer.delay.lateness").timer().count()).isEqualTo(1000);
    assertThat(registry.get("backstop.consumer.end-to-end.latency").timer().count())
        .isEqualTo(1000);
    List<Long> lateness =
        handler.successes.stream().map(s -> s.atMillis() - s.dueAtMillis()).sorted().toList();
    System.out.printf(
        "1s tier, 1000 records: lateness p50 %d ms, p99 %d ms, max %d ms%n",
        Fixture.percentile(lateness, 50),
        Fixture.percentile(lateness, 99),
        lateness.get(lateness.size() - 1));
    assertThat(lateness).allSatisfy(late -> assertThat(late).isGreaterThanOrEqualTo(0));
    assertThat(handler.successes).allSatisfy(s -> assertThat(s.topic()).isEqualTo("many.retry.1s"));
  }

  @Test
  void aConsumerBuiltAfterAClosedOneOnTheSameRegistryReportsItsOwnCircuitState() {
    broker.createTopic("gauge", 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReliableConsumerConfig config =
        Fixture.config(broker, "gauge-group", "gauge")
            .tiers(Duration.ofMinutes(10))
            .circuit(50, 4, 2, Duration.ofMinutes(10))
            .build();
    try (ReliableConsumer first =
        ReliableConsumer.builder(config)
            .handler(Recorder.failingFirst(0))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      first.start();
      assertThat(registry.get(RetryMetricNames.CIRCUIT_STATE).gauge().value()).isZero();
    }
    assertThat(registry.find(RetryMetricNames.CIRCUIT_STATE).gauge())
        .as("the closed consumer's gauge is gone")
        .isNull();
    try (ReliableConsumer second =
        ReliableConsumer.builder(config)
            .handler(Recorder.failingFirst(Integer.MAX_VALUE))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      second.start();
      Fixture.send(broker, "gauge", List.of("a", "b", "c", "d"));
      await()
          .atMost(DEADLINE)
          .until(() -> second.health().details().get("circuit").toString().equals("OPEN"));
      assertThat(
              registry
                  .get(RetryMetricNames.CIRCUIT_STATE)
                  .tag(RetryMetricNames.TAG_GROUP, "gauge-group")
                  .gauge()
                  .value())
          .as("the gauge reads the open circuit of the second consumer")
          .isEqualTo(2.0);
    }
  }

  @Test
  void crashBetweenForwardAndCommitLosesNothingAndDuplicatesKeepTheirMessageId() {
    broker.createTopic("crash", 1);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) ->
                record.topic().equals("crash")
                    ? new IllegalStateException("fails on the source")
                    : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "crash-group", "crash")
            .tiers(Duration.ofSeconds(1))
            .circuitEnabled(false)
            .build();
    AtomicInteger forwards = new AtomicInteger();
    ReliableConsumer first =
        ReliableConsumer.builder(config)
            .handler(handler)
            .listener(
                new RetryListener() {
                  @Override
                  public void onRetry(
                      ConsumerRecord<byte[], byte[]> record, String tier, Throwable error) {
                    if (forwards.incrementAndGet() == 3) {
                      throw new SimulatedCrash();
                    }
                  }
                })
            .build();
    first.start();
    List<String> ids = Fixture.send(broker, "crash", Collections.nCopies(10, "x"));
    Fixture.sendRaw(broker, "crash", Fixture.bytes("no message id"));
    await().atMost(DEADLINE).until(() -> first.health().status() == Health.Status.DOWN);
    first.close();
    assertThat(Fixture.committed(broker, "crash-group", "crash")).isLessThan(3);

    try (ReliableConsumer second = ReliableConsumer.builder(config).handler(handler).build()) {
      second.start();
      await()
          .atMost(DEADLINE)
          .until(
              () -> handler.succeededIds().containsAll(ids) && handler.succeededIds().size() == 11);
      await().atMost(DEADLINE).until(() -> Fixture.committed(broker, "crash-group", "crash") == 11);
    }
    List<ConsumerRecord<byte[], byte[]>> tier = broker.readToEnd("crash.retry.1s", DEADLINE);
    Map<String, Set<String>> idsByOffset =
        tier.stream()
            .collect(
                Collectors.groupingBy(
                    r -> header(r, BackstopHeaders.ORIGINAL_OFFSET),
                    Collectors.mapping(
                        r -> header(r, BackstopHeaders.MESSAGE_ID), Collectors.toSet())));
    assertThat(idsByOffset).hasSize(11);
    assertThat(idsByOffset.values()).allSatisfy(set -> assertThat(set).hasSize(1));
    assertThat(tier.size()).as("the forwards before the crash were sent again").isGreaterThan(11);
    assertThat(Fixture.endOffsets(broker, "crash.dlq")).isZero();
  }

  @Test
  void freshRecordsAreHandledWhileTenThousandWaitInATier() {
    broker.createTopic("busy", 4);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) ->
                Fixture.text(record.value()).startsWith("slow")
                    ? new IllegalStateException("later")
                    : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "busy-group", "busy")
            .tiers(Duration.ofMinutes(10))
            .circuitEnabled(false)
            .build();
    AtomicInteger forwarded = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(handler)
            .listener(Fixture.countingRetries(forwarded))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      Fixture.send(broker, "busy", Collections.nCopies(10_000, "slow"));
      await().atMost(DEADLINE).until(() -> forwarded.get() == 10_000);
      Gauge tierBuffered =
          registry
              .get(RetryMetricNames.BUFFERED)
              .tag(RetryMetricNames.TAG_CONSUMER, "retry-10m")
              .gauge();
      await().atMost(DEADLINE).until(() -> tierBuffered.value() > 0);
      List<String> fresh = Fixture.send(broker, "busy", Collections.nCopies(50, "fresh"));
      await().atMost(DEADLINE).until(() -> handler.succeededIds().containsAll(fresh));
      assertThat(tierBuffered.value())
          .as("the tier still holds its records while fresh ones are handled")
          .isGreaterThan(0);
      assertThat(handler.successCount(s -> s.topic().equals("busy.retry.10m"))).isZero();
      assertThat(Fixture.committed(broker, "busy-group.retry.10m", "busy.retry.10m")).isZero();
    }
  }

  @Test
  void rebalanceWhileRecordsWaitInATierProcessesEachOnce() {
    broker.createTopic("moving", 4);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "moving-group", "moving")
            .tiers(Duration.ofSeconds(5))
            .circuitEnabled(false)
            .build();
    AtomicInteger forwarded = new AtomicInteger();
    RetryListener counting = Fixture.countingRetries(forwarded);
    try (ReliableConsumer first =
        ReliableConsumer.builder(config).handler(handler).listener(counting).build()) {
      first.start();
      List<String> ids = Fixture.send(broker, "moving", Collections.nCopies(40, "x"));
      await().atMost(DEADLINE).until(() -> forwarded.get() == 40);
      try (ReliableConsumer second =
          ReliableConsumer.builder(config).handler(handler).listener(counting).build()) {
        second.start();
        await().atMost(DEADLINE).until(() -> members(broker, "moving-group.retry.5s") == 2);
      }
      await().atMost(DEADLINE).until(() -> members(broker, "moving-group.retry.5s") == 1);
      await().atMost(DEADLINE).until(() -> handler.succeededIds().containsAll(ids));
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "moving-group.retry.5s", "moving.retry.5s") == 40);
    }
    assertThat(handler.successes).hasSize(40);
    assertThat(handler.successes).allSatisfy(s -> assertThat(s.attempt()).isEqualTo(2));
    assertThat(Fixture.endOffsets(broker, "moving.retry.5s")).isEqualTo(40);
  }

  @Test
  void startFailsWithEveryTopicProblemWhenCreationIsOff() {
    broker.createTopic("unfit", 3);
    broker.createTopic("unfit.retry.1s", 1);
    broker.createTopic("unfit.retry.1m", 3, Map.of("retention.ms", "30000"));
    ReliableConsumerConfig config =
        Fixture.config(broker, "unfit-group", "unfit")
            .tiers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5))
            .createTopics(false)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(r -> {}).build()) {
      assertThatThrownBy(consumer::start)
          .isInstanceOfSatisfying(
              TopicProvisioningException.class,
              e ->
                  assertThat(e.problems())
                      .containsExactlyInAnyOrder(
                          "Topic unfit.retry.5m (tier 5m of unfit) does not exist: create it with at least 3 partitions, or set backstop.retry.create-topics=true",
                          "Topic unfit.dlq (dead letters of unfit) does not exist: create it with at least 3 partitions, or set backstop.retry.create-topics=true",
                          "Topic unfit.retry.1s (tier 1s of unfit) has 1 partitions, fewer than the 3 of its source",
                          "Topic unfit.retry.1m keeps records 30000 ms (retention.ms), not longer than its delay 1m"));
    }
  }

  @Test
  void refusedForwardStaysUncommittedAndGoesThroughOnceTheBrokerTakesIt() throws Exception {
    broker.createTopic("refused", 1);
    broker.createTopic("refused.dlq", 1, Map.of("max.message.bytes", "1000"));
    Recorder<String, String> handler =
        new Recorder<>(
            (record, previous) ->
                record.value().equals("bad") ? new IllegalArgumentException("bad order") : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "refused-group", "refused")
            .tiers(Duration.ofSeconds(1))
            .deadLetterOn(IllegalArgumentException.class.getName())
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new StringDeserializer())
            .handler(handler)
            .build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "refused", List.of("bad", "good"));
      await()
          .atMost(DEADLINE)
          .until(() -> consumer.health().detail().contains("RecordTooLargeException"));
      assertThat(consumer.health().status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(Fixture.committed(broker, "refused-group", "refused")).isZero();
      assertThat(Fixture.endOffsets(broker, "refused.dlq")).isZero();

      ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, "refused.dlq");
      broker
          .admin()
          .incrementalAlterConfigs(
              Map.of(
                  dlq,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "1048576"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(10, TimeUnit.SECONDS);

      List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll("refused.dlq", 1, DEADLINE);
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "refused-group", "refused") == 2);
      await().atMost(DEADLINE).until(() -> consumer.health().status() == Health.Status.UP);
      assertThat(header(dead.get(0), BackstopHeaders.MESSAGE_ID)).isEqualTo(ids.get(0));
      assertThat(handler.succeededIds()).contains(ids.get(1));
    }
    assertThat(Fixture.endOffsets(broker, "refused.dlq")).isEqualTo(1);
  }

  @Test
  void inPlaceAttemptsRecoverWithoutLeavingThePartition() {
    broker.createTopic("quick", 1);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(2);
    ReliableConsumerConfig config =
        Fixture.config(broker, "quick-group", "quick")
            .tiers(Duration.ofSeconds(1))
            .inPlaceAttempts(2, Duration.ofMillis(20))
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      Fixture.send(broker, "quick", List.of("a"));
      await().atMost(DEADLINE).until(() -> Fixture.committed(broker, "quick-group", "quick") == 1);
    }
    assertThat(handler.successes)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.topic()).isEqualTo("quick");
              assertThat(s.attempt()).isEqualTo(1);
            });
    assertThat(Fixture.endOffsets(broker, "quick.retry.1s")).isZero();
  }

  @Test
  void closeLetsTheInFlightRecordFinishAndLosesNothing() throws Exception {
    broker.createTopic("closing", 1);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) -> {
              if (Fixture.text(record.value()).equals("slow") && previous == 0) {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
              }
              return null;
            });
    ReliableConsumerConfig config =
        Fixture.config(broker, "closing-group", "closing").tiers(Duration.ofSeconds(1)).build();
    ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build();
    consumer.start();
    List<String> ids = Fixture.send(broker, "closing", List.of("slow", "next", "last"));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(consumer::close);
    closer.start();
    release.countDown();
    closer.join(30_000);
    assertThat(consumer.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(Fixture.committed(broker, "closing-group", "closing")).isGreaterThanOrEqualTo(1);

    try (ReliableConsumer again = ReliableConsumer.builder(config).handler(handler).build()) {
      again.start();
      await().atMost(DEADLINE).until(() -> handler.succeededIds().containsAll(ids));
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "closing-group", "closing") == 3);
    }
    assertThat(handler.callsOf(ids.get(0)))
        .as("the finished record was committed on close")
        .isEqualTo(1);
  }

  /** What the example's handler rejects for good. */
  static final class InvalidOrderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidOrderException(String message) {
      super(message);
    }
  }

  private final List<String> charged = new CopyOnWriteArrayList<>();

  private void charge(String order) {
    if (order.isBlank()) {
      throw new InvalidOrderException("empty order");
    }
    charged.add(order);
  }

  @Test
  void quickStartFromTheDocs(@TempDir Path dir) throws IOException {
    broker.createTopic("orders", 3);
    Path file = dir.resolve("payments.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "backstop.consumer.group-id=payments",
            "backstop.consumer.topics=orders",
            "backstop.retry.tiers=1s,30s,10m",
            "backstop.retry.create-topics=true",
            "kafka.bootstrap.servers=${KAFKA:localhost:9092}"));
    Map<String, String> env = Map.of("KAFKA", broker.bootstrapServers());

    // quick start
    ReliableConsumerConfig config = ReliableConsumerConfig.from(BackstopProperties.load(file, env));
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new StringDeserializer())
            .handler(record -> charge(record.value()))
            .rule(ErrorRule.on(InvalidOrderException.class, Action.DEAD_LETTER))
            .build()) {
      consumer.start();
      // ... until the service stops; close() finishes in-flight records and commits
      // end of quick start
      Fixture.send(broker, "orders", List.of("order-1", " ", "order-2"));
      assertThat(broker.readAll("orders.dlq", 1, Duration.ofSeconds(30))).hasSize(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> charged.size() == 2);
    }
    assertThat(charged).containsExactlyInAnyOrder("order-1", "order-2");
  }

  private static int members(KafkaBroker broker, String group) {
    try {
      return broker
          .admin()
          .describeConsumerGroups(List.of(group))
          .all()
          .get()
          .get(group)
          .members()
          .stream()
          .mapToInt(m -> m.assignment().topicPartitions().isEmpty() ? 0 : 1)
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Thrown by a listener to stop a consumer the way a crash would: nothing more is committed. */
  private static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash between forward and commit");
    }
  }
}
