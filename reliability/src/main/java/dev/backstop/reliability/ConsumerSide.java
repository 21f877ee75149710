package dev.backstop.reliability;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.Health;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.RecordHandler;
import dev.backstop.core.Utf8Text;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentHandler;
import dev.backstop.idempotency.UnidentifiableRecordException;
import dev.backstop.retry.Action;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.RetryListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;

/**
 * The consuming service: the consumer wrapper running an idempotent handler that records one effect
 * row per message, with switches for the faults that live in the handler (transient failures, a
 * dependency outage, a crash after the transaction). Thread-safe.
 */
final class ConsumerSide implements AutoCloseable {

  /** The handler rejects the message for good. */
  static final class PoisonMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PoisonMessageException(String message) {
      super(message);
    }
  }

  /** The handler failed for a reason that passes. */
  static final class TransientFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientFailureException(String message) {
      super(message);
    }
  }

  /** A process crash, thrown after the handler's transaction committed. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("consumer process killed after its transaction, before its offset commit");
    }
  }

  private final ReliableConsumerConfig config;
  private final Workload workload;
  private final RecordHandler<String, String> handler;
  private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicBoolean crashArmed = new AtomicBoolean();
  private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
  final LongAdder transientFailures = new LongAdder();
  final LongAdder outageFailures = new LongAdder();
  final LongAdder crashes = new LongAdder();
  private volatile boolean outage;
  private volatile ReliableConsumer consumer;

  ConsumerSide(
      ReliableConsumerConfig config, Workload workload, Jdbi jdbi, IdempotencyStore store) {
    this.config = config;
    this.workload = workload;
    RecordHandler<String, String> idempotent =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .transactional(
                (handle, record) -> {
                  apply(record);
                  handle.execute(
                      PipelineSql.INSERT_EFFECT,
                      MessageHeaders.messageId(record.headers()).value().toString(),
                      Workload.seqOf(record.value() == null ? "" : record.value()),
                      MessageHeaders.longValue(record.headers(), BackstopHeaders.CREATED_AT)
                          .orElse(-1L),
                      MessageHeaders.longValue(record.headers(), BackstopHeaders.ORIGINAL_TIMESTAMP)
                          .orElse(record.timestamp()),
                      System.currentTimeMillis());
                });
    this.handler =
        record -> {
          idempotent.handle(record);
          if (crashArmed.compareAndSet(true, false)) {
            crashes.increment();
            throw new SimulatedCrash();
          }
        };
  }

  /** The business logic: poison fails for good, the dependency may be down, some calls fail. */
  private void apply(ConsumerRecord<String, String> record) {
    String value = record.value();
    if (value != null && value.startsWith(Workload.POISON_PREFIX)) {
      throw new PoisonMessageException("order rejected: " + value);
    }
    if (outage) {
      outageFailures.increment();
      throw new TransientFailureException("dependency unavailable");
    }
    long seq = value == null ? -1 : Workload.seqOf(value);
    if (seq >= 0) {
      int call = calls.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
      if (call <= workload.transientFailures(seq)) {
        transientFailures.increment();
        throw new TransientFailureException("call " + call + " of order " + seq + " failed");
      }
    }
  }

  /** Builds and starts a consumer (a new process incarnation). */
  void start() {
    ReliableConsumer next =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new StrictUtf8())
            .handler(handler)
            .rule(ErrorRule.on(PoisonMessageException.class, Action.DEAD_LETTER))
            .rule(ErrorRule.on(UnidentifiableRecordException.class, Action.DEAD_LETTER))
            .listener(
                new RetryListener() {
                  @Override
                  public void onDeadLetter(
                      ConsumerRecord<byte[], byte[]> record, String dlqTopic, Throwable error) {
                    MessageHeaders.messageId(record.headers())
                        .toOptional()
                        .ifPresent(id -> deadLettered.add(id.toString()));
                  }
                })
            .build();
    next.start();
    consumer = next;
  }

  Health health() {
    ReliableConsumer current = consumer;
    return current == null ? null : current.health();
  }

  /** Makes the next successful handler call crash its consumer thread after the commit. */
  void armCrash() {
    crashArmed.set(true);
  }

  boolean crashPending() {
    return crashArmed.get();
  }

  void disarmCrash() {
    crashArmed.set(false);
  }

  void outage(boolean down) {
    outage = down;
  }

  /** Distinct message ids this JVM's consumers dead-lettered. */
  int deadLettered() {
    return deadLettered.size();
  }

  @Override
  public void close() {
    ReliableConsumer current = consumer;
    consumer = null;
    if (current != null) {
      current.close();
    }
  }

  /** A value deserializer that rejects bytes that are not UTF-8, as a JSON reader would. */
  static final class StrictUtf8 implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      String text = Utf8Text.decodeOrNull(data);
      if (text == null) {
        throw new SerializationException(
            "value of " + data.length + " bytes on " + topic + " is not UTF-8");
      }
      return text;
    }
  }
}
