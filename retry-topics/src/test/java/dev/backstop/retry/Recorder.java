package dev.backstop.retry;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.RecordHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A handler that fails while a rule says so and records every call: per message id, the calls, the
 * successes with their attempt header and time. Thread-safe.
 */
final class Recorder<K, V> implements RecordHandler<K, V> {

  /** One successful call. */
  record Success(String messageId, String topic, int attempt, long atMillis, long dueAtMillis) {}

  /** Decides whether a call fails, given the record and how often it was called before. */
  interface FailureRule<K, V> {
    Exception failure(ConsumerRecord<K, V> record, int previousCalls) throws Exception;
  }

  private final FailureRule<K, V> rule;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final Map<String, Long> firstCallAt = new ConcurrentHashMap<>();
  final List<Success> successes = new CopyOnWriteArrayList<>();

  Recorder(FailureRule<K, V> rule) {
    this.rule = rule;
  }

  /** Fails the first {@code times} calls of every message with an {@link IllegalStateException}. */
  static <K, V> Recorder<K, V> failingFirst(int times) {
    return new Recorder<>(
        (record, previous) ->
            previous < times
                ? new IllegalStateException("transient failure " + (previous + 1))
                : null);
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    String id = MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID).orElse("?");
    long now = System.currentTimeMillis();
    firstCallAt.putIfAbsent(id, now);
    int previous = calls.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
    Exception failure = rule.failure(record, previous);
    if (failure != null) {
      throw failure;
    }
    successes.add(
        new Success(
            id,
            record.topic(),
            MessageHeaders.intValue(record.headers(), BackstopHeaders.ATTEMPT).orElse(-1),
            now,
            MessageHeaders.longValue(record.headers(), BackstopHeaders.RETRY_DUE_AT).orElse(-1L)));
  }

  int callsOf(String id) {
    AtomicInteger count = calls.get(id);
    return count == null ? 0 : count.get();
  }

  Set<String> succeededIds() {
    return successes.stream().map(Success::messageId).collect(java.util.stream.Collectors.toSet());
  }

  long successCount(Predicate<Success> which) {
    return successes.stream().filter(which).count();
  }
}
