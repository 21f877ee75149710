package dev.backstop.benchmarks.dlq;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.dlq.DeadLetterFilter;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.dlq.ReplayListener;
import dev.backstop.dlq.ReplayRequest;
import dev.backstop.dlq.ReplayResult;
import dev.backstop.dlq.ReplayTarget;
import dev.backstop.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Replay throughput without a rate limit, against a plain consumer-to-producer copy of the same
 * records on the same in-JVM broker in the same run (the baseline). Both copy key, value and every
 * header with the same producer settings (idempotent, acks=all, linger 5 ms, 128 KiB batches); the
 * replay also sends in transactions that commit its checkpoint, the copy does not.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am install -DskipTests && mvn -B -q -pl benchmarks
 * exec:java -Dexec.mainClass=dev.backstop.benchmarks.dlq.ReplayBenchmark [-Dexec.args=100000]}
 */
public final class ReplayBenchmark {
  private static final int PARTITIONS = 3;
  private static final int ROUNDS = 5;

  private ReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("bench.dlq", PARTITIONS);
      fill(broker, "bench.dlq", records);
      DlqConfig config = DlqConfig.builder().bootstrapServers(broker.bootstrapServers()).build();
      // warm-up of both paths on a tenth of the records
      baseline(broker, "bench.dlq", "bench.warm.copy", records / 10);
      replay(broker, config, "bench.warm.replay", records / 10);
      List<Double> copies = new ArrayList<>();
      List<Double> replays = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        double copy = baseline(broker, "bench.dlq", "bench.copy." + round, records);
        double replay = replay(broker, config, "bench.replay." + round, records);
        copies.add(copy);
        replays.add(replay);
        ratios.add(replay / copy);
        System.out.printf(
            "round %d: plain copy %,.0f records/s, replay %,.0f records/s, ratio %.2f%n",
            round, copy, replay, replay / copy);
      }
      System.out.printf(
          "%n| records | rounds | plain consumer→producer copy, median (records/s) | dlq replay,"
              + " median (records/s) | replay/copy per round, median |%n"
              + "|---:|---:|---:|---:|---:|%n| %,d | %d | %,.0f | %,.0f | %.2f |%n",
          records, ROUNDS, median(copies), median(replays), median(ratios));
    }
  }

  /**
   * DLQ records as the consumer wrapper writes them: ~100-byte JSON value, the contract headers.
   */
  private static void fill(KafkaBroker broker, String topic, int count) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      Instant now = Instant.now();
      for (int i = 0; i < count; i++) {
        Headers h = new RecordHeaders();
        MessageHeaders.set(h, BackstopHeaders.MESSAGE_ID, MessageId.generate().toString());
        MessageHeaders.set(h, BackstopHeaders.ORIGINAL_TOPIC, "bench.orders");
        MessageHeaders.setLong(h, BackstopHeaders.ORIGINAL_PARTITION, i % PARTITIONS);
        MessageHeaders.setLong(h, BackstopHeaders.ORIGINAL_OFFSET, i);
        MessageHeaders.set(h, BackstopHeaders.CONSUMER_GROUP, "payments");
        MessageHeaders.setError(h, new IllegalStateException("benchmark failure " + (i % 7)), now);
        h.remove(BackstopHeaders.ERROR_STACKTRACE); // keep records small
        byte[] value =
            ("{\"order\":"
                    + i
                    + ",\"amount\":12.50,\"currency\":\"EUR\",\"customer\":\"c-"
                    + (i % 997)
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(
                topic, i % PARTITIONS, null, ("k" + i).getBytes(StandardCharsets.UTF_8), value, h));
      }
      producer.flush();
    }
  }

  /** Records per second of a plain copy of the first {@code count} records to {@code target}. */
  private static double baseline(KafkaBroker broker, String source, String target, int count) {
    broker.createTopic(target, PARTITIONS);
    Map<String, Object> consumerProps = broker.consumerConfig("unused");
    consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    consumerProps.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    Map<String, Object> producerProps = new HashMap<>(broker.producerConfig());
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    long start = System.nanoTime();
    int copied = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(source, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (copied < count) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (copied++ < count) {
            producer.send(
                new ProducerRecord<>(target, null, null, r.key(), r.value(), r.headers()));
          }
        }
      }
      producer.flush();
    }
    return count / seconds(start);
  }

  /** Records per second of {@code dlq replay --to target} over the first {@code count} records. */
  private static double replay(KafkaBroker broker, DlqConfig config, String target, int count) {
    broker.createTopic(target, PARTITIONS);
    DeadLetterFilter filter = DeadLetterFilter.builder().limit(count).build();
    long start = System.nanoTime();
    ReplayResult result;
    try (DeadLetters dlq = DeadLetters.connect(config)) {
      result =
          dlq.replay(
              ReplayRequest.of("bench.dlq", filter, ReplayTarget.topic(target), 3),
              ReplayListener.NONE);
    }
    double rate = count / seconds(start);
    if (result.sent() != count || !result.complete()) {
      throw new IllegalStateException(
          "replay sent " + result.sent() + " of " + count + ": " + result);
    }
    return rate;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
