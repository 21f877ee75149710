package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Handler calls on worker threads: order per mode, the commit rule, bounds, fairness. */
@BackstopKafka
class ConcurrencyIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private final KafkaBroker broker;

  ConcurrencyIT(KafkaBroker broker) {
    this.broker = broker;
  }

  /** Stands for the handler's I/O: a database write, an HTTP call. */
  static void ioWait(long maxMicros) {
    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(maxMicros));
  }

  static void randomIoWait(long maxMicros) {
    ioWait(ThreadLocalRandom.current().nextLong(maxMicros + 1));
  }

  /** Sends {@code count} records with keys {@code k<i % keys>}, values {@code v<i>}. */
  private void sendKeyed(String topic, int count, int keys) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(topic, Fixture.bytes("k" + (i % keys)), Fixture.bytes("v" + i)));
      }
      producer.flush();
    }
  }

  private void sendTo(String topic, int partition, int count, String prefix) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, partition, Fixture.bytes(prefix + i), Fixture.bytes(prefix + i)));
      }
      producer.flush();
    }
  }

  @Test
  void callsOfOneKeyNeverOverlapAndFollowOffsetOrderWhileKeysRunInParallel() {
    broker.createTopic("keyed", 12);
    sendKeyed("keyed", 6_000, 600);
    CallLog log = new CallLog(record -> randomIoWait(10_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, "keyed-group", "keyed")
            .ordering(Ordering.KEY)
            .concurrency(64)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> log.handled().size() == 6_000);
    }
    assertThat(log.calls).hasSize(6_000);
    Map<Object, List<CallLog.Call>> byKey = log.byStart(CallLog.Call::key);
    assertThat(byKey).hasSize(600);
    byKey.forEach(
        (key, calls) -> {
          for (int i = 1; i < calls.size(); i++) {
            CallLog.Call before = calls.get(i - 1);
            CallLog.Call call = calls.get(i);
            assertThat(call.start())
                .as("key %s: call of offset %d overlaps the one before", key, call.offset())
                .isGreaterThanOrEqualTo(before.end());
            assertThat(call.offset())
                .as("key %s in offset order", key)
                .isGreaterThan(before.offset());
          }
        });
    int peak = 0;
    for (int p = 0; p < 12; p++) {
      peak = Math.max(peak, log.peakInFlight(p));
    }
    assertThat(peak).as("different keys of a partition ran at the same time").isGreaterThan(1);
  }

  @Test
  void partitionOrderRunsOneCallOfAPartitionAtATime() {
    broker.createTopic("by-partition", 4);
    sendKeyed("by-partition", 400, 400);
    CallLog log = new CallLog(record -> randomIoWait(2_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, "by-partition-group", "by-partition")
            .ordering(Ordering.PARTITION)
            .concurrency(16)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> log.handled().size() == 400);
    }
    log.byStart(CallLog.Call::partition)
        .forEach(
            (partition, calls) -> {
              for (int i = 1; i < calls.size(); i++) {
                assertThat(calls.get(i).start()).isGreaterThanOrEqualTo(calls.get(i - 1).end());
                assertThat(calls.get(i).offset()).isGreaterThan(calls.get(i - 1).offset());
              }
            });
    for (int p = 0; p < 4; p++) {
      assertThat(log.peakInFlight(p)).isEqualTo(1);
    }
  }

  @Test
  void unorderedRunsSeveralCallsOfOnePartitionAtOnce() {
    broker.createTopic("unordered", 1);
    sendKeyed("unordered", 200, 1);
    CallLog log = new CallLog(record -> ioWait(5_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, "unordered-group", "unordered")
            .ordering(Ordering.UNORDERED)
            .concurrency(16)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> log.handled().size() == 200);
    }
    assertThat(log.peakInFlight(0)).as("one key, one partition, yet in parallel").isGreaterThan(1);
  }

  @Test
  void keylessRecordsRunInParallelUnderKeyOrder() {
    broker.createTopic("keyless", 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>("keyless", 0, null, Fixture.bytes("v" + i)));
      }
      producer.flush();
    }
    CallLog log = new CallLog(record -> ioWait(5_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, "keyless-group", "keyless").concurrency(8).build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> log.handled().size() == 100);
    }
    assertThat(log.peakInFlight(0)).isGreaterThan(1);
  }

  @Test
  void aCallLongerThanTheMaxPollIntervalCausesNoRebalanceAndOtherKeysGoOn() throws Exception {
    broker.createTopic("long-call", 2);
    CountDownLatch never = new CountDownLatch(1);
    CallLog log =
        new CallLog(
            record -> {
              if (Fixture.text(record.value()).equals("slow")) {
                assertThat(never.await(15, TimeUnit.SECONDS)).isFalse(); // a 15 s call
              }
            });
    ReliableConsumerConfig config =
        Fixture.config(broker, "long-call-group", "long-call")
            .kafka(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 10_000)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
        producer
            .send(new ProducerRecord<>("long-call", 0, Fixture.bytes("s"), Fixture.bytes("slow")))
            .get();
      }
      await().atMost(DEADLINE).until(() -> Fixture.members(broker, "long-call-group").size() == 1);
      Set<String> before = memberIds("long-call-group");
      sendTo("long-call", 0, 50, "fast-a");
      sendTo("long-call", 1, 50, "fast-b");
      await().atMost(DEADLINE).until(() -> log.calls.size() == 101);
      assertThat(memberIds("long-call-group")).as("no rebalance").isEqualTo(before);
      CallLog.Call slow =
          log.calls.stream().filter(c -> c.key().equals("s")).findFirst().orElseThrow();
      assertThat(log.calls.stream().filter(c -> !c.key().equals("s")))
          .as("other keys, of the same partition too, finished while the slow call ran")
          .allSatisfy(c -> assertThat(c.end()).isLessThan(slow.end()));
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "long-call-group", "long-call") == 101);
    }
    assertThat(log.calls).as("nothing handled twice").hasSize(101);
  }

  private Set<String> memberIds(String group) {
    return Fixture.members(broker, group).stream()
        .map(MemberDescription::consumerId)
        .collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(classes = {CooperativeStickyAssignor.class, RangeAssignor.class})
  void aSecondInstanceJoiningAndLeavingUnderLoadLosesNothingAndKeepsKeyOrder(Class<?> assignor)
      throws Exception {
    String topic = "scale-" + assignor.getSimpleName();
    String group = topic + "-group";
    broker.createTopic(topic, 6);
    CallLog log = new CallLog(record -> randomIoWait(2_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, group, topic)
            .concurrency(16)
            .kafka(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName())
            .build();
    int total = 6_000;
    AtomicInteger sent = new AtomicInteger();
    Thread producing =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer =
                  new KafkaProducer<>(broker.producerConfig())) {
                for (int i = 0; i < total; i++) {
                  producer.send(
                      new ProducerRecord<>(
                          topic, Fixture.bytes("k" + (i % 300)), Fixture.bytes("v" + i)));
                  if (i % 100 == 99) {
                    producer.flush();
                    sent.set(i + 1);
                    ioWait(20_000); // a steady stream, not one burst
                  }
                }
                producer.flush();
                sent.set(total);
              }
            },
            "producer");
    try (ReliableConsumer first = ReliableConsumer.builder(config).handler(log).build()) {
      first.start();
      producing.start();
      await().atMost(DEADLINE).until(() -> log.calls.size() > total / 5);
      try (ReliableConsumer second = ReliableConsumer.builder(config).handler(log).build()) {
        second.start();
        await().atMost(DEADLINE).until(() -> Fixture.members(broker, group).size() == 2);
        int atJoin = log.calls.size();
        await().atMost(DEADLINE).until(() -> log.calls.size() > atJoin + total / 5);
      }
      producing.join(DEADLINE.toMillis());
      await().atMost(DEADLINE).until(() -> log.handled().size() == total);
      await().atMost(DEADLINE).until(() -> Fixture.committed(broker, group, topic) == total);
    }
    Map<Object, List<CallLog.Call>> byKey = log.byStart(c -> c.partition() + "/" + c.key());
    byKey.forEach(
        (key, calls) -> {
          Set<Long> seen = new HashSet<>();
          long last = -1;
          for (CallLog.Call call : calls) {
            if (seen.add(call.offset())) {
              assertThat(call.offset())
                  .as("first handlings of %s in offset order", key)
                  .isGreaterThan(last);
              last = call.offset();
            }
          }
        });
  }

  @Test
  void aPartitionsBacklogDoesNotStarveTheOthers() {
    broker.createTopic("fair", 6);
    sendTo("fair", 0, 20_000, "backlog");
    AtomicInteger backlogDone = new AtomicInteger();
    List<Integer> backlogDoneWhenTrickleHandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    CallLog log =
        new CallLog(
            record -> {
              if (record.partition() == 0) {
                ioWait(500);
                backlogDone.incrementAndGet();
              } else {
                backlogDoneWhenTrickleHandled.add(backlogDone.get());
              }
            });
    ReliableConsumerConfig config =
        Fixture.config(broker, "fair-group", "fair").concurrency(2).build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(log).build()) {
      consumer.start();
      await().atMost(DEADLINE).until(() -> backlogDone.get() >= 1_000);
      for (int p = 1; p < 6; p++) {
        sendTo("fair", p, 10, "trickle" + p + "-");
      }
      await().atMost(DEADLINE).until(() -> backlogDoneWhenTrickleHandled.size() == 50);
      await().atMost(DEADLINE).until(() -> backlogDone.get() == 20_000);
    }
    assertThat(backlogDoneWhenTrickleHandled)
        .as("every trickle record was handled before the backlog drained")
        .allSatisfy(done -> assertThat(done).isLessThan(20_000));
  }

  @Test
  void bufferedRecordsNeverExceedTheBoundAndPartitionsResume() throws Exception {
    broker.createTopic("bounded", 3);
    byte[] kib = new byte[1024];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < 6_000; i++) {
        producer.send(new ProducerRecord<>("bounded", Fixture.bytes("k" + i), kib));
      }
      producer.flush();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CallLog log = new CallLog(record -> ioWait(2_000));
    ReliableConsumerConfig config =
        Fixture.config(broker, "bounded-group", "bounded")
            .concurrency(4)
            .maxBufferedRecords(600)
            .kafka(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100)
            .build();
    List<Double> samples = new ArrayList<>();
    AtomicBoolean sampling = new AtomicBoolean(true);
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(log)
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      Gauge buffered =
          registry
              .get(RetryMetricNames.BUFFERED)
              .tag(RetryMetricNames.TAG_CONSUMER, "main")
              .gauge();
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  synchronized (samples) {
                    samples.add(buffered.value());
                  }
                  ioWait(1_000);
                }
              });
      sampler.start();
      await().atMost(DEADLINE).until(() -> log.handled().size() == 6_000);
      sampling.set(false);
      sampler.join();
    }
    synchronized (samples) {
      assertThat(samples).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(600.0));
      assertThat(samples.stream().mapToDouble(Double::doubleValue).max().orElse(0))
          .as("the buffer filled up to the bound, so the partitions were paused")
          .isGreaterThanOrEqualTo(500.0);
    }
  }
}
