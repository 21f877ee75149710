package dev.backstop.outbox.internal;

import dev.backstop.core.ErrorClassifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;

/**
 * Sends one batch asynchronously through the idempotent producer, waits for every ack, and sorts
 * the rows into an {@link Outcome}. No database work happens here. Rows of a key that is parked (or
 * gets parked in this batch before they are sent) are not sent. Used by the relay thread only.
 */
public final class Publisher {

  /** What a failed send means. */
  public enum Action {
    /** Kafka will never accept this record: park it with the later rows of its key. */
    PARK,
    /** Kafka is unavailable or slow: keep the row and try again after a backoff. */
    RETRY
  }

  /** Kafka errors that no retry fixes. */
  public static final ErrorClassifier<Action> ERRORS =
      ErrorClassifier.<Action>builder()
          .on(RecordTooLargeException.class, Action.PARK)
          .on(RecordBatchTooLargeException.class, Action.PARK)
          .on(InvalidTopicException.class, Action.PARK)
          .on(AuthorizationException.class, Action.PARK)
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

  private final Producer<byte[], byte[]> producer;
  private final SizeGuard sizeGuard;

  public Publisher(Producer<byte[], byte[]> producer, SizeGuard sizeGuard) {
    this.producer = producer;
    this.sizeGuard = sizeGuard;
  }

  /** A batch handed to the producer whose acks were not awaited yet. */
  public record InFlight(
      List<Row> sent,
      AtomicReferenceArray<Exception> errors,
      Outcome outcome,
      Set<LaneKey> parkedNow) {}

  /** Publishes {@code batch} (ordered by lane, seq); {@code parkedKeys} are keys parked before. */
  public Outcome publish(List<Row> batch, Set<LaneKey> parkedKeys) {
    return await(send(batch, parkedKeys));
  }

  /** Hands {@code batch} to the producer without waiting for the acks. */
  public InFlight send(List<Row> batch, Set<LaneKey> parkedKeys) {
    Outcome outcome = new Outcome();
    Set<LaneKey> parkedNow = new HashSet<>();
    List<Row> sent = new ArrayList<>(batch.size());
    AtomicReferenceArray<Exception> errors = new AtomicReferenceArray<>(batch.size());
    for (Row row : batch) {
      LaneKey key = LaneKey.of(row);
      if (key != null && parkedKeys.contains(key)) {
        outcome.parked.add(new Outcome.Parked(row, "follows a parked message of its key", true));
        continue;
      }
      if (key != null && parkedNow.contains(key)) {
        outcome.parked.add(new Outcome.Parked(row, "follows a parked message of its key", false));
        continue;
      }
      List<Header> headers = HeaderCodec.decode(row.headers());
      String tooLarge = sizeGuard.rejection(row.topic(), row.key(), row.value(), headers);
      if (tooLarge != null) {
        outcome.parked.add(new Outcome.Parked(row, tooLarge, false));
        if (key != null) {
          parkedNow.add(key);
        }
        continue;
      }
      int index = sent.size();
      sent.add(row);
      try {
        producer.send(
            new ProducerRecord<>(row.topic(), null, null, row.key(), row.value(), headers),
            (metadata, error) -> {
              if (error != null) {
                errors.set(index, error);
              }
            });
      } catch (RuntimeException e) {
        errors.set(index, e);
      }
      Exception immediate = errors.get(index);
      if (immediate != null && ERRORS.classify(immediate).action() == Action.RETRY) {
        // no metadata or no buffer: every further send would block as long; try again later
        outcome.retriable = immediate;
        break;
      }
    }
    return new InFlight(sent, errors, outcome, parkedNow);
  }

  /** Waits for every ack of {@code inFlight} and sorts its rows. */
  public Outcome await(InFlight inFlight) {
    producer.flush();
    sort(inFlight.sent(), inFlight.errors(), inFlight.outcome(), inFlight.parkedNow());
    return inFlight.outcome();
  }

  private static void sort(
      List<Row> sent,
      AtomicReferenceArray<Exception> errors,
      Outcome outcome,
      Set<LaneKey> parkedNow) {
    for (int i = 0; i < sent.size(); i++) {
      Row row = sent.get(i);
      Exception error = errors.get(i);
      LaneKey key = LaneKey.of(row);
      if (error == null) {
        outcome.acked.add(row);
      } else if (ERRORS.classify(error).action() == Action.PARK
          || (key != null && parkedNow.contains(key))) {
        outcome.parked.add(new Outcome.Parked(row, describe(error), false));
        if (key != null) {
          parkedNow.add(key);
        }
      } else {
        outcome.kept++;
        if (outcome.retriable == null) {
          outcome.retriable = error;
        }
      }
    }
  }

  static String describe(Throwable error) {
    String text = error.getClass().getSimpleName() + ": " + error.getMessage();
    return text.length() > 1900 ? text.substring(0, 1900) : text;
  }
}
