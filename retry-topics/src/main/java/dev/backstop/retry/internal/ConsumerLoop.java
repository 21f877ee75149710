package dev.backstop.retry.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread: the main consumer of the source topics, or the consumer of the tier topics
 * of one delay. It never sleeps: records wait in {@link PartitionBuffers} while their partitions
 * are paused, and the poll timeout shrinks to the next due time. An offset is committed only after
 * its record was handled, skipped, or its forward acknowledged. Not thread-safe except {@link
 * #stop()}, {@link #failure()} and {@link #isRunning()}.
 */
final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** How long a partition rests after a refused forward before its record is handled again. */
  static final Duration REWIND_PAUSE = Duration.ofSeconds(1);

  /** A finished record whose offset may be committed once its forward (if any) is acknowledged. */
  private record Pending(
      TopicPartition partition, long offset, Future<RecordMetadata> ack, Runnable afterAck) {}

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final Collection<String> topics;
  private final Duration tierDelay;
  private final RecordProcessor<?, ?> processor;
  private final CircuitGate circuit;
  private final ConsumerMetrics metrics;
  private final Clock clock;
  private final Duration pollTimeout;
  private final Duration sendTimeout;
  private final PartitionBuffers buffers = new PartitionBuffers();
  private final List<Pending> pending = new ArrayList<>();
  private final Map<TopicPartition, Instant> rewoundUntil = new HashMap<>();
  private volatile String forwardProblem;
  private volatile boolean stopping;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param tierDelay the delay of the tier topics this loop consumes, or null for source topics
   */
  ConsumerLoop(
      String name,
      Consumer<byte[], byte[]> consumer,
      Collection<String> topics,
      Duration tierDelay,
      RecordProcessor<?, ?> processor,
      CircuitGate circuit,
      ConsumerMetrics metrics,
      Clock clock,
      Duration pollTimeout,
      Duration sendTimeout) {
    this.name = name;
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.tierDelay = tierDelay;
    this.processor = processor;
    this.circuit = circuit;
    this.metrics = metrics;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.sendTimeout = sendTimeout;
  }

  @Override
  public void run() {
    boolean clean = false;
    try {
      consumer.subscribe(topics, new Rebalance());
      while (!stopping) {
        try {
          buffers.add(consumer.poll(nextPollTimeout()));
        } catch (WakeupException e) {
          continue;
        }
        processRound();
        finishRound();
        reconcilePauses();
      }
      finishRound();
      clean = true;
    } catch (WakeupException e) {
      finishRound();
      clean = true;
    } catch (Throwable t) {
      failure = t;
      pending.clear();
      LOG.error("Consumer {} stopped without committing its in-flight records", name, t);
    } finally {
      running = false;
      consumer.close(CloseOptions.timeout(clean ? Duration.ofSeconds(10) : Duration.ZERO));
    }
  }

  /** Asks the loop to finish its current record, commit, and leave the group. */
  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** True from construction until the loop has ended. */
  boolean isRunning() {
    return running;
  }

  /** The latest forward the broker refused, while no later forward succeeded; or null. */
  String forwardProblem() {
    return forwardProblem;
  }

  /** The error that stopped the loop, or null. */
  Throwable failure() {
    return failure;
  }

  String name() {
    return name;
  }

  private Duration nextPollTimeout() {
    if (buffers.isEmpty() || holding()) {
      return pollTimeout;
    }
    if (tierDelay == null) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    Instant next = null;
    for (TopicPartition partition : buffers.partitions()) {
      Instant due = DueTimes.dueAt(buffers.head(partition), tierDelay);
      next = next == null || due.isBefore(next) ? due : next;
    }
    Duration wait = Duration.between(now, next);
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(pollTimeout) < 0 ? wait.plusMillis(1) : pollTimeout;
  }

  private boolean holding() {
    return circuit.holding(!buffers.isEmpty());
  }

  /** Handles every due head record, partition by partition, within one poll timeout. */
  private void processRound() {
    Instant roundEnd = clock.instant().plus(pollTimeout);
    for (TopicPartition partition : buffers.partitions()) {
      while (!stopping) {
        ConsumerRecord<byte[], byte[]> record = buffers.head(partition);
        if (record == null) {
          break;
        }
        Instant now = clock.instant();
        Instant due = tierDelay == null ? null : DueTimes.dueAt(record, tierDelay);
        if (due != null && due.isAfter(now)) {
          break;
        }
        RecordProcessor.Outcome outcome = processor.process(record);
        if (outcome instanceof RecordProcessor.Held) {
          return;
        }
        if (due != null) {
          metrics.lateness(Duration.between(due, now));
        }
        if (outcome instanceof RecordProcessor.Forwarded forwarded) {
          pending.add(
              new Pending(partition, record.offset(), forwarded.ack(), forwarded.afterAck()));
        } else {
          pending.add(new Pending(partition, record.offset(), null, null));
        }
        buffers.pop(partition);
        if (clock.instant().isAfter(roundEnd)) {
          return;
        }
      }
    }
  }

  /**
   * Waits for the acknowledgements of this round's forwards, then commits every partition up to its
   * first unacknowledged forward; a partition whose forward failed is rewound to that record.
   */
  private void finishRound() {
    if (pending.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
    Map<TopicPartition, Long> rewinds = new HashMap<>();
    long deadline = System.nanoTime() + sendTimeout.toNanos();
    for (Pending done : pending) {
      if (rewinds.containsKey(done.partition())) {
        continue;
      }
      if (done.ack() != null && !acknowledged(done, deadline)) {
        rewinds.put(done.partition(), done.offset());
        continue;
      }
      if (done.ack() != null) {
        forwardProblem = null;
      }
      if (done.afterAck() != null) {
        done.afterAck().run();
      }
      commits.put(done.partition(), new OffsetAndMetadata(done.offset() + 1));
    }
    pending.clear();
    commit(commits);
    for (Map.Entry<TopicPartition, Long> rewind : rewinds.entrySet()) {
      buffers.drop(List.of(rewind.getKey()));
      if (consumer.assignment().contains(rewind.getKey())) {
        consumer.seek(rewind.getKey(), rewind.getValue());
        rewoundUntil.put(rewind.getKey(), clock.instant().plus(REWIND_PAUSE));
      }
    }
  }

  private boolean acknowledged(Pending done, long deadline) {
    try {
      done.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      String cause = e.getCause() == null ? e.toString() : e.getCause().toString();
      forwardProblem = "forward of " + done.partition() + " offset " + done.offset() + ": " + cause;
      LOG.warn(
          "Forward of {} offset {} was not acknowledged; it stays uncommitted and is handled"
              + " again in {}: {}",
          done.partition(),
          done.offset(),
          REWIND_PAUSE,
          cause);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> commits) {
    if (commits.isEmpty()) {
      return;
    }
    for (int tries = 0; tries < 2; tries++) {
      try {
        consumer.commitSync(commits);
        return;
      } catch (WakeupException e) {
        LOG.debug("Commit interrupted by shutdown; committing again");
      } catch (KafkaException e) {
        LOG.warn(
            "Commit of {} failed; those records will be delivered again: {}",
            commits,
            e.toString());
        return;
      }
    }
  }

  private void reconcilePauses() {
    Instant now = clock.instant();
    rewoundUntil.values().removeIf(until -> !until.isAfter(now));
    Set<TopicPartition> waiting = new HashSet<>(buffers.partitions());
    waiting.addAll(rewoundUntil.keySet());
    PartitionBuffers.PauseChange change =
        PartitionBuffers.reconcile(consumer.assignment(), consumer.paused(), waiting, holding());
    if (!change.pause().isEmpty()) {
      consumer.pause(change.pause());
      LOG.debug("{} paused {}", name, change.pause());
    }
    if (!change.resume().isEmpty()) {
      consumer.resume(change.resume());
      LOG.debug("{} resumed {}", name, change.resume());
    }
  }

  /** Commits finished work before partitions go; re-establishes pauses after an assignment. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (failure != null) {
        return;
      }
      finishRound();
      buffers.drop(partitions);
      rewoundUntil.keySet().removeAll(partitions);
      LOG.debug("{} revoked {}", name, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      reconcilePauses();
      LOG.debug("{} assigned {}", name, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      pending.removeIf(p -> partitions.contains(p.partition()));
      buffers.drop(partitions);
      rewoundUntil.keySet().removeAll(partitions);
      LOG.debug("{} lost {}", name, partitions);
    }
  }
}
