package dev.backstop.benchmarks.outbox;

import static dev.backstop.benchmarks.outbox.OutboxBench.PARTITIONS;
import static dev.backstop.benchmarks.outbox.OutboxBench.config;
import static dev.backstop.benchmarks.outbox.OutboxBench.print;
import static dev.backstop.benchmarks.outbox.OutboxBench.utf8;

import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Latency at a fixed rate (500 msg/s), one message per transaction: commit to broker ack (at the
 * relay's producer, through {@link AckTimes}) and commit to consumer received, beside a plain
 * {@code KafkaProducer} in the same run, on the test kit's in-JVM broker and the resolved database.
 *
 * <p>Arguments: {@code [seconds] [database]} (defaults 20 postgresql; the database is {@code
 * postgresql} or {@code mariadb}).
 */
public final class LatencyBenchmark {

  private LatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    OutboxBench.run(args, 1, (broker, db, a) -> latency(broker, db, a.number(0, 20), 500));
  }

  /** One message at a fixed rate; returns the id of the message sent. */
  private interface Sender {
    String send(int index) throws Exception;
  }

  /** Latency rounds: the outbox and the plain producer take turns, so both see the same machine. */
  private static final int ROUNDS = 4;

  /** Seconds sent before the first round's timing starts, so JIT compilation is not measured. */
  private static final int WARM_UP_SECONDS = 5;

  /** Seconds sent untimed at the start of every later segment (a new topic's metadata). */
  private static final int SEGMENT_WARM_UP_SECONDS = 1;

  /** A commit time that marks a warm-up message: received, not timed. */
  private static final long WARM_UP = -1L;

  /** Commit (or send) to producer ack, and to consumer received. */
  private record Timings(Histogram acks, Histogram received) {
    Timings() {
      this(new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3));
    }
  }

  private static void latency(KafkaBroker broker, TestDatabase db, int seconds, int rate)
      throws Exception {
    OutboxConfig config =
        config(broker, "lat_")
            .kafka(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName())
            .build();
    Map<String, Object> settings = broker.producerConfig();
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckTimes.class.getName());
    byte[] value = new byte[100];
    Timings outboxTimings = new Timings();
    Timings plainTimings = new Timings();
    int segment = Math.max(1, seconds / ROUNDS);
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Connection connection = db.dataSource().getConnection();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      outbox.startRelay();
      connection.setAutoCommit(false);
      for (int round = 0; round < ROUNDS; round++) {
        int warmUp = round == 0 ? WARM_UP_SECONDS : SEGMENT_WARM_UP_SECONDS;
        String topic = "latency-" + round;
        paced(
            broker,
            topic,
            warmUp,
            segment,
            rate,
            outboxTimings,
            i -> {
              String id =
                  outbox
                      .send(connection, OutboxMessage.of(topic, "k" + (i % 100), value))
                      .toString();
              connection.commit();
              outbox.wakeUp();
              return id;
            });
        String plainTopic = "latency-plain-" + round;
        paced(
            broker,
            plainTopic,
            warmUp,
            segment,
            rate,
            plainTimings,
            i -> {
              String id = MessageId.generate().toString();
              producer.send(
                  new ProducerRecord<>(
                      plainTopic,
                      null,
                      null,
                      utf8("k" + (i % 100)),
                      value,
                      List.of(new RecordHeader("backstop.message-id", utf8(id)))));
              return id;
            });
      }
    }
    String outboxLabel = "outbox, one message per transaction, commit";
    String plainLabel = "baseline, plain KafkaProducer (linger.ms=2), send";
    printLatency(rate, outboxLabel, "broker ack at the producer", outboxTimings.acks());
    printLatency(rate, outboxLabel, "consumer received", outboxTimings.received());
    printLatency(rate, plainLabel, "broker ack at the producer", plainTimings.acks());
    printLatency(rate, plainLabel, "consumer received", plainTimings.received());
  }

  /**
   * Sends at {@code rate} for {@code warmUpSeconds} untimed, then for {@code seconds}; a consumer
   * times each message from its send to its ack at the producer and to its arrival at the consumer,
   * into {@code timings}.
   */
  private static void paced(
      KafkaBroker broker,
      String topic,
      int warmUpSeconds,
      int seconds,
      int rate,
      Timings timings,
      Sender sender)
      throws Exception {
    broker.createTopic(topic, PARTITIONS);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicBoolean consuming = new AtomicBoolean(true);
    int total = seconds * rate;
    int warmUp = warmUpSeconds * rate;
    long timedBefore = timings.received().getTotalCount();
    Thread consumer =
        new Thread(
            () ->
                consume(
                    broker,
                    topic,
                    sentAt,
                    timings.acks(),
                    timings.received(),
                    consuming,
                    timedBefore + total));
    consumer.start();
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < warmUp + total; i++) {
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String id = sender.send(i);
      sentAt.put(id, i < warmUp ? WARM_UP : System.nanoTime());
    }
    consumer.join(60_000);
    consuming.set(false);
  }

  private static void printLatency(int rate, String label, String until, Histogram histogram) {
    print(
        String.format(
            "latency at %d msg/s, %d rounds, %s -> %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + " (timed %d)",
            rate,
            ROUNDS,
            label,
            until,
            histogram.getValueAtPercentile(50) / 1e6,
            histogram.getValueAtPercentile(99) / 1e6,
            histogram.getMaxValue() / 1e6,
            histogram.getTotalCount()));
  }

  private static void consume(
      KafkaBroker broker,
      String topic,
      Map<String, Long> committedAt,
      Histogram acks,
      Histogram histogram,
      AtomicBoolean consuming,
      long total) {
    Map<String, Object> settings = broker.consumerConfig("latency");
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
    // the relay publishes in transactions: a consumer sees a record once its transaction committed
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (consuming.get() && histogram.getTotalCount() < total) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          String id = MessageHeaders.messageId(record.headers()).value().toString();
          Long committed = committedAt.get(id);
          while (committed == null) {
            // the record can arrive before the writer thread stored its commit time
            Thread.onSpinWait();
            committed = committedAt.get(id);
          }
          if (committed == WARM_UP) {
            continue;
          }
          histogram.recordValue(Math.max(0, now - committed));
          Long acked = AckTimes.ackedAt(topic, record.partition(), record.offset());
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (acked == null && System.nanoTime() < deadline) {
            // a record can be fetched before its producer got the broker's response
            Thread.onSpinWait();
            acked = AckTimes.ackedAt(topic, record.partition(), record.offset());
          }
          if (acked != null) {
            acks.recordValue(Math.max(0, acked - committed));
          }
        }
      }
    }
  }
}
