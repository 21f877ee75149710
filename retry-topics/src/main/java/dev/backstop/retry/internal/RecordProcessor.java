package dev.backstop.retry.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.DuplicateSignal;
import dev.backstop.core.ErrorClassifier;
import dev.backstop.core.HeldEntries;
import dev.backstop.core.LogContext;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.RecordHandler;
import dev.backstop.core.Sleeper;
import dev.backstop.retry.Action;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.PoisonRecordException;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.RetryListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one record on a worker thread: deserialize, call the handler (with quick in-place
 * attempts), and on failure classify it and start its forward. Shared by every worker of the main
 * and tier consumers; thread-safe when the handler, deserializers and listener are.
 */
final class RecordProcessor<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

  /** What became of a record. */
  sealed interface Outcome {}

  /** Finished: handled, skipped, or not this group's; its offset may be committed. */
  record Done() implements Outcome {}

  /**
   * Forward sent; commit only after {@code ack} completes, then run {@code afterAck}. {@code holds}
   * is the message id of the record when its key is now held behind it, else null.
   */
  record Forwarded(CompletableFuture<RecordMetadata> ack, Runnable afterAck, String holds)
      implements Outcome {
    Forwarded(CompletableFuture<RecordMetadata> ack, Runnable afterAck) {
      this(ack, afterAck, null);
    }
  }

  /**
   * Handled: its offset may be committed (after {@code release} completes, when the record held its
   * key: null otherwise), and the success goes to the circuit (recorded by the poll thread, so the
   * workers never contend for the breaker's window).
   */
  record Handled(CircuitGate.Permit permit, long nanos, CompletableFuture<RecordMetadata> release)
      implements Outcome {}

  /**
   * What the processors of one consumer share, one per loop: the configuration, the handler and its
   * deserializers, the retry decisions and the observers. Immutable.
   */
  record Wiring<K, V>(
      ReliableConsumerConfig config,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer,
      RecordHandler<K, V> handler,
      ErrorClassifier<ErrorRule> classifier,
      RetryPlan plan,
      TopicNames names,
      CircuitGate circuit,
      RetryListener listener,
      ConsumerMetrics metrics,
      ConsumerTracing tracing,
      Clock clock,
      Sleeper sleeper) {}

  private static final Runnable NOTHING = () -> {};

  /** Not handled now (circuit open, or interrupted): keep it at the head, do not commit. */
  record Held() implements Outcome {}

  static final Outcome DONE = new Done();
  static final Outcome HELD = new Held();

  private final String group;
  private final Deserializer<K> keyDeserializer;
  private final Deserializer<V> valueDeserializer;
  private final RecordHandler<K, V> handler;
  private final ErrorClassifier<ErrorRule> classifier;
  private final RetryPlan plan;
  private final TopicNames names;
  private final Forwarder forwarder;
  private final CircuitGate circuit;
  private final RetryListener listener;
  private final ConsumerMetrics metrics;
  private final ConsumerTracing tracing;
  private final Clock clock;
  private final Sleeper sleeper;
  private final int inPlaceAttempts;
  private final Duration inPlaceBackoff;
  private final int maxHeaderBytes;
  private final HeldWriter held;
  private final boolean releaseAfterDeadLetter;

  /**
   * @param held writes the held-keys topics in key-order mode, else null
   */
  RecordProcessor(Wiring<K, V> wiring, Forwarder forwarder, HeldWriter held) {
    this.held = held;
    this.releaseAfterDeadLetter = wiring.config().releasesHeldAfterDeadLetter();
    this.group = wiring.config().groupId();
    this.keyDeserializer = wiring.keyDeserializer();
    this.valueDeserializer = wiring.valueDeserializer();
    this.handler = wiring.handler();
    this.classifier = wiring.classifier();
    this.plan = wiring.plan();
    this.names = wiring.names();
    this.forwarder = forwarder;
    this.circuit = wiring.circuit();
    this.listener = wiring.listener();
    this.metrics = wiring.metrics();
    this.tracing = wiring.tracing();
    this.clock = wiring.clock();
    this.sleeper = wiring.sleeper();
    this.inPlaceAttempts = wiring.config().inPlaceAttempts();
    this.inPlaceBackoff = wiring.config().inPlaceBackoff();
    this.maxHeaderBytes = wiring.config().maxHeaderBytes();
  }

  /**
   * A record being delivered: as consumed, the headers the handler sees, its source and tier, the
   * span of this attempt, and what became of it (for the span).
   */
  private static final class Delivery {
    final ConsumerRecord<byte[], byte[]> raw;
    final Headers headers;
    final String source;
    final int tier;
    ConsumerTracing.Attempt span = ConsumerTracing.Attempt.NONE;
    String outcome = "handled";

    Delivery(ConsumerRecord<byte[], byte[]> raw, Headers headers, String source, int tier) {
      this.raw = raw;
      this.headers = headers;
      this.source = source;
      this.tier = tier;
    }

    ConsumerRecord<byte[], byte[]> raw() {
      return raw;
    }

    Headers headers() {
      return headers;
    }

    String source() {
      return source;
    }

    int tier() {
      return tier;
    }
  }

  /**
   * Handles {@code raw} under {@code permit} (from {@link CircuitGate#tryAcquire}), which this call
   * always gives back or spends, whatever happens, an {@link Error} included; except after a
   * success ({@link Handled}), whose permit the caller settles with {@link CircuitGate#success}.
   */
  Outcome process(ConsumerRecord<byte[], byte[]> raw, CircuitGate.Permit permit) {
    Outcome outcome = null;
    try {
      outcome = handle(raw, permit);
      return outcome;
    } finally {
      if (!(outcome instanceof Handled)) {
        circuit.release(permit); // a no-op unless the call ended without settling it
      }
    }
  }

  @SuppressWarnings("try") // the log context is only opened and closed
  private Outcome handle(ConsumerRecord<byte[], byte[]> raw, CircuitGate.Permit permit) {
    Optional<TopicNames.Tier> tier = names.tier(raw.topic());
    if (tier.isPresent() && !ownRecord(raw)) {
      circuit.release(permit);
      return DONE;
    }
    Delivery delivery =
        new Delivery(
            raw,
            HeaderStamper.forHandler(raw, tier.isEmpty()),
            tier.map(TopicNames.Tier::source).orElse(raw.topic()),
            tier.isEmpty()
                ? 0
                : MessageHeaders.intValue(raw.headers(), BackstopHeaders.RETRY_TIER).orElse(1));
    delivery.span = tracing.process(raw, delivery.headers(), delivery.tier());
    try (LogContext log =
        LogContext.of(raw).trace(delivery.span.traceId(), delivery.span.spanId())) {
      return handle(delivery, permit);
    } finally {
      delivery.span.end(delivery.outcome);
    }
  }

  /** Handles a record of this group, in its span and log context. */
  private Outcome handle(Delivery delivery, CircuitGate.Permit permit) {
    ConsumerRecord<byte[], byte[]> raw = delivery.raw();
    ConsumerRecord<K, V> typed;
    try {
      typed = deserialize(raw, delivery.headers());
    } catch (RuntimeException e) {
      circuit.release(permit);
      PoisonRecordException poison =
          new PoisonRecordException(
              "cannot deserialize record " + where(raw) + ": " + e.getMessage(), e);
      delivery.span.failed(poison);
      return forward(
          delivery,
          poison,
          new RetryPlan.DeadLetter(names.dlqTopic(delivery.source()), "deserialization"));
    }
    long started = System.nanoTime();
    Exception failure = call(typed, delivery.tier() > 0, delivery.span);
    long nanos = System.nanoTime() - started;
    boolean duplicate = DuplicateSignal.take();
    if (failure != null) {
      return failed(delivery, failure, permit, nanos);
    }
    CompletableFuture<RecordMetadata> release = releaseHold(delivery);
    if (duplicate) {
      // the handler skipped a record it had already done: neither a success of the dependency
      // nor a fresh message
      circuit.release(permit);
      delivery.outcome = "duplicate";
      metrics.duplicate(raw.topic());
      return release == null ? DONE : new Forwarded(release, NOTHING);
    }
    metrics.processed(raw.topic());
    MessageHeaders.instant(delivery.headers(), BackstopHeaders.CREATED_AT)
        .toOptional()
        .ifPresent(created -> metrics.endToEnd(Duration.between(created, clock.instant())));
    return new Handled(permit, nanos, release);
  }

  /**
   * A tier record that holds its key ended its retries (handled, skipped, or let go to the
   * dead-letter topic): the release of its hold, or null when it holds nothing.
   */
  private CompletableFuture<RecordMetadata> releaseHold(Delivery delivery) {
    if (held == null || delivery.tier() == 0) {
      return null;
    }
    Optional<Integer> partition =
        MessageHeaders.intValue(delivery.headers(), HeldEntries.HEAD).toOptional();
    if (partition.isEmpty()) {
      return null;
    }
    delivery.headers().remove(HeldEntries.HEAD);
    return held.release(delivery.source(), partition.get(), messageId(delivery));
  }

  private static String messageId(Delivery delivery) {
    return MessageHeaders.string(delivery.headers(), BackstopHeaders.MESSAGE_ID).orElse("");
  }

  /** Classifies a failure and decides: hold (circuit), skip, or forward to a tier or the DLQ. */
  private Outcome failed(
      Delivery delivery, Exception failure, CircuitGate.Permit permit, long nanos) {
    ConsumerRecord<byte[], byte[]> raw = delivery.raw();
    metrics.failed(raw.topic());
    delivery.span.failed(failure);
    delivery.outcome = "held";
    if (failure instanceof InterruptedException) {
      circuit.release(permit);
      Thread.currentThread().interrupt();
      return HELD;
    }
    ErrorRule rule = classifier.classify(failure).action();
    if (rule.action() != Action.RETRY) {
      circuit.release(permit);
    } else if (!circuit.failure(permit, nanos, failure)) {
      LOG.debug("Holding {} while the circuit is {}", where(raw), circuit.state());
      return HELD;
    }
    Instant now = clock.instant();
    Instant firstFailed =
        MessageHeaders.instant(delivery.headers(), BackstopHeaders.FIRST_FAILED_AT).orElse(now);
    RetryPlan.Decision decision =
        plan.decide(rule, delivery.source(), delivery.tier(), firstFailed, now);
    if (decision instanceof RetryPlan.Skip skip) {
      LOG.info("Skipping {} (rule {}): {}", where(raw), skip.rule(), failure.toString());
      delivery.outcome = "skipped";
      metrics.skipped(raw.topic());
      listen(() -> listener.onSkip(raw, failure));
      CompletableFuture<RecordMetadata> release = releaseHold(delivery);
      return release == null ? DONE : new Forwarded(release, NOTHING);
    }
    return forward(delivery, failure, decision);
  }

  /** Calls the handler, repeating in place on retryable failures; null on success. */
  private Exception call(
      ConsumerRecord<K, V> typed, boolean fromTier, ConsumerTracing.Attempt span) {
    for (int attempt = 0; ; attempt++) {
      try {
        DuplicateSignal.take(); // only what this attempt signals counts
        handler.handle(typed);
        return null;
      } catch (InterruptedException e) {
        return e;
      } catch (Exception e) {
        boolean retryable = classifier.classify(e).action().action() == Action.RETRY;
        if (fromTier || !retryable || attempt >= inPlaceAttempts) {
          return e;
        }
        LOG.debug(
            "In-place attempt {} of {} failed: {}", attempt + 1, inPlaceAttempts, e.toString());
        span.inPlaceFailure(attempt + 1, e);
        try {
          sleeper.sleep(inPlaceBackoff);
        } catch (InterruptedException interrupted) {
          return interrupted;
        }
      }
    }
  }

  private Outcome forward(Delivery delivery, Throwable failure, RetryPlan.Decision decision) {
    ConsumerRecord<byte[], byte[]> raw = delivery.raw();
    Headers headers =
        HeaderStamper.failed(delivery.headers(), raw, group, failure, clock.instant());
    String topic;
    Runnable afterAck;
    ConsumerTracing.Send send;
    if (decision instanceof RetryPlan.Retry retry) {
      HeaderStamper.toTier(headers, retry.tier(), retry.dueAt());
      topic = retry.topic();
      delivery.outcome = "retried";
      send = delivery.span.forward(topic, "retry", headers, retry.tier(), null);
      LOG.debug(
          "Retrying {} in {} (tier {}): {}", where(raw), topic, retry.tier(), failure.toString());
      afterAck =
          () -> {
            metrics.retried(retry.topic());
            listen(() -> listener.onRetry(raw, retry.topic(), failure));
          };
    } else {
      RetryPlan.DeadLetter dead = (RetryPlan.DeadLetter) decision;
      topic = dead.topic();
      delivery.outcome = "dead-lettered";
      send = delivery.span.forward(topic, "dead-letter", headers, 0, dead.reason());
      afterAck =
          () -> {
            LOG.warn(
                "Dead-lettered {} to {} ({}): {}",
                where(raw),
                dead.topic(),
                dead.reason(),
                failure.toString());
            metrics.deadLettered(dead.topic());
            listen(() -> listener.onDeadLetter(raw, dead.topic(), failure));
          };
    }
    if (!HeaderStamper.fit(headers, maxHeaderBytes)) {
      LOG.warn(
          "Headers of {} exceed {} bytes even without the stack trace; forwarding anyway",
          where(raw),
          maxHeaderBytes);
    }
    Runnable logged = logged(raw, delivery.span, afterAck);
    Forwarded forwarded =
        held == null || raw.key() == null
            ? new Forwarded(forwarder.send(topic, raw, headers), logged)
            : forwardHolding(delivery, headers, topic, decision instanceof RetryPlan.Retry, logged);
    forwarded.ack().whenComplete((metadata, error) -> send.acknowledged(error));
    return forwarded;
  }

  /** {@code afterAck}, run on the poll thread in the log context of the record it concerns. */
  private static Runnable logged(
      ConsumerRecord<byte[], byte[]> raw, ConsumerTracing.Attempt span, Runnable afterAck) {
    String traceId = span.traceId();
    String spanId = span.spanId();
    return new Runnable() {
      @Override
      @SuppressWarnings("try") // the log context is only opened and closed
      public void run() {
        try (LogContext log = LogContext.of(raw).trace(traceId, spanId)) {
          afterAck.run();
        }
      }
    };
  }

  /**
   * A forward in key-order mode. From the source, the record's key is now held behind it (unless it
   * is dead-lettered and held records are released then); from a tier, the hold it carries follows
   * it: dead-lettered, it waits there, or is released.
   */
  private Forwarded forwardHolding(
      Delivery delivery, Headers headers, String topic, boolean retry, Runnable afterAck) {
    ConsumerRecord<byte[], byte[]> raw = delivery.raw();
    String id = messageId(delivery);
    String status = retry ? HeldEntries.RETRYING : HeldEntries.DEAD_LETTERED;
    if (delivery.tier() == 0) {
      if (!retry && releaseAfterDeadLetter) {
        return new Forwarded(forwarder.send(topic, raw, headers), afterAck);
      }
      MessageHeaders.set(headers, HeldEntries.HEAD, Integer.toString(raw.partition()));
      CompletableFuture<RecordMetadata> hold =
          held.hold(delivery.source(), raw.partition(), raw.key(), id, status);
      CompletableFuture<RecordMetadata> sent = forwarder.send(topic, raw, headers);
      return new Forwarded(sent.thenCombine(hold, (a, b) -> a), afterAck, id);
    }
    Optional<Integer> partition = MessageHeaders.intValue(headers, HeldEntries.HEAD).toOptional();
    if (partition.isEmpty() || retry) {
      return new Forwarded(forwarder.send(topic, raw, headers), afterAck);
    }
    CompletableFuture<RecordMetadata> change;
    if (releaseAfterDeadLetter) {
      headers.remove(HeldEntries.HEAD);
      change = held.release(delivery.source(), partition.get(), id);
    } else {
      change = held.hold(delivery.source(), partition.get(), raw.key(), id, status);
    }
    CompletableFuture<RecordMetadata> sent = forwarder.send(topic, raw, headers);
    return new Forwarded(sent.thenCombine(change, (a, b) -> a), afterAck);
  }

  private boolean ownRecord(ConsumerRecord<byte[], byte[]> raw) {
    String owner =
        MessageHeaders.string(raw.headers(), BackstopHeaders.CONSUMER_GROUP).orElse(group);
    return owner.equals(group);
  }

  private ConsumerRecord<K, V> deserialize(ConsumerRecord<byte[], byte[]> raw, Headers headers) {
    K key = keyDeserializer.deserialize(raw.topic(), headers, raw.key());
    V value = valueDeserializer.deserialize(raw.topic(), headers, raw.value());
    return new ConsumerRecord<>(
        raw.topic(),
        raw.partition(),
        raw.offset(),
        raw.timestamp(),
        raw.timestampType() == null ? TimestampType.NO_TIMESTAMP_TYPE : raw.timestampType(),
        raw.serializedKeySize(),
        raw.serializedValueSize(),
        key,
        value,
        headers,
        raw.leaderEpoch());
  }

  /** Runs a listener hook: runtime exceptions are logged, errors stop the consumer. */
  private static void listen(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      LOG.warn("A retry listener threw; ignored", e);
    }
  }

  static String where(ConsumerRecord<?, ?> record) {
    return record.topic()
        + "/"
        + record.partition()
        + "/"
        + record.offset()
        + " (message id "
        + MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID).orElse("none")
        + ")";
  }
}
