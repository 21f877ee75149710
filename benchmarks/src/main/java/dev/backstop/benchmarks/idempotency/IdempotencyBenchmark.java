package dev.backstop.benchmarks.idempotency;

import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentBatchHandler;
import dev.backstop.idempotency.IdempotentHandler;
import dev.backstop.idempotency.TransactionalRecordHandler;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;

/**
 * Consumer throughput with and without the idempotent consumer, in one run against one broker and
 * one PostgreSQL: every scenario consumes the same pre-produced records from the beginning (its own
 * consumer group), writes one row per record in a transaction, commits the transaction, then
 * commits the offsets.
 *
 * <ul>
 *   <li>{@code batch-baseline}: one transaction per poll, the handler's insert per record, no
 *       dedup;
 *   <li>{@code batch-claim}: the same with {@link IdempotentHandler#batch}: one claim statement per
 *       poll;
 *   <li>{@code batch-per-record-claim}: the same transaction per poll, but one claim statement per
 *       record;
 *   <li>{@code record-baseline} / {@code record-claim}: one transaction per record, without and
 *       with {@link IdempotentHandler#transactional}.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am install -DskipTests && mvn -B -q -pl benchmarks
 * exec:java -Dexec.mainClass=dev.backstop.benchmarks.idempotency.IdempotencyBenchmark
 * [-Dexec.args="20000 3000 5"]} (records for batch scenarios, records for per-record scenarios,
 * rounds). Each round runs every scenario once, forwards or backwards, so both sides of a
 * comparison run next to each other; the median of the per-round ratios is reported.
 */
public final class IdempotencyBenchmark {
  private static final String TOPIC = "bench-in";
  private static final PrintStream OUT = System.out;

  private final KafkaBroker broker;
  private final Jdbi jdbi;
  private int groupCounter;

  private IdempotencyBenchmark(KafkaBroker broker, Jdbi jdbi) {
    this.broker = broker;
    this.jdbi = jdbi;
  }

  public static void main(String[] args) throws Exception {
    int batchRecords = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int perRecordRecords = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (KafkaBroker broker = KafkaBroker.start();
        TestDatabase db = TestDatabase.postgres()) {
      OUT.printf("database: %s%n", db.source());
      Jdbi jdbi = Jdbi.create(db.dataSource());
      new IdempotencyBenchmark(broker, jdbi).run(batchRecords, perRecordRecords, rounds);
    }
  }

  private void run(int batchRecords, int perRecordRecords, int rounds) throws Exception {
    broker.createTopic(TOPIC, 1);
    produce(Math.max(batchRecords, perRecordRecords));
    jdbi.useHandle(
        h ->
            h.execute(
                "CREATE TABLE bench_effects (order_key VARCHAR(64) NOT NULL,"
                    + " payload VARCHAR(200) NOT NULL, PRIMARY KEY (order_key))"));
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder().group("bench").autoCreateSchema(true).build(), jdbi);
    TransactionalRecordHandler<byte[], byte[]> write =
        (h, r) ->
            h.execute(
                "INSERT INTO bench_effects (order_key, payload) VALUES (?, ?)",
                new String(r.key(), StandardCharsets.UTF_8),
                new String(r.value(), StandardCharsets.UTF_8));

    IdempotentBatchHandler<byte[], byte[]> batchClaim =
        IdempotentHandler.<byte[], byte[]>builder(jdbi, store).batch(write);
    RecordHandler<byte[], byte[]> recordClaim =
        IdempotentHandler.<byte[], byte[]>builder(jdbi, store).transactional(write);
    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("batch-baseline", new Scenario(batchRecords, inOneTransaction(write)));
    scenarios.put("batch-claim", new Scenario(batchRecords, batchClaim::handle));
    scenarios.put(
        "batch-per-record-claim",
        new Scenario(
            batchRecords,
            inOneTransaction(
                (h, r) -> {
                  String id =
                      new String(
                          r.headers().lastHeader("backstop.message-id").value(),
                          StandardCharsets.UTF_8);
                  if (store.claim(h, "bench", id).shouldProcess()) {
                    write.handle(h, r);
                  }
                })));
    scenarios.put(
        "record-baseline",
        new Scenario(
            perRecordRecords,
            records -> {
              for (ConsumerRecord<byte[], byte[]> r : records) {
                jdbi.useTransaction(h -> write.handle(h, r));
              }
            }));
    scenarios.put(
        "record-claim",
        new Scenario(
            perRecordRecords,
            records -> {
              for (ConsumerRecord<byte[], byte[]> r : records) {
                recordClaim.handle(r);
              }
            }));

    // warm-up: every path once on a few records
    for (Scenario scenario : scenarios.values()) {
      measure(new Scenario(Math.min(2_000, scenario.records()), scenario.poll()));
    }
    // Each round runs every scenario once, forwards on even rounds and backwards on odd ones, so
    // the two sides of each comparison run next to each other; a ratio is taken within a round.
    Map<String, List<Double>> perSecond = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(scenarios.keySet());
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(round % 2 == 0 ? i : names.size() - 1 - i);
        double rate = measure(scenarios.get(name));
        OUT.printf("round %d %-24s %,10.0f records/s%n", round + 1, name, rate);
        perSecond.computeIfAbsent(name, n -> new ArrayList<>()).add(rate);
      }
    }
    // storage per processed id, measured on a store filled by one more batch-claim run
    measure(scenarios.get("batch-claim"));
    jdbi.useHandle(h -> h.execute("VACUUM ANALYZE backstop_processed_messages"));
    long rows =
        jdbi.withHandle(
            h ->
                h.select("SELECT count(*) FROM backstop_processed_messages")
                    .mapTo(Long.class)
                    .one());
    long bytes =
        jdbi.withHandle(
            h ->
                h.select("SELECT pg_total_relation_size('backstop_processed_messages')")
                    .mapTo(Long.class)
                    .one());
    OUT.println();
    OUT.println("| scenario | records | median records/s | best records/s |");
    OUT.println("|---|---:|---:|---:|");
    perSecond.forEach(
        (name, rates) ->
            OUT.printf(
                "| %s | %,d | %,.0f | %,.0f |%n",
                name,
                scenarios.get(name).records(),
                median(rates),
                rates.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    OUT.println();
    ratio(perSecond, "batch-claim", "batch-baseline");
    ratio(perSecond, "batch-claim", "batch-per-record-claim");
    ratio(perSecond, "record-claim", "record-baseline");
    OUT.printf(
        "store: %,d rows, %,d bytes with indexes, %d bytes per processed id%n",
        rows, bytes, bytes / Math.max(1, rows));
  }

  /** All records of a poll in one transaction, each through the given handler. */
  private PollHandler inOneTransaction(TransactionalRecordHandler<byte[], byte[]> perRecord) {
    return records ->
        jdbi.useTransaction(
            h -> {
              for (ConsumerRecord<byte[], byte[]> r : records) {
                perRecord.handle(h, r);
              }
            });
  }

  /** Prints the median and the per-round values of one scenario's rate over another's. */
  private static void ratio(Map<String, List<Double>> perSecond, String what, String against) {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < perSecond.get(what).size(); round++) {
      ratios.add(perSecond.get(what).get(round) / perSecond.get(against).get(round));
    }
    StringBuilder rounds = new StringBuilder();
    for (double r : ratios) {
      rounds.append(String.format(" %.2f", r));
    }
    OUT.printf("%s / %s: median %.2f (rounds:%s)%n", what, against, median(ratios), rounds);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void produce(int count) throws Exception {
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int i = 0; i < count; i++) {
        var record =
            new ProducerRecord<>(
                TOPIC,
                ("order-" + i).getBytes(StandardCharsets.UTF_8),
                ("{\"order\":" + i + ",\"amount\":1999,\"currency\":\"EUR\"}")
                    .getBytes(StandardCharsets.UTF_8));
        record
            .headers()
            .add(
                "backstop.message-id",
                MessageId.generate().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** Records per second for one scenario on empty tables, from a fresh consumer group. */
  private double measure(Scenario scenario) throws Exception {
    jdbi.useHandle(h -> h.execute("TRUNCATE bench_effects, backstop_processed_messages"));
    jdbi.useHandle(h -> h.execute("VACUUM ANALYZE bench_effects"));
    var config = broker.consumerConfig("bench-" + (++groupCounter));
    try (var consumer = new KafkaConsumer<byte[], byte[]>(config)) {
      consumer.subscribe(Set.of(TOPIC));
      AtomicInteger done = new AtomicInteger();
      long start = 0;
      while (done.get() < scenario.records()) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
        if (polled.isEmpty()) {
          continue;
        }
        if (start == 0) {
          start = System.nanoTime();
        }
        List<ConsumerRecord<byte[], byte[]>> take = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          if (done.get() + take.size() < scenario.records()) {
            take.add(r);
          }
        }
        scenario.poll().accept(take);
        consumer.commitSync();
        done.addAndGet(take.size());
      }
      return scenario.records() / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** What a consumer does with each polled batch. */
  @FunctionalInterface
  interface PollHandler {
    void accept(List<ConsumerRecord<byte[], byte[]>> records) throws Exception;
  }

  record Scenario(int records, PollHandler poll) {}
}
