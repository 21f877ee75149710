package dev.backstop.benchmarks.retry;

import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records with a 10% transient failure rate through a 1 s retry tier, consumed by Backstop's {@link
 * ReliableConsumer} (32 workers, key order; key-ordered retries off, then on) and by Spring Kafka's
 * {@code @RetryableTopic} (one consumer per partition), against the same in-JVM broker in the same
 * run. Prints throughput (records handled per second, from start until the last record succeeded)
 * and the lateness of the retries (success − failure − 1 s).
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am install -DskipTests && mvn -B -q -pl benchmarks
 * exec:java -Dexec.mainClass=dev.backstop.benchmarks.retry.RetryTopicsBenchmark [-Dexec.args="20000
 * 5 1000"]} (records, how long the handler waits in milliseconds, and how many distinct keys: by
 * default every record has its own). Backstop runs twice, with key-ordered retries off and on.
 */
public final class RetryTopicsBenchmark {
  static final int PARTITIONS = 4;
  static final int FAIL_EVERY = 10;
  static final Duration DELAY = Duration.ofSeconds(1);
  static final int BACKSTOP_CONCURRENCY = 32;

  private RetryTopicsBenchmark() {}

  /** One run's figures. */
  record Result(String name, int records, double seconds, List<Long> lateness, int outOfOrder) {
    String line() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.2f | %.0f | %d | %d | %d | %d |",
          name,
          records,
          seconds,
          records / seconds,
          lateness.size(),
          Tally.percentile(lateness, 50),
          Tally.percentile(lateness, 99),
          outOfOrder);
    }
  }

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    long waitMillis = args.length > 1 ? Long.parseLong(args[1]) : 0;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : records;
    try (KafkaBroker broker = KafkaBroker.start()) {
      produce(broker, "bench-backstop", records, keys);
      produce(broker, "bench-ordered", records, keys);
      produce(broker, "bench-spring", records, keys);
      Result backstop = runBackstop(broker, "bench-backstop", records, waitMillis, keys, false);
      Result ordered = runBackstop(broker, "bench-ordered", records, waitMillis, keys, true);
      Result spring = SpringRun.run(broker, "bench-spring", records, waitMillis, keys);
      System.out.println();
      System.out.println(
          "handler wait "
              + waitMillis
              + " ms; Backstop concurrency "
              + BACKSTOP_CONCURRENCY
              + " (key order), Spring container concurrency "
              + PARTITIONS
              + "; "
              + keys
              + " keys");
      System.out.println();
      System.out.println(
          "| consumer | records | seconds | records/s | retried | lateness p50 ms | lateness p99 ms"
              + " | out of key order |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      System.out.println(backstop.line());
      System.out.println(ordered.line());
      System.out.println(spring.line());
      System.out.printf(
          Locale.ROOT,
          "throughput ratio backstop/spring: %.2f; key-order/spring: %.2f; key-order/backstop: %.2f%n",
          spring.seconds() / backstop.seconds(),
          spring.seconds() / ordered.seconds(),
          backstop.seconds() / ordered.seconds());
    }
    System.exit(0);
  }

  /** Records numbered 0..records-1 (the value), with key number % keys. */
  static void produce(KafkaBroker broker, String topic, int records, int keys) {
    broker.createTopic(topic, PARTITIONS);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < records; i++) {
        byte[] key = Integer.toString(i % keys).getBytes(StandardCharsets.UTF_8);
        byte[] value = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, value));
      }
      producer.flush();
    }
  }

  static Result runBackstop(
      KafkaBroker broker, String topic, int records, long waitMillis, int keys, boolean keyOrder)
      throws InterruptedException {
    Tally tally = new Tally(records, FAIL_EVERY, waitMillis, keys);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId(topic + "-group")
            .topics(topic)
            .preserveKeyOrder(keyOrder)
            // Spring's retry topics have no circuit breaker; with repeated keys, a burst of
            // first deliveries can all be records that fail once, which would open it
            .circuitEnabled(false)
            .tiers(DELAY)
            .jitter(0)
            .concurrency(BACKSTOP_CONCURRENCY)
            .createTopics(true)
            .bootstrapServers(broker.bootstrapServers())
            .build();
    long start = System.nanoTime();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(record -> tally.handle(record.key(), record.value()))
            .build()) {
      consumer.start();
      if (!tally.await(300)) {
        throw new IllegalStateException(
            "Backstop run: " + tally.remaining() + " records unhandled");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(
          keyOrder ? "Backstop, key-order=preserve" : "Backstop ReliableConsumer",
          records,
          seconds,
          tally.lateness(DELAY.toMillis()),
          tally.outOfOrder());
    }
  }
}
