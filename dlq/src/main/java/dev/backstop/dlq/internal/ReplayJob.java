package dev.backstop.dlq.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.HeldEntries;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.Sleeper;
import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DecodedHeader;
import dev.backstop.dlq.ReplayListener;
import dev.backstop.dlq.ReplayRequest;
import dev.backstop.dlq.ReplayResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One run of a replay: reads the selected dead letters partition by partition and sends each to its
 * target with its headers (message id kept, {@code backstop.replay.count} incremented), in Kafka
 * transactions that also commit the checkpoint ({@link ReplaySender}). A re-run with the same
 * arguments starts at the checkpoint. A dry run sends and commits nothing. Not thread-safe: one run
 * per instance.
 */
public final class ReplayJob {
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

  private final KafkaClients clients;
  private final Clock clock;
  private final ReplayRequest request;
  private final ReplayListener listener;
  private final ReplayTargets targets;
  private final TokenBucket bucket;
  private final ReplayTracing tracing;
  private final List<ReplayResult.Refusal> refused = new ArrayList<>();
  private final Map<TopicPartition, Long> checkpointed = new HashMap<>();
  private ReplayPlan plan;
  private ReplaySender sender;
  private long selected;
  private long sent;
  private long scanned;
  private long position;
  private String failure;
  private Instant started;
  private Instant lastProgress;
  private boolean stopped;

  /** A replay of {@code request}; nothing happens until {@link #run()}. */
  public ReplayJob(
      KafkaClients clients,
      Clock clock,
      Sleeper sleeper,
      ReplayRequest request,
      ReplayListener listener,
      ReplayTracing tracing) {
    this.clients = clients;
    this.tracing = tracing;
    this.clock = clock;
    this.request = request;
    this.listener = listener;
    this.targets = new ReplayTargets(clients, request.target());
    this.bucket =
        request.ratePerSecond() == null
            ? null
            : new TokenBucket(request.ratePerSecond(), clock, sleeper);
  }

  /** Runs the replay to the end, to its limit, or until stopped or a send fails. */
  public ReplayResult run() {
    started = clock.instant();
    lastProgress = started;
    targets.checkNamedTarget();
    String topic = request.dlqTopic();
    List<TopicPartition> partitions =
        TopicScanner.partitions(topic, clients.partitions(topic), request.filter());
    String group =
        request.checkpoint() != null
            ? request.checkpoint()
            : Checkpoint.groupFor(clients.config().checkpointPrefix(), request.identity());
    // the sender comes first: registering its transactional id aborts what a killed run left open
    try (ReplaySender transactions =
            request.dryRun() ? null : ReplaySender.open(clients, group, clock, bucket);
        TopicScanner scanner = new TopicScanner(clients, clients.consumer(null));
        KafkaConsumer<byte[], byte[]> cp = clients.consumer(group)) {
      sender = transactions;
      plan =
          ReplayPlan.of(partitions, new Checkpoint(clients, cp, group), scanner, request.filter());
      listener.onStart(request::stop);
      for (TopicPartition tp : plan.partitions()) {
        if (!replayPartition(tp, scanner)) {
          break;
        }
      }
      return result(group);
    }
  }

  private boolean replayPartition(TopicPartition tp, TopicScanner scanner) {
    long start = plan.starts().get(tp);
    position = start;
    checkpointed.put(tp, start);
    boolean more =
        scanner.scan(
            tp,
            start,
            plan.ends().get(tp),
            record -> handle(tp, record),
            (partition, readTo) -> {
              position = Math.max(position, readTo);
              commitIfDue(tp);
            });
    commit(tp);
    return more && !stopped && failure == null;
  }

  private boolean handle(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
    if (request.stopSignal().get() || (sender != null && sender.failed())) {
      stopped = true;
      return false;
    }
    scanned++;
    DeadLetter letter = DeadLetterDecoder.decode(record);
    if (request.filter().matches(letter)) {
      Integer limit = request.filter().limit();
      if (limit != null && plan.selectedBefore() + selected >= limit) {
        return false;
      }
      selected++;
      if (!replay(letter)) {
        stopped = true;
        return false;
      }
    }
    position = record.offset() + 1;
    commitIfDue(tp);
    progress();
    return true;
  }

  /** Refuses, reports or sends one selected dead letter; false when its send failed at once. */
  private boolean replay(DeadLetter letter) {
    String target = targets.targetOf(letter);
    String reason = refusal(letter, target);
    if (reason != null) {
      refused.add(new ReplayResult.Refusal(letter.address(), reason));
      listener.onRefused(letter, reason);
      return true;
    }
    if (sender == null) {
      listener.onWouldSend(letter, target);
      return true;
    }
    try {
      ProducerRecord<byte[], byte[]> record = replayRecord(letter, target);
      return sender.send(letter, target, record, tracing.replay(letter, target, record.headers()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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

  private void commitIfDue(TopicPartition tp) {
    if (sender != null && sender.due()) {
      commit(tp);
    }
  }

  /** Commits what was sent with the checkpoint at {@link #position}, or rolls it back. */
  private void commit(TopicPartition tp) {
    if (sender == null || failure != null) {
      return;
    }
    if (sender.failed() || position > checkpointed.get(tp) || sender.due()) {
      ReplaySender.Outcome outcome =
          sender.commit(tp, Checkpoint.at(position, plan.selectedBefore() + selected));
      if (outcome.failure() != null) {
        failure = outcome.failure();
        stopped = true;
        return;
      }
      checkpointed.put(tp, position);
      for (ReplaySender.Sent s : outcome.committed()) {
        listener.onSent(s.letter(), s.target(), ++sent);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> replayRecord(DeadLetter letter, String target) {
    RecordHeaders headers = new RecordHeaders();
    for (DecodedHeader h : letter.headers()) {
      headers.add(h.name(), h.raw());
    }
    MessageHeaders.setLong(
        headers, BackstopHeaders.REPLAY_COUNT, letter.failure().replayCount() + 1L);
    MessageHeaders.setInstant(headers, BackstopHeaders.REPLAYED_AT, clock.instant());
    // a record its key's later records wait behind goes back to the partition that holds them
    Integer partition =
        target.equals(letter.failure().originalTopic())
            ? MessageHeaders.intValue(headers, HeldEntries.HEAD).toOptional().orElse(null)
            : null;
    return new ProducerRecord<>(target, partition, null, letter.key(), letter.value(), headers);
  }

  private void progress() {
    Instant now = clock.instant();
    if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
      lastProgress = now;
      listener.onProgress(
          new ReplayListener.Progress(
              sent, selected, scanned, plan.total(), Duration.between(started, now)));
    }
  }

  private ReplayResult result(String group) {
    return new ReplayResult(
        group,
        plan.resumed(),
        plan.selectedBefore(),
        selected,
        sent,
        refused,
        request.dryRun(),
        !stopped && failure == null,
        failure,
        Duration.between(started, clock.instant()));
  }
}
