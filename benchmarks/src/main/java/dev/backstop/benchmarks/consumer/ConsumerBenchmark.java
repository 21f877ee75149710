package dev.backstop.benchmarks.consumer;

import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.Ordering;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.RetryMetricNames;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records handled per second by the consumer wrapper beside Spring Kafka's listener container and
 * Confluent Parallel Consumer, on one in-JVM broker in one run. Every contender reads the same
 * records (produced before it starts) with its own consumer group; time runs from its start until
 * every record was handled once.
 *
 * <p>Parts: {@code io} (the handler waits 5 ms), {@code cpu} (no wait), {@code memory} (a
 * 200,000-record backlog of 1 KiB values and a slow handler: the peak of buffered records and of
 * heap in use).
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am install -DskipTests && mvn -B -q -pl benchmarks
 * exec:java -Dexec.mainClass=dev.backstop.benchmarks.consumer.ConsumerBenchmark
 * -Dexec.args="io,cpu,memory 60000 6000 1"} (parts, records, keys, rounds, and optionally a part of
 * a regular expression that the names of the contenders to run match).
 */
public final class ConsumerBenchmark {
  static final int PARTITIONS = 12;
  static final long IO_WAIT_MICROS = 5_000;
  private static int runs;
  private static String only = "";

  private ConsumerBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> parts = List.of((args.length > 0 ? args[0] : "io,cpu,memory").split(","));
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 6_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    only = args.length > 4 ? args[4] : "";
    try (KafkaBroker broker = KafkaBroker.start()) {
      if (parts.contains("io") || parts.contains("cpu")) {
        produce(broker, "bench-records", records, keys, 16);
      }
      warmUp(broker);
      if (parts.contains("io")) {
        compare(
            broker,
            "I/O-bound: the handler waits 5 ms",
            records,
            IO_WAIT_MICROS,
            rounds,
            List.of(
                new BackstopContender(Ordering.KEY, 64),
                new ParallelConsumerContender(64),
                new SpringContainerContender(12),
                new BackstopContender(Ordering.KEY, 1)));
      }
      if (parts.contains("cpu")) {
        compare(
            broker,
            "CPU-bound: no wait in the handler",
            records,
            0,
            rounds,
            List.of(
                new BackstopContender(Ordering.KEY, 32),
                new BackstopContender(Ordering.KEY, 1),
                new SpringContainerContender(1),
                new ParallelConsumerContender(64)));
      }
      if (parts.contains("memory")) {
        memory(broker, 200_000);
      }
    }
    System.exit(0);
  }

  /**
   * Makes the broker create its group offsets topic before the first timed run, which would pay for
   * it otherwise.
   */
  private static void warmUp(KafkaBroker broker) {
    broker.createTopic("bench-warm-up", 1);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(broker.consumerConfig("bench-warm-up"))) {
      consumer.assign(List.of(new TopicPartition("bench-warm-up", 0)));
      consumer.commitSync(Map.of(new TopicPartition("bench-warm-up", 0), new OffsetAndMetadata(0)));
    }
  }

  static void produce(KafkaBroker broker, String topic, int records, int keys, int valueBytes) {
    broker.createTopic(topic, PARTITIONS);
    byte[] value = new byte[valueBytes];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < records; i++) {
        byte[] key = ("key-" + (i % keys)).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, value));
      }
      producer.flush();
    }
  }

  private static void compare(
      KafkaBroker broker,
      String title,
      int records,
      long waitMicros,
      int rounds,
      List<Contender> contenders)
      throws Exception {
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    Map<String, List<Double>> startups = new LinkedHashMap<>();
    Map<String, List<Double>> steady = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < contenders.size(); i++) {
        Contender contender = contenders.get((i + round) % contenders.size()); // rotate the order
        if (!only.isEmpty() && !contender.name().matches(only)) {
          continue;
        }
        Work work = new Work(records, waitMicros);
        long start = System.nanoTime();
        double took = contender.run(broker, "bench-records", "bench-" + (++runs), work);
        seconds.computeIfAbsent(contender.name(), n -> new ArrayList<>()).add(took);
        startups
            .computeIfAbsent(contender.name(), n -> new ArrayList<>())
            .add((work.firstNanos() - start) / 1e9);
        steady
            .computeIfAbsent(contender.name(), n -> new ArrayList<>())
            .add(work.steadyRate(records));
        System.err.printf(
            Locale.ROOT,
            "%s: %.2f s, first record after %.2f s, %.0f records/s after it%n",
            contender.name(),
            took,
            (work.firstNanos() - start) / 1e9,
            work.steadyRate(records));
      }
    }
    System.out.println();
    System.out.println(
        "### " + title + " (" + records + " records, " + PARTITIONS + " partitions)");
    System.out.println();
    System.out.println(
        "| consumer | seconds (median) | records/s | start to first record (s) | records/s after the"
            + " first | seconds per round |");
    System.out.println("|---|---|---|---|---|---|");
    seconds.forEach(
        (name, list) -> {
          double median = median(list);
          System.out.printf(
              Locale.ROOT,
              "| %s | %.2f | %.0f | %.2f | %.0f | %s |%n",
              name,
              median,
              records / median,
              median(startups.get(name)),
              median(steady.get(name)),
              list.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
        });
  }

  /**
   * A backlog of {@code records} 1 KiB records, a handler that waits 2 ms: samples the buffered
   * gauge and the heap in use every 10 ms while the backlog drains, for Backstop and, as the
   * baseline of the heap figure, for a Spring Kafka container (12 consumers) on the same backlog.
   */
  private static void memory(KafkaBroker broker, int records) throws Exception {
    produce(broker, "bench-backlog", records, records, 1024);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("bench-memory")
            .topics("bench-backlog")
            .createTopics(true)
            .bootstrapServers(broker.bootstrapServers())
            .build();
    System.out.println();
    System.out.println(
        "### Memory: " + records + " records of 1 KiB waiting, the handler waits 2 ms");
    System.out.println();
    System.out.println(
        "| consumer | max-buffered-records | peak buffered | heap in use before (MiB) | peak heap"
            + " in use (MiB) | seconds |");
    System.out.println("|---|---|---|---|---|---|");
    Work backstopWork = new Work(records, 2_000);
    Peaks backstop;
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(record -> backstopWork.handle(record.partition(), record.offset()))
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      System.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      long start = System.nanoTime();
      consumer.start();
      Gauge buffered =
          registry
              .get(RetryMetricNames.BUFFERED)
              .tag(RetryMetricNames.TAG_CONSUMER, "main")
              .gauge();
      backstop = sample(memory, backstopWork, buffered::value, before, start);
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.0f | %.1f |%n",
        "Backstop ReliableConsumer, key order, concurrency " + config.concurrency(),
        config.maxBufferedRecords(),
        backstop.buffered(),
        backstop.heapBefore() / 1048576.0,
        backstop.heap() / 1048576.0,
        backstop.seconds());
    Work springWork = new Work(records, 2_000);
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    long start = System.nanoTime();
    Thread spring =
        new Thread(
            () -> {
              try {
                new SpringContainerContender(12)
                    .run(broker, "bench-backlog", "bench-memory-spring", springWork);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    spring.start();
    Peaks baseline = sample(memory, springWork, () -> -1, before, start);
    spring.join();
    System.out.printf(
        Locale.ROOT,
        "| %s | — | — | %.0f | %.0f | %.1f |%n",
        "Spring Kafka ConcurrentMessageListenerContainer, concurrency 12 (baseline)",
        baseline.heapBefore() / 1048576.0,
        baseline.heap() / 1048576.0,
        baseline.seconds());
  }

  /** Peaks seen while a run drained its backlog. */
  private record Peaks(double buffered, long heapBefore, long heap, double seconds) {}

  private static Peaks sample(
      MemoryMXBean memory,
      Work work,
      java.util.function.DoubleSupplier buffered,
      long heapBefore,
      long start)
      throws InterruptedException {
    double peakBuffered = 0;
    long peakHeap = 0;
    while (!work.await(0) && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(10)) {
      peakBuffered = Math.max(peakBuffered, buffered.getAsDouble());
      peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return new Peaks(peakBuffered, heapBefore, peakHeap, (System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
