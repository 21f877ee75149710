package dev.backstop.reliability;

import dev.backstop.core.MessageHeaders;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.KeyOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the database and the topics after a run and counts what the guarantees promise: nothing
 * lost, nothing applied twice, poison and only poison dead-lettered, per-key order on the source
 * topic. Stateless.
 */
final class InvariantChecker {
  private static final Logger LOG = LoggerFactory.getLogger(InvariantChecker.class);

  private InvariantChecker() {}

  /** The figures of one run; {@code run} supplies what only the run knows (faults, failures). */
  static Report check(
      KafkaBroker broker, Jdbi jdbi, RunOptions options, Pipeline run, long seconds) {
    Map<String, String> committed = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(PipelineSql.COMMITTED)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> committed.put(e.getKey(), e.getValue())));
    long poison = committed.values().stream().filter(k -> !k.equals("NORMAL")).count();

    // the relay publishes in Kafka transactions: read what a read_committed consumer reads
    List<ConsumerRecord<byte[], byte[]>> source =
        broker.readCommittedToEnd(Pipeline.TOPIC, Duration.ofSeconds(120));
    Set<String> published = ids(source);
    List<String> orderViolations = orderViolations(jdbi, source);
    long phantoms = published.stream().filter(id -> !committed.containsKey(id)).count();

    Histogram histogram = new Histogram(3_600_000L, 3);
    Histogram writeToPublish = new Histogram(3_600_000L, 3);
    Histogram publishToEffect = new Histogram(3_600_000L, 3);
    Map<String, Integer> effects = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(PipelineSql.EFFECTS)
                .map(
                    (rs, ctx) ->
                        new Effect(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .forEach(
                    effect -> {
                      if (effects.merge(effect.id(), 1, Integer::sum) == 1
                          && effect.createdAt() > 0) {
                        record(histogram, effect.appliedAt() - effect.createdAt());
                        record(writeToPublish, effect.publishedAt() - effect.createdAt());
                        record(publishToEffect, effect.appliedAt() - effect.publishedAt());
                      }
                    }));
    long duplicates = effects.values().stream().mapToLong(n -> n - 1L).sum();
    long poisonApplied =
        effects.keySet().stream()
            .filter(id -> !"NORMAL".equals(committed.getOrDefault(id, "NORMAL")))
            .count();

    List<ConsumerRecord<byte[], byte[]>> dead =
        broker.readToEnd(Pipeline.DLQ, Duration.ofSeconds(60));
    Set<String> deadIds = ids(dead);
    long wrongly = deadIds.stream().filter(id -> "NORMAL".equals(committed.get(id))).count();
    long lost =
        committed.keySet().stream()
            .filter(id -> !effects.containsKey(id) && !deadIds.contains(id))
            .count();

    ConsumerSide consumer = run.consumer();
    return new Report(
        options,
        committed.size(),
        poison,
        published.size(),
        source.size(),
        phantoms,
        effects.size(),
        duplicates,
        lost,
        deadIds.size(),
        dead.size(),
        wrongly,
        poisonApplied,
        orderViolations.size(),
        percentiles(histogram, writeToPublish, publishToEffect),
        run.injected(),
        consumer.transientFailures.sum(),
        consumer.outageFailures.sum(),
        consumer.crashes.sum(),
        run.relayDeaths(),
        run.consumerDeaths(),
        seconds);
  }

  /**
   * Per key, the source topic against the commit order: in order, with only in-order repeats of a
   * run, and every committed message read.
   */
  private static List<String> orderViolations(
      Jdbi jdbi, List<ConsumerRecord<byte[], byte[]>> source) {
    Map<String, List<String>> commitOrder = new LinkedHashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(PipelineSql.COMMIT_ORDER)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(
                    e ->
                        commitOrder
                            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue())));
    List<KeyOrder.Consumed> consumed = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : source) {
      String id =
          MessageHeaders.messageId(record.headers()).toOptional().map(Object::toString).orElse("");
      consumed.add(new KeyOrder.Consumed(new String(record.key(), StandardCharsets.UTF_8), id));
    }
    List<String> violations = KeyOrder.committed(commitOrder).violations(consumed, true);
    if (!violations.isEmpty()) {
      LOG.warn(
          "{} per-key order violations on {}, first: {}",
          violations.size(),
          Pipeline.TOPIC,
          violations.subList(0, Math.min(10, violations.size())));
    }
    return violations;
  }

  private record Effect(String id, long createdAt, long publishedAt, long appliedAt) {}

  private static void record(Histogram histogram, long millis) {
    histogram.recordValue(Math.min(3_600_000L, Math.max(0, millis)));
  }

  private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      MessageHeaders.messageId(record.headers())
          .toOptional()
          .ifPresent(id -> ids.add(id.toString()));
    }
    return ids;
  }

  private static Map<String, Long> percentiles(
      Histogram histogram, Histogram relay, Histogram consumer) {
    Map<String, Long> latency = new LinkedHashMap<>();
    latency.put("write to publish p50", relay.getValueAtPercentile(50));
    latency.put("write to publish p99", relay.getValueAtPercentile(99));
    latency.put("publish to effect p50", consumer.getValueAtPercentile(50));
    latency.put("publish to effect p99", consumer.getValueAtPercentile(99));
    latency.put("p50", histogram.getValueAtPercentile(50));
    latency.put("p90", histogram.getValueAtPercentile(90));
    latency.put("p99", histogram.getValueAtPercentile(99));
    latency.put("p99.9", histogram.getValueAtPercentile(99.9));
    latency.put("max", histogram.getMaxValue());
    return latency;
  }
}
