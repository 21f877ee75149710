package dev.backstop.outbox.internal;

import dev.backstop.core.ErrorClassifier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.header.Header;

/**
 * Sends one batch in one Kafka transaction, waits for every ack up to a deadline, then commits, or
 * aborts on any failure, and sorts the rows into a {@link BatchOutcome}: a row counts as published
 * only when its own ack was recorded and the transaction committed. No database work happens here.
 * Rows of a key that is parked (or gets parked in this batch) are not sent or, once sent, are
 * parked with it. Used by the relay thread only.
 */
final class Publisher {

  /** What a failed send means. */
  public enum Action {
    /** Kafka will never accept this record: park it with the later rows of its key. */
    PARK,
    /** Kafka is unavailable or slow, or the producer failed: keep the row and try again later. */
    RETRY
  }

  /**
   * Kafka errors of one record that no retry fixes. Errors of the producer as a whole (cluster or
   * transactional-id authorization, a fenced or failed producer) are RETRY: the producer is built
   * again and the rows stay.
   */
  public static final ErrorClassifier<Action> ERRORS =
      ErrorClassifier.<Action>builder()
          .on(RecordTooLargeException.class, Action.PARK)
          .on(RecordBatchTooLargeException.class, Action.PARK)
          .on(InvalidTopicException.class, Action.PARK)
          .on(TopicAuthorizationException.class, Action.PARK)
          .on(InvalidRecordException.class, Action.PARK)
          .on(SerializationException.class, Action.PARK)
          .orElse(Action.RETRY)
          .build();

  /** A parked key: the lane and the key bytes. */
  public record LaneKey(int lane, ByteBuffer key) {
    static LaneKey of(Row row) {
      return row.key() == null ? null : new LaneKey(row.lane(), ByteBuffer.wrap(row.key()));
    }
  }

  private final RelayProducer producer;
  private final SizeGuard sizeGuard;
  private final OutboxTracing tracing;

  public Publisher(RelayProducer producer, SizeGuard sizeGuard) {
    this(producer, sizeGuard, OutboxTracing.NONE);
  }

  /** A publisher whose publications are traced by {@code tracing}. */
  public Publisher(RelayProducer producer, SizeGuard sizeGuard, OutboxTracing tracing) {
    this.tracing = tracing;
    this.producer = producer;
    this.sizeGuard = sizeGuard;
  }

  /** A batch handed to the producer in an open transaction, whose acks were not awaited yet. */
  public record InFlight(List<Row> sent, Acks acks, BatchOutcome outcome, Set<LaneKey> parkedNow) {}

  /** Publishes {@code batch} (ordered by lane, seq); {@code parkedKeys} are keys parked before. */
  public BatchOutcome publish(List<Row> batch, Set<LaneKey> parkedKeys, Duration timeout) {
    return await(send(batch, parkedKeys), timeout);
  }

  /**
   * Begins a transaction and hands {@code batch} to the producer without waiting for the acks.
   * Throws when no transaction can begin (the producer cannot be initialized); nothing was sent.
   */
  public InFlight send(List<Row> batch, Set<LaneKey> parkedKeys) {
    BatchOutcome outcome = new BatchOutcome();
    Set<LaneKey> parkedNow = new HashSet<>();
    List<Row> sent = new ArrayList<>(batch.size());
    Acks acks = new Acks(batch.size());
    Producer<byte[], byte[]> kafka = null;
    for (Row row : batch) {
      LaneKey key = LaneKey.of(row);
      if (key != null && parkedKeys.contains(key)) {
        outcome.parked.add(
            new BatchOutcome.Parked(row, "follows a parked message of its key", true));
        continue;
      }
      if (key != null && parkedNow.contains(key)) {
        outcome.parked.add(
            new BatchOutcome.Parked(row, "follows a parked message of its key", false));
        continue;
      }
      List<Header> headers = HeaderCodec.decode(row.headers());
      String tooLarge = sizeGuard.rejection(row.topic(), row.key(), row.value(), headers);
      if (tooLarge != null) {
        outcome.parked.add(new BatchOutcome.Parked(row, tooLarge, false));
        if (key != null) {
          parkedNow.add(key);
        }
        continue;
      }
      if (kafka == null) {
        kafka = producer.begin();
      }
      headers = tracing.publish(row.topic(), headers);
      int index = sent.size();
      sent.add(row);
      acks.expect();
      try {
        kafka.send(
            new ProducerRecord<>(row.topic(), null, null, row.key(), row.value(), headers),
            (metadata, error) -> acks.done(index, metadata != null && error == null, error));
      } catch (RuntimeException e) {
        // the producer failed (not this record): the transaction cannot commit, send no more
        acks.done(index, false, e);
        break;
      }
      if (acks.failed()) {
        // the transaction will abort: every further record would be aborted with it
        break;
      }
    }
    return new InFlight(sent, acks, outcome, parkedNow);
  }

  /**
   * Waits up to {@code timeout} for every ack of {@code inFlight} or the first failure, then
   * commits when all arrived without error; else aborts (the failures so far are records Kafka
   * rejects for good, so the broker is reachable) or discards the producer (a deadline, a retriable
   * or producer-wide error), and sorts the rows.
   */
  public BatchOutcome await(InFlight inFlight, Duration timeout) {
    BatchOutcome outcome = inFlight.outcome();
    if (inFlight.sent().isEmpty()) {
      return outcome;
    }
    Acks acks = inFlight.acks();
    boolean complete = acks.await(timeout);
    boolean committed = false;
    if (!complete) {
      producer.discard();
      outcome.retriable =
          new TimeoutException(
              "Kafka acknowledged "
                  + acks.acknowledged()
                  + " of "
                  + inFlight.sent().size()
                  + " records within "
                  + timeout
                  + "; the transaction was abandoned");
    } else if (!acks.failed()) {
      RuntimeException error = producer.commit();
      committed = error == null;
      outcome.retriable = error;
    } else if (acks.onlyPermanentErrors()) {
      producer.abort();
    } else {
      producer.discard();
    }
    sort(inFlight, committed);
    return outcome;
  }

  private static void sort(InFlight inFlight, boolean committed) {
    BatchOutcome outcome = inFlight.outcome();
    Set<LaneKey> parkedNow = inFlight.parkedNow();
    List<Row> sent = inFlight.sent();
    Acks acks = inFlight.acks();
    for (int i = 0; i < sent.size(); i++) {
      Row row = sent.get(i);
      LaneKey key = LaneKey.of(row);
      Exception error = acks.error(i);
      if (committed && acks.acknowledged(i)) {
        outcome.acked.add(row);
      } else if (error != null && permanent(error)) {
        outcome.parked.add(new BatchOutcome.Parked(row, describe(error), false));
        if (key != null) {
          parkedNow.add(key);
        }
      } else if (key != null && parkedNow.contains(key)) {
        // aborted with the transaction; its key is parked, so it follows into the parked table
        outcome.parked.add(
            new BatchOutcome.Parked(row, "follows a parked message of its key", false));
      } else {
        outcome.kept++;
        if (outcome.retriable == null && error != null && !aborted(error)) {
          outcome.retriable = error;
        }
        if (outcome.retriable == null && committed) {
          outcome.retriable =
              new IllegalStateException("no ack recorded for message " + row.messageId());
        }
      }
    }
  }

  /** Whether {@code error}, reported for one record, means Kafka will never accept the record. */
  static boolean permanent(Throwable error) {
    // a wrapper (not an ApiException) reports a failure of the producer, not of this record
    return (error instanceof ApiException || error instanceof SerializationException)
        && ERRORS.classify(error).action() == Action.PARK;
  }

  private static boolean aborted(Throwable error) {
    return error instanceof TransactionAbortedException;
  }

  static String describe(Throwable error) {
    String text = error.getClass().getSimpleName() + ": " + error.getMessage();
    return text.length() > 1900 ? text.substring(0, 1900) : text;
  }

  /** The outcome of each record of a batch as the producer reports it; thread-safe. */
  public static final class Acks {
    private final boolean[] acknowledged;
    private final Exception[] errors;
    private final boolean[] done;
    private int outstanding;
    private int acknowledgedCount;
    private boolean failed;
    private boolean onlyPermanent = true;

    Acks(int size) {
      acknowledged = new boolean[size];
      errors = new Exception[size];
      done = new boolean[size];
    }

    synchronized void expect() {
      outstanding++;
    }

    synchronized void done(int index, boolean ok, Exception error) {
      if (done[index]) {
        return;
      }
      done[index] = true;
      outstanding--;
      if (ok) {
        acknowledged[index] = true;
        acknowledgedCount++;
      } else {
        errors[index] = error;
        failed = true;
        if (error == null || (!permanent(error) && !aborted(error))) {
          onlyPermanent = false;
        }
      }
      notifyAll();
    }

    /** Waits until every record completed or one failed (the transaction cannot commit then). */
    synchronized boolean await(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (outstanding > 0 && !failed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return true;
    }

    synchronized boolean failed() {
      return failed;
    }

    synchronized boolean onlyPermanentErrors() {
      return onlyPermanent;
    }

    synchronized boolean acknowledged(int index) {
      return acknowledged[index];
    }

    synchronized int acknowledged() {
      return acknowledgedCount;
    }

    synchronized Exception error(int index) {
      return errors[index];
    }
  }
}
