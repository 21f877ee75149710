package dev.backstop.retry;

import dev.backstop.core.RecordHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A handler that stamps the start and end of every call, and the most calls in flight at once per
 * partition, around an inner action. Thread-safe.
 */
final class CallLog implements RecordHandler<byte[], byte[]> {

  /** One call: where its record came from, its key, and when it ran (nanoTime). */
  record Call(int partition, long offset, String key, long start, long end) {}

  /** What a call does between its stamps. */
  interface Work {
    void run(ConsumerRecord<byte[], byte[]> record) throws Exception;
  }

  private final Work work;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> peak = new ConcurrentHashMap<>();

  CallLog(Work work) {
    this.work = work;
  }

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
    AtomicInteger now = inFlight.computeIfAbsent(record.partition(), p -> new AtomicInteger());
    peak.computeIfAbsent(record.partition(), p -> new AtomicInteger())
        .accumulateAndGet(now.incrementAndGet(), Math::max);
    long start = System.nanoTime();
    try {
      work.run(record);
    } finally {
      now.decrementAndGet();
      calls.add(
          new Call(
              record.partition(),
              record.offset(),
              record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
              start,
              System.nanoTime()));
    }
  }

  /** The most calls of one partition that were in flight at the same time. */
  int peakInFlight(int partition) {
    AtomicInteger value = peak.get(partition);
    return value == null ? 0 : value.get();
  }

  /** partition/offset of every call made. */
  Set<String> handled() {
    return calls.stream().map(c -> c.partition() + "/" + c.offset()).collect(Collectors.toSet());
  }

  /** The calls grouped by {@code by}, each group in start order. */
  Map<Object, List<Call>> byStart(java.util.function.Function<Call, Object> by) {
    Map<Object, List<Call>> groups =
        calls.stream().collect(Collectors.groupingBy(by, Collectors.toCollection(ArrayList::new)));
    groups.values().forEach(list -> list.sort(Comparator.comparingLong(Call::start)));
    return groups;
  }
}
