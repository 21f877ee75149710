package dev.backstop.dlq.internal;

import dev.backstop.dlq.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends replayed records in Kafka transactions: each transaction holds at most {@code maxRecords}
 * records, or what {@link #COMMIT_EVERY} brought, and commits together with the checkpoint offsets
 * of the dead letters it replays ({@code sendOffsetsToTransaction}). A {@code read_committed}
 * consumer of the target sees a record exactly when its checkpoint is written: a crash or a failed
 * send rolls both back, and the next run starts where the last commit ended. The transactional id
 * is the checkpoint's name, so a resumed run fences a paused or stuck run of the same replay and
 * aborts the transaction it left open. Not thread-safe: used by the replay thread (producer
 * callbacks only record the first failure).
 */
final class ReplaySender implements AutoCloseable {
  /** The longest a transaction stays open while records keep coming. */
  static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

  private static final int COMMIT_ATTEMPTS = 8;

  /** Distinct send errors reported (a broker refuses a whole batch for one record of it). */
  private static final int FAILURES_SHOWN = 3;

  /** A record sent in the open transaction. */
  record Sent(DeadLetter letter, String target) {}

  /** What a commit did: the records it made visible, or why it rolled back. */
  record Outcome(List<Sent> committed, String failure) {}

  private final KafkaClients clients;
  private final KafkaProducer<byte[], byte[]> producer;
  private final String transactionalId;
  private final ConsumerGroupMetadata group;
  private final Clock clock;
  private final TokenBucket bucket;
  private final int maxRecords;
  private final List<Sent> pending = new ArrayList<>();
  private final Map<String, String> sendFailures = new LinkedHashMap<>();
  private Instant openedAt;
  private boolean fenced;

  private ReplaySender(
      KafkaClients clients,
      KafkaProducer<byte[], byte[]> producer,
      String transactionalId,
      Clock clock,
      TokenBucket bucket) {
    this.clients = clients;
    this.producer = producer;
    this.transactionalId = transactionalId;
    this.group = new ConsumerGroupMetadata(transactionalId);
    this.clock = clock;
    this.bucket = bucket;
    this.maxRecords = clients.config().maxInFlight();
  }

  /**
   * A sender whose transactional id and checkpoint group are {@code checkpoint}. Registering the id
   * fences any earlier producer of this replay and aborts its open transaction, so it must happen
   * before the checkpoint is read.
   */
  static ReplaySender open(
      KafkaClients clients, String checkpoint, Clock clock, TokenBucket bucket) {
    KafkaProducer<byte[], byte[]> producer = clients.transactionalProducer(checkpoint);
    try {
      clients.call(
          "start transactions with transactional.id "
              + checkpoint
              + " (the principal needs WRITE and DESCRIBE on that transactional id)",
          () -> {
            producer.initTransactions();
            return null;
          });
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    return new ReplaySender(clients, producer, checkpoint, clock, bucket);
  }

  /** Whether a send has failed; the open transaction can then only roll back. */
  boolean failed() {
    return sendFailure() != null || fenced;
  }

  /** Whether the open transaction is full or has been open for {@link #COMMIT_EVERY}. */
  boolean due() {
    return openedAt != null
        && (pending.size() >= maxRecords
            || Duration.between(openedAt, clock.instant()).compareTo(COMMIT_EVERY) >= 0);
  }

  /**
   * Sends {@code record}, waiting for the rate limit first, in the open transaction (opening one).
   *
   * @return false when the producer refused it at once (the reason is kept for {@link #commit})
   */
  boolean send(
      DeadLetter letter,
      String target,
      ProducerRecord<byte[], byte[]> record,
      ReplayTracing.Send span)
      throws InterruptedException {
    if (bucket != null) {
      bucket.acquire();
    }
    try {
      begin();
      producer.send(
          record,
          (metadata, error) -> {
            span.acknowledged(error);
            if (error != null) {
              failed(letter, target, error);
            }
          });
      pending.add(new Sent(letter, target));
      return true;
    } catch (KafkaException e) {
      span.acknowledged(e);
      failed(letter, target, e);
      return false;
    }
  }

  /**
   * Commits the open transaction (opening one when only offsets moved) with {@code position} as the
   * checkpoint of {@code partition}; rolls it back when a send failed or the commit fails.
   */
  Outcome commit(TopicPartition partition, OffsetAndMetadata position) {
    if (failed()) {
      return rollBack();
    }
    try {
      begin();
      producer.sendOffsetsToTransaction(Map.of(partition, position), group);
      commitTransaction();
      List<Sent> committed = List.copyOf(pending);
      pending.clear();
      openedAt = null;
      return new Outcome(committed, null);
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      fenced = true;
      return rollBack(
          "another run of this replay took over transactional.id "
              + transactionalId
              + " (the same command, or the same --checkpoint, started elsewhere); this run"
              + " stopped");
    } catch (KafkaException e) {
      return rollBack(
          "could not commit the replay transaction: " + clients.config().redact(e.getMessage()));
    }
  }

  /** Rolls the open transaction back; its records and checkpoint are not visible. */
  Outcome rollBack() {
    return rollBack(null);
  }

  private Outcome rollBack(String reason) {
    String failure = sendFailure() != null ? sendFailure() : reason;
    int lost = pending.size();
    abort();
    return new Outcome(
        List.of(),
        (failure == null ? "stopped" : failure)
            + "; its transaction was rolled back, so the "
            + lost
            + " record"
            + (lost == 1 ? "" : "s")
            + " sent in it are not visible to read_committed consumers and will be sent again by"
            + " a re-run");
  }

  private void begin() {
    if (openedAt == null) {
      producer.beginTransaction();
      openedAt = clock.instant();
    }
  }

  /** Commits, again after a timeout (the commit waits for every send; retrying it is safe). */
  private void commitTransaction() {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt == COMMIT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void abort() {
    pending.clear();
    if (openedAt != null && !fenced) {
      try {
        producer.abortTransaction();
      } catch (KafkaException e) {
        // the next run's registration aborts it, or the coordinator once it times out
      }
    }
    openedAt = null;
  }

  /**
   * Keeps the first record of each distinct error (up to {@link #FAILURES_SHOWN}): when the broker
   * refuses a batch for one of its records, the others fail with a generic error first.
   */
  private void failed(DeadLetter letter, String target, Exception error) {
    String reason =
        error.getClass().getSimpleName() + ": " + clients.config().redact(error.getMessage());
    synchronized (sendFailures) {
      if (sendFailures.size() < FAILURES_SHOWN) {
        sendFailures.putIfAbsent(
            reason, "send of " + letter.address() + " to " + target + " failed: " + reason);
      }
    }
  }

  private String sendFailure() {
    synchronized (sendFailures) {
      return sendFailures.isEmpty() ? null : String.join("; ", sendFailures.values());
    }
  }

  @Override
  public void close() {
    abort();
    producer.close(Duration.ofSeconds(5));
  }
}
