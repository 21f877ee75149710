package dev.backstop.dlq.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.Sleeper;
import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterFilter;
import dev.backstop.dlq.DecodedHeader;
import dev.backstop.dlq.DlqException;
import dev.backstop.dlq.ReplayListener;
import dev.backstop.dlq.ReplayRequest;
import dev.backstop.dlq.ReplayResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One run of a replay: reads the selected dead letters partition by partition, sends each to its
 * target with its headers (message id kept, {@code backstop.replay.count} incremented), and
 * checkpoints, after every poll, the first offset whose send is not yet acknowledged. A re-run with
 * the same arguments starts at the checkpoint. Not thread-safe: one run per instance.
 */
public final class ReplayJob {
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

  /**
   * How often the checkpoint is written while a partition is read (and always at its end or a
   * stop): a hard kill can resend at most what was acknowledged in this interval.
   */
  static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

  private final KafkaClients clients;
  private final Clock clock;
  private final ReplayRequest request;
  private final ReplayListener listener;
  private final ReplayTargets targets;
  private final TokenBucket bucket;
  private final AtomicLong sent = new AtomicLong();
  private final Semaphore inFlight;
  private final AtomicReference<String> sendFailure = new AtomicReference<>();
  private final List<ReplayResult.Refusal> refused = new ArrayList<>();
  private long selected;
  private long selectedBefore;
  private Map<TopicPartition, java.util.Set<Long>> alreadyAcknowledged = Map.of();
  private java.util.Set<Long> skip = java.util.Set.of();
  private long scanned;
  private long total;
  private Instant started;
  private Instant lastProgress;
  private Instant lastCheckpoint;
  private boolean stopped;

  /** A replay of {@code request}; nothing happens until {@link #run()}. */
  public ReplayJob(
      KafkaClients clients,
      Clock clock,
      Sleeper sleeper,
      ReplayRequest request,
      ReplayListener listener) {
    this.clients = clients;
    this.clock = clock;
    this.request = request;
    this.listener = listener;
    this.targets = new ReplayTargets(clients, request.target());
    this.inFlight = new Semaphore(clients.config().maxInFlight());
    this.bucket =
        request.ratePerSecond() == null
            ? null
            : new TokenBucket(request.ratePerSecond(), clock, sleeper);
  }

  /** Runs the replay to the end, to its limit, or until stopped or a send fails. */
  public ReplayResult run() {
    started = clock.instant();
    lastProgress = started;
    lastCheckpoint = started;
    targets.checkNamedTarget();
    String topic = request.dlqTopic();
    DeadLetterFilter filter = request.filter();
    List<TopicPartition> partitions =
        TopicScanner.partitions(topic, clients.partitions(topic), filter);
    String group =
        request.checkpoint() != null
            ? request.checkpoint()
            : Checkpoint.groupFor(clients.config().checkpointPrefix(), request.identity());
    try (TopicScanner scanner = new TopicScanner(clients, clients.consumer(null));
        CheckpointConsumer cp = new CheckpointConsumer(clients, group);
        Sender sender = request.dryRun() ? null : new Sender(clients.producer())) {
      Checkpoint checkpoint = cp.checkpoint();
      Map<TopicPartition, Long> committed = checkpoint.positions(partitions);
      selectedBefore = checkpoint.selectedBefore(partitions);
      alreadyAcknowledged = checkpoint.acknowledgedAbove(partitions);
      Map<TopicPartition, Long> starts = scanner.starts(partitions, filter);
      committed.forEach((tp, offset) -> starts.merge(tp, offset, Math::max));
      Map<TopicPartition, Long> ends = scanner.ends(partitions);
      if (filter.toOffset() != null) {
        ends.replaceAll((tp, end) -> Math.min(end, filter.toOffset() + 1));
      }
      partitions.forEach(tp -> total += Math.max(0, ends.get(tp) - starts.get(tp)));
      listener.onStart(request::stop);
      for (TopicPartition tp : partitions) {
        if (!replayPartition(tp, starts.get(tp), ends.get(tp), scanner, checkpoint, sender)) {
          break;
        }
      }
      return result(group, !committed.isEmpty());
    }
  }

  private boolean replayPartition(
      TopicPartition tp, long start, long end, TopicScanner scanner, Checkpoint cp, Sender sender) {
    AckTracker tracker = new AckTracker(start);
    skip = alreadyAcknowledged.getOrDefault(tp, java.util.Set.of());
    boolean more =
        scanner.scan(
            tp,
            start,
            end,
            record -> handle(record, tracker, sender),
            (partition, position) -> {
              tracker.readTo(position);
              if (Duration.between(lastCheckpoint, clock.instant()).compareTo(CHECKPOINT_EVERY)
                  >= 0) {
                save(cp, tp, tracker, start);
              }
            });
    if (sender != null) {
      sender.flush();
    }
    save(cp, tp, tracker, start);
    return more && !stopped;
  }

  private void save(Checkpoint cp, TopicPartition tp, AckTracker tracker, long start) {
    lastCheckpoint = clock.instant();
    long offset = tracker.safeOffset();
    if (!request.dryRun() && offset > start) {
      cp.commit(
          tp, offset, selectedBefore + selected - tracker.inFlight(), tracker.acknowledgedAbove());
    }
  }

  /**
   * Takes an in-flight permit before looking at the record (so a stop is seen after waiting for
   * one), and gives it back unless the record was handed to the producer, whose callback gives it
   * back.
   */
  private boolean handle(ConsumerRecord<byte[], byte[]> record, AckTracker tracker, Sender sender) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
      return false;
    }
    AtomicBoolean permitHandedOver = new AtomicBoolean();
    try {
      if (request.stopSignal().get() || sendFailure.get() != null) {
        stopped = true;
        return false;
      }
      return select(record, tracker, sender, permitHandedOver);
    } finally {
      if (!permitHandedOver.get()) {
        inFlight.release();
      }
    }
  }

  private boolean select(
      ConsumerRecord<byte[], byte[]> record,
      AckTracker tracker,
      Sender sender,
      AtomicBoolean permitHandedOver) {
    scanned++;
    if (skip.contains(record.offset())) {
      tracker.done(record.offset()); // sent and acknowledged by an earlier run, past a gap
      return true;
    }
    DeadLetter letter = DeadLetterDecoder.decode(record);
    if (!request.filter().matches(letter)) {
      tracker.done(record.offset());
      return true;
    }
    Integer limit = request.filter().limit();
    if (limit != null && selectedBefore + selected >= limit) {
      return false;
    }
    selected++;
    String target = targets.targetOf(letter);
    String reason = refusal(letter, target);
    if (reason != null) {
      refused.add(new ReplayResult.Refusal(letter.address(), reason));
      listener.onRefused(letter, reason);
      tracker.done(record.offset());
    } else if (sender == null) {
      listener.onWouldSend(letter, target);
      tracker.done(record.offset());
    } else if (!send(letter, target, tracker, sender, permitHandedOver)) {
      stopped = true;
      return false;
    }
    progress();
    return true;
  }

  private String refusal(DeadLetter letter, String target) {
    int replays = letter.failure().replayCount();
    if (replays >= request.maxReplays()) {
      return "replayed "
          + replays
          + " time"
          + (replays == 1 ? "" : "s")
          + " already (--max-replays "
          + request.maxReplays()
          + ")";
    }
    return targets.refusal(target);
  }

  private boolean send(
      DeadLetter letter,
      String target,
      AckTracker tracker,
      Sender sender,
      AtomicBoolean permitHandedOver) {
    try {
      if (bucket != null) {
        bucket.acquire();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    long offset = letter.address().offset();
    tracker.sent(offset);
    AtomicBoolean released = new AtomicBoolean();
    permitHandedOver.set(true);
    try {
      sender.producer.send(
          replayRecord(letter, target),
          (metadata, error) -> {
            if (error == null) {
              tracker.acknowledged(offset);
              listener.onSent(letter, target, sent.incrementAndGet());
            } else {
              failed(letter, target, error);
            }
            if (released.compareAndSet(false, true)) {
              inFlight.release();
            }
          });
      return true;
    } catch (KafkaException e) {
      failed(letter, target, e);
      if (released.compareAndSet(false, true)) {
        inFlight.release();
      }
      return false;
    }
  }

  private void failed(DeadLetter letter, String target, Exception error) {
    sendFailure.compareAndSet(
        null,
        "send of "
            + letter.address()
            + " to "
            + target
            + " failed: "
            + clients.config().redact(error.getMessage()));
  }

  private ProducerRecord<byte[], byte[]> replayRecord(DeadLetter letter, String target) {
    RecordHeaders headers = new RecordHeaders();
    for (DecodedHeader h : letter.headers()) {
      headers.add(h.name(), h.raw());
    }
    MessageHeaders.setLong(
        headers, BackstopHeaders.REPLAY_COUNT, letter.failure().replayCount() + 1L);
    MessageHeaders.setInstant(headers, BackstopHeaders.REPLAYED_AT, clock.instant());
    return new ProducerRecord<>(target, null, null, letter.key(), letter.value(), headers);
  }

  private void progress() {
    Instant now = clock.instant();
    if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
      lastProgress = now;
      listener.onProgress(
          new ReplayListener.Progress(
              sent.get(), selected, scanned, total, Duration.between(started, now)));
    }
  }

  private ReplayResult result(String group, boolean resumed) {
    String failure = sendFailure.get();
    return new ReplayResult(
        group,
        resumed,
        selectedBefore,
        selected,
        sent.get(),
        refused,
        request.dryRun(),
        !stopped && failure == null,
        failure,
        Duration.between(started, clock.instant()));
  }

  /** The checkpoint's consumer, closed with the job. */
  private static final class CheckpointConsumer implements AutoCloseable {
    private final org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer;
    private final Checkpoint checkpoint;

    CheckpointConsumer(KafkaClients clients, String group) {
      this.consumer = clients.consumer(group);
      this.checkpoint = new Checkpoint(clients, consumer, group);
    }

    Checkpoint checkpoint() {
      return checkpoint;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The producer, flushed and closed with the job. */
  private static final class Sender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    Sender(KafkaProducer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    void flush() {
      try {
        producer.flush();
      } catch (KafkaException e) {
        throw new DlqException("Could not flush replayed records: " + e.getMessage(), null);
      }
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
