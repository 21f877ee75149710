package dev.backstop.benchmarks.retry;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.RetryListener;
import dev.backstop.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The bulkhead in figures: how long a fresh record takes from produce to handled while the consumer
 * is idle, and while 10,000 records wait in a ten-minute tier. Fresh records are sent one at a
 * time, each after the previous was handled.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am install -DskipTests && mvn -B -q -pl benchmarks
 * exec:java -Dexec.mainClass=dev.backstop.benchmarks.retry.FreshLatencyBenchmark}
 */
public final class FreshLatencyBenchmark {
  private static final int FRESH = 200;
  private static final int WARM_UP = 20;
  private static final int WAITING = 10_000;

  private FreshLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, Long> handledAt = new ConcurrentHashMap<>();
    AtomicInteger forwarded = new AtomicInteger();
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("fresh", 4);
      ReliableConsumerConfig config =
          ReliableConsumerConfig.builder()
              .groupId("fresh-bench")
              .topics("fresh")
              .tiers(Duration.ofMinutes(10))
              .circuitEnabled(false)
              .createTopics(true)
              .bootstrapServers(broker.bootstrapServers())
              .build();
      try (ReliableConsumer consumer =
          ReliableConsumer.builder(config)
              .handler(
                  record -> {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    if (value.equals("slow")) {
                      throw new IllegalStateException("later");
                    }
                    handledAt.put(value, System.nanoTime());
                  })
              .listener(
                  new RetryListener() {
                    @Override
                    public void onRetry(
                        ConsumerRecord<byte[], byte[]> record, String tier, Throwable error) {
                      forwarded.incrementAndGet();
                    }
                  })
              .build()) {
        consumer.start();
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(broker.producerConfig())) {
          List<Long> idle = latencies(producer, handledAt, "idle");
          for (int i = 0; i < WAITING; i++) {
            producer.send(new ProducerRecord<>("fresh", bytes("slow")));
          }
          producer.flush();
          long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          while (forwarded.get() < WAITING && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
          }
          List<Long> busy = latencies(producer, handledAt, "busy");
          System.out.println();
          System.out.println("| fresh records (200, one at a time) | p50 ms | p99 ms | max ms |");
          System.out.println("|---|---|---|---|");
          print("consumer idle", idle);
          print(WAITING + " records waiting in a 10m tier", busy);
        }
      }
    }
    System.exit(0);
  }

  private static List<Long> latencies(
      KafkaProducer<byte[], byte[]> producer, Map<String, Long> handledAt, String label)
      throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = -WARM_UP; i < FRESH; i++) {
      String value = label + i;
      RecordHeaders headers = new RecordHeaders();
      MessageHeaders.set(
          headers, BackstopHeaders.MESSAGE_ID, java.util.UUID.randomUUID().toString());
      long sent = System.nanoTime();
      producer
          .send(new ProducerRecord<>("fresh", null, (byte[]) null, bytes(value), headers))
          .get();
      long deadline = sent + TimeUnit.SECONDS.toNanos(30);
      while (!handledAt.containsKey(value) && System.nanoTime() < deadline) {
        new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
      }
      Long handled = handledAt.get(value);
      if (handled == null) {
        throw new IllegalStateException("fresh record " + value + " not handled within 30 s");
      }
      if (i >= 0) {
        millis.add(TimeUnit.NANOSECONDS.toMillis(handled - sent));
      }
    }
    Collections.sort(millis);
    return millis;
  }

  private static void print(String label, List<Long> sorted) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %d |%n",
        label,
        Tally.percentile(sorted, 50),
        Tally.percentile(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
