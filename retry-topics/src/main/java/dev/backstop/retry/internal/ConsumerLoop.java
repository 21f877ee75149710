package dev.backstop.retry.internal;

import dev.backstop.core.HeldEntries;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.Ordering;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop: the main consumer of the source topics, or the consumer of the tier topics of
 * one delay. Its poll thread only polls, dispatches records to a bounded pool of workers, and
 * commits; the handler runs on the workers. It never sleeps: records wait in {@link PartitionWork}
 * while their partitions are paused, and the poll returns early when a worker finishes or a tier
 * record falls due. A partition's offset is committed up to its first record that is not finished
 * (handled, skipped, or its forward acknowledged), never past it.
 *
 * <p>Not thread-safe except {@link #stop(long)}, {@link #failure()}, {@link #isRunning()}, {@link
 * #forwardProblem()} and the gauges; everything else runs on the loop's own thread.
 */
final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** How long a record rests after a refused forward before it is handled again. */
  static final Duration REST_AFTER_REFUSED_FORWARD = Duration.ofSeconds(1);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final int COMMIT_TRIES = 3;
  private static final Duration KEEP_ALIVE = Duration.ofMillis(20);

  /** How often the source loop reads its held-keys partitions while keys are held. */
  static final Duration HELD_READ_INTERVAL = Duration.ofMillis(20);

  private static final Runnable NOTHING = () -> {};

  /**
   * What the source loop uses to keep per-key order across retries: the held keys of its
   * partitions, their topic's writer and reader, and the bound on held records.
   */
  record Holding(String group, HeldKeys keys, HeldWriter writer, HeldReader reader, int max) {}

  /** What a record of a held key became at dispatch. */
  private enum Hold {
    /** Not held: start it. */
    GO,
    /** Kept behind its key's head. */
    KEPT,
    /** It would be held, but the bound is reached: this partition starts nothing for now. */
    BLOCKED
  }

  /** How a loop runs; the same for the main and the tier loops of one consumer. */
  record Settings(
      Ordering ordering,
      int concurrency,
      int maxBufferedRecords,
      int maxPollRecords,
      Duration pollTimeout,
      Duration commitInterval,
      Duration shutdownTimeout) {}

  /** What workers and producer callbacks tell the poll thread. */
  private sealed interface Event {}

  private record Finished(
      PartitionWork work, PartitionWork.Entry entry, RecordProcessor.Outcome outcome)
      implements Event {}

  private record Acknowledged(
      PartitionWork work, PartitionWork.Entry entry, Runnable afterAck, Throwable error)
      implements Event {}

  private record Crashed(Throwable error) implements Event {}

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final Collection<String> topics;
  private final Duration tierDelay;
  private final RecordProcessor<?, ?> processor;
  private final CircuitGate circuit;
  private final ConsumerMetrics metrics;
  private final Clock clock;
  private final Settings settings;
  private final ExecutorService workers;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final Map<TopicPartition, PartitionWork> works = new LinkedHashMap<>();
  private final List<PartitionWork> rotation = new ArrayList<>();

  /** Key-order mode of the source loop, else null. */
  private final Holding holding;

  /** Per held-keys partition, the held records of released keys being handled, one per key. */
  private final Map<TopicPartition, PartitionWork> heldWorks = new HashMap<>();

  private final Map<String, String> sourceByHeldTopic = new HashMap<>();

  /**
   * Per partition, the epoch millis its time lag counts from: the timestamp of its oldest
   * unfinished record (in a tier loop, its due time), or -1 when every fetched record is finished.
   * Written by the poll thread, read by the lag gauges.
   */
  private final Map<TopicPartition, Long> lagSince = new ConcurrentHashMap<>();

  private long lastHeldReadNanos;
  private volatile int heldKeysGauge;
  private volatile int heldRecordsGauge;
  private int cursor;

  /** Records handed to the pool and not yet reported back: running, or queued for a worker. */
  private int dispatched;

  /** Handler calls in progress on workers. */
  private final AtomicInteger calling = new AtomicInteger();

  private Instant nextCommitAt = Instant.MIN;
  private long lastPollNanos;
  private boolean fetching = true;
  private volatile int bufferedGauge;
  private volatile int inFlightGauge;
  private volatile String forwardProblem;
  private volatile boolean stopping;
  private volatile long stopDeadline;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param tierDelay the delay of the tier topics this loop consumes, or null for source topics
   * @param workers the pool that runs the handler; the loop shuts it down when it ends
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
      Settings settings,
      ExecutorService workers,
      Holding holding) {
    this.holding = holding;
    if (holding != null) {
      topics.forEach(
          t ->
              sourceByHeldTopic.put(
                  holding.reader().heldPartition(new TopicPartition(t, 0)).topic(), t));
    }
    this.name = name;
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.tierDelay = tierDelay;
    this.processor = processor;
    this.circuit = circuit;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.workers = workers;
  }

  @Override
  public void run() {
    boolean clean = false;
    try {
      consumer.subscribe(topics, new Rebalance());
      while (!stopping) {
        step();
        if (fetching) {
          poll(nextPollTimeout());
        } else {
          awaitEvent(nextPollTimeout());
          keepAlive();
        }
      }
      drain(works.keySet(), stopDeadline);
      commitSync(offsets(works.keySet()));
      clean = true;
    } catch (Throwable t) {
      failure = t;
      LOG.error("Consumer {} stopped without committing its in-flight records", name, t);
    } finally {
      running = false;
      settlePermitsLeft();
      if (fresh()) {
        circuit.freshIdle(true); // a tier may probe now: this loop offers no more records
      }
      workers.shutdownNow();
      bufferedGauge = 0;
      inFlightGauge = 0;
      lagSince.clear();
      try {
        consumer.close(CloseOptions.timeout(clean ? CLOSE_TIMEOUT : Duration.ZERO));
      } finally {
        if (holding != null) {
          holding.reader().close(); // after the consumer, whose last revoke still reads it
        }
      }
    }
  }

  /** Gives back the circuit permits of successes this loop will not apply any more. */
  private void settlePermitsLeft() {
    for (Event event = events.poll(); event != null; event = events.poll()) {
      if (event instanceof Finished finished
          && finished.outcome() instanceof RecordProcessor.Handled handled) {
        circuit.release(handled.permit());
      }
    }
  }

  /**
   * Every partition is paused, so a poll would fetch nothing: wait for a worker or a forward's
   * acknowledgement instead (a queue hand-off, cheaper than waking the consumer), up to {@code
   * timeout}.
   */
  private void awaitEvent(Duration timeout) {
    try {
      Event event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (event != null) {
        apply(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  /**
   * Polls without waiting, at most every {@link #KEEP_ALIVE}, while every partition is paused: the
   * consumer still takes part in rebalances and its poll interval never runs out.
   */
  private void keepAlive() {
    long now = System.nanoTime();
    if (now - lastPollNanos >= KEEP_ALIVE.toNanos()) {
      poll(Duration.ZERO);
    }
  }

  /**
   * Asks the loop to stop: it starts no new record, lets the calls in flight finish until {@code
   * deadlineNanos} ({@link System#nanoTime()}), commits what finished, interrupts the workers still
   * busy and leaves the group.
   */
  void stop(long deadlineNanos) {
    stopDeadline = deadlineNanos;
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

  /** Records fetched and not finished, as of the loop's last step. */
  int buffered() {
    return bufferedGauge;
  }

  /** Handler calls in progress, as of the loop's last step. */
  int inFlight() {
    return inFlightGauge;
  }

  /** Keys held behind a record in a tier or the dead-letter topic, as of the last step. */
  int heldKeys() {
    return heldKeysGauge;
  }

  /** Records held behind their key's head, as of the last step. */
  int heldRecords() {
    return heldRecordsGauge;
  }

  private boolean fresh() {
    return tierDelay == null;
  }

  /** One turn of the loop between two polls. */
  private void step() {
    handleEvents();
    readHeld();
    Instant now = clock.instant();
    admit(now);
    dispatch(now);
    if (!now.isBefore(nextCommitAt)) {
      commitAsync();
      nextCommitAt = now.plus(settings.commitInterval());
    }
    reconcilePauses();
    measureLag();
  }

  /** Notes where each partition's time lag counts from, for {@link #lagSeconds}. */
  private void measureLag() {
    for (Map.Entry<TopicPartition, PartitionWork> e : works.entrySet()) {
      ConsumerRecord<byte[], byte[]> oldest = e.getValue().oldestUnfinished();
      long since = -1;
      if (oldest != null) {
        since = fresh() ? oldest.timestamp() : DueTimes.dueAt(oldest, tierDelay).toEpochMilli();
      }
      lagSince.put(e.getKey(), since);
    }
  }

  /**
   * How old the oldest unfinished record of {@code partition} is, in seconds (in a tier loop, how
   * far past its due time); 0 when none is unfinished. Safe from any thread.
   */
  double lagSeconds(TopicPartition partition) {
    Long since = lagSince.get(partition);
    if (since == null || since < 0) {
      return 0;
    }
    return Math.max(0, clock.millis() - since) / 1000.0;
  }

  private void poll(Duration timeout) {
    lastPollNanos = System.nanoTime();
    ConsumerRecords<byte[], byte[]> records;
    sleeping.set(true);
    try {
      records = consumer.poll(events.isEmpty() ? timeout : Duration.ZERO);
    } catch (WakeupException e) {
      return;
    } finally {
      sleeping.set(false);
    }
    for (TopicPartition partition : records.partitions()) {
      PartitionWork work = works.computeIfAbsent(partition, this::newWork);
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        work.add(record, OrderKeys.of(settings.ordering(), record));
      }
    }
  }

  /** Wakes the poll thread when it waits in {@code poll}; safe from any thread. */
  private void wake() {
    if (sleeping.compareAndSet(true, false)) {
      consumer.wakeup();
    }
  }

  private void post(Event event) {
    events.add(event);
    wake();
  }

  private void handleEvents() {
    for (Event event = events.poll(); event != null; event = events.poll()) {
      apply(event);
    }
  }

  private void apply(Event event) {
    if (event instanceof Crashed crashed) {
      throw rethrow(crashed.error());
    }
    if (event instanceof Finished finished) {
      dispatched--;
      if (finished.outcome() instanceof RecordProcessor.Handled handled) {
        circuit.success(handled.permit(), handled.nanos());
      }
      if (owned(finished.work())) {
        applyOutcome(finished.work(), finished.entry(), finished.outcome());
      }
      return;
    }
    Acknowledged ack = (Acknowledged) event;
    if (!owned(ack.work())) {
      return; // revoked or lost meanwhile: the next owner handles the record again
    }
    if (ack.error() == null) {
      forwardProblem = null;
      ack.afterAck().run();
      ack.work().acknowledged(ack.entry());
      return;
    }
    refused(ack.work(), ack.entry(), ack.error());
  }

  private boolean owned(PartitionWork work) {
    return works.get(work.partition) == work || heldWorks.get(work.partition) == work;
  }

  private void applyOutcome(
      PartitionWork work, PartitionWork.Entry entry, RecordProcessor.Outcome outcome) {
    if (holding != null) {
      outcome = holdOutcome(work, entry, outcome);
    }
    if (outcome instanceof RecordProcessor.Handled handled && handled.release() != null) {
      outcome = new RecordProcessor.Forwarded(handled.release(), NOTHING);
    }
    if (outcome instanceof RecordProcessor.Forwarded forwarded) {
      work.forwarding(entry);
      forwarded
          .ack()
          .whenComplete(
              (metadata, error) ->
                  post(new Acknowledged(work, entry, forwarded.afterAck(), unwrap(error))));
    } else if (outcome instanceof RecordProcessor.Held) {
      work.putBack(entry);
    } else {
      work.done(entry);
    }
  }

  private void refused(PartitionWork work, PartitionWork.Entry entry, Throwable error) {
    String where = work.partition + " offset " + entry.offset;
    forwardProblem = "forward of " + where + ": " + error;
    LOG.warn(
        "Forward of {} was not acknowledged; it stays uncommitted and is handled again in {}: {}",
        where,
        REST_AFTER_REFUSED_FORWARD,
        error.toString());
    work.rest(entry, clock.instant().plus(REST_AFTER_REFUSED_FORWARD));
  }

  private void admit(Instant now) {
    Predicate<ConsumerRecord<byte[], byte[]>> due =
        fresh() ? record -> true : record -> !DueTimes.dueAt(record, tierDelay).isAfter(now);
    for (PartitionWork work : rotation) {
      work.admit(due, now);
    }
  }

  /**
   * Starts records on free workers, one partition at a time in turn, starting with a different
   * partition each pass, so that no partition's backlog starves another.
   */
  private void dispatch(Instant now) {
    int partitions = rotation.size();
    boolean started = true;
    int limit = settings.concurrency() * 2; // a queued record per worker: no idle gap between calls
    while (!stopping && started && dispatched < limit) {
      started = false;
      for (int i = 0; i < partitions && dispatched < limit; i++) {
        PartitionWork work = rotation.get((cursor + i) % partitions);
        if (!work.hasReady()) {
          continue;
        }
        if (holding != null && works.get(work.partition) == work) {
          Hold hold = hold(work);
          if (hold == Hold.BLOCKED) {
            continue;
          }
          if (hold == Hold.KEPT) {
            started = true;
            continue;
          }
        }
        CircuitGate.Permit permit = circuit.tryAcquire(fresh());
        if (permit == null) {
          return;
        }
        start(work, work.start(), permit, now);
        started = true;
      }
      cursor = partitions == 0 ? 0 : (cursor + 1) % partitions;
    }
  }

  private void start(
      PartitionWork work, PartitionWork.Entry entry, CircuitGate.Permit permit, Instant now) {
    ConsumerRecord<byte[], byte[]> record = entry.record;
    if (!fresh()) {
      metrics.lateness(Duration.between(DueTimes.dueAt(record, tierDelay), now));
    }
    dispatched++;
    workers.execute(
        () -> {
          Event event;
          if (stopping || work.revoked) {
            circuit.release(permit); // queued when its partition went: not started at all
            event = new Finished(work, entry, RecordProcessor.HELD);
          } else {
            calling.incrementAndGet();
            try {
              event = new Finished(work, entry, processor.process(record, permit));
            } catch (Throwable t) {
              event = new Crashed(t);
            } finally {
              calling.decrementAndGet();
            }
          }
          post(event);
          if (!running
              && event instanceof Finished finished
              && finished.outcome() instanceof RecordProcessor.Handled handled) {
            circuit.release(handled.permit()); // the loop ended: nobody records this success
          }
        });
  }

  /**
   * Waits until no record of {@code partitions} is in flight or awaits its ack, or the deadline.
   */
  private void drain(Collection<TopicPartition> partitions, long deadlineNanos) {
    Set<TopicPartition> which = new HashSet<>(partitions);
    handleEvents();
    while (busy(which)) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        LOG.warn("{}: records of {} still in flight at the deadline; not committed", name, which);
        return;
      }
      try {
        Event event = events.poll(left, TimeUnit.NANOSECONDS);
        if (event != null) {
          apply(event);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean busy(Set<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      if (busy(works.get(partition))
          || holding != null && busy(heldWorks.get(holding.reader().heldPartition(partition)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean busy(PartitionWork work) {
    return work != null && (work.running() > 0 || work.awaitsAcknowledgements());
  }

  private Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      PartitionWork work = works.get(partition);
      long offset = work == null ? -1 : work.commitOffset();
      if (offset >= 0) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    return offsets;
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = offsets(works.keySet());
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        offsets,
        (committed, error) -> {
          if (error != null) {
            LOG.debug("{}: commit of {} failed; the next one covers it: {}", name, offsets, error);
          } else {
            committed.forEach(this::markCommitted);
          }
        });
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    for (int tries = 1; tries <= COMMIT_TRIES; tries++) {
      try {
        consumer.commitSync(offsets);
        offsets.forEach(this::markCommitted);
        return;
      } catch (WakeupException e) {
        LOG.debug("{}: commit woken up; committing again", name);
      } catch (KafkaException e) {
        LOG.warn(
            "{}: commit of {} failed; those records will be delivered again: {}",
            name,
            offsets,
            e.toString());
        return;
      }
    }
  }

  private void markCommitted(TopicPartition partition, OffsetAndMetadata offset) {
    PartitionWork work = works.get(partition);
    if (work != null) {
      work.committed(offset.offset());
    }
  }

  private Duration nextPollTimeout() {
    if (!events.isEmpty()) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    Instant next = now.plus(settings.pollTimeout());
    for (PartitionWork work : rotation) {
      ConsumerRecord<byte[], byte[]> first = fresh() ? null : work.firstFetched();
      if (first != null) {
        next = earlier(next, DueTimes.dueAt(first, tierDelay));
      }
      next = earlier(next, work.nextRestEnd());
    }
    next = earlier(next, circuit.probeAt());
    if (holding != null && holding.keys().size() > 0) {
      next = earlier(next, now.plus(HELD_READ_INTERVAL)); // a release may come any time
    }
    Duration wait = Duration.between(now, next);
    return wait.isNegative() ? Duration.ZERO : wait.plusMillis(1);
  }

  private static Instant earlier(Instant a, Instant b) {
    return b != null && b.isBefore(a) ? b : a;
  }

  /**
   * Paused are the assigned partitions that must not fetch more: all of them while the circuit
   * holds, while stopping, or while one more poll could take the loop past its buffer bound; else
   * those {@link #full(PartitionWork, int) full} of work.
   */
  private void reconcilePauses() {
    int buffered = 0;
    for (PartitionWork work : rotation) {
      buffered += work.unfinished();
    }
    bufferedGauge = buffered;
    inFlightGauge = calling.get();
    if (holding != null) {
      heldKeysGauge = holding.keys().heldKeys();
      heldRecordsGauge = holding.keys().heldRecords();
    }
    if (fresh()) {
      circuit.freshIdle(buffered == 0);
    }
    Set<TopicPartition> assigned = consumer.assignment();
    boolean holdAll =
        stopping
            || circuit.holding(fresh(), buffered > 0)
            || buffered + settings.maxPollRecords() > settings.maxBufferedRecords();
    int share =
        Math.max(
            settings.maxPollRecords(),
            settings.maxBufferedRecords() / Math.max(1, assigned.size()));
    Set<TopicPartition> full = new HashSet<>();
    for (PartitionWork work : rotation) {
      if (works.get(work.partition) == work && full(work, share)) {
        full.add(work.partition);
      }
    }
    Set<TopicPartition> paused = consumer.paused();
    Pauses.PauseChange change = Pauses.reconcile(assigned, paused, full, holdAll);
    int pausedAfter = paused.size() + change.pause().size() - change.resume().size();
    fetching = assigned.isEmpty() || assigned.size() > pausedAfter; // else a poll fetches nothing
    if (!change.pause().isEmpty()) {
      consumer.pause(change.pause());
      LOG.debug("{} paused {}", name, change.pause());
    }
    if (!change.resume().isEmpty()) {
      consumer.resume(change.resume());
      LOG.debug("{} resumed {}", name, change.resume());
    }
  }

  /**
   * A partition fetches no more while its unfinished records reach its share of the buffer bound
   * (so that no partition's backlog crowds out the others), while the records between its commit
   * offset and the last fetched one reach the bound (a slow record holds the commit), or, in a
   * tier, while fetched records are not due yet.
   */
  private boolean full(PartitionWork work, int share) {
    return work.unfinished() >= share
        || work.windowSize() >= settings.maxBufferedRecords()
        || !fresh() && work.hasFetched();
  }

  /** Records of {@code partition} queued for a worker will not start. */
  private void revoke(TopicPartition partition) {
    PartitionWork work = works.get(partition);
    if (work != null) {
      work.revoked = true;
    }
    if (holding != null) {
      PartitionWork held = heldWorks.get(holding.reader().heldPartition(partition));
      if (held != null) {
        held.revoked = true;
      }
    }
  }

  private PartitionWork newWork(TopicPartition partition) {
    PartitionWork work = new PartitionWork(partition);
    rotation.add(work);
    lagSince.put(partition, -1L);
    metrics.lag(partition, () -> lagSeconds(partition));
    return work;
  }

  private void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      PartitionWork work = works.remove(partition);
      if (work != null) {
        rotation.remove(work);
        lagSince.remove(partition);
        metrics.lagGone(partition);
      }
      if (holding != null) {
        PartitionWork held = heldWorks.remove(holding.reader().heldPartition(partition));
        if (held != null) {
          rotation.remove(held);
        }
        holding.keys().forget(partition);
      }
    }
    if (holding != null) {
      holding.reader().stop(partitions);
    }
    cursor = 0;
  }

  /**
   * Key-order mode, at dispatch: the next record of a source partition starts unless its key is
   * held behind another record; then it is kept in the held-keys topic behind it, or, with the
   * bound reached, the partition starts nothing until held records are released.
   */
  private Hold hold(PartitionWork work) {
    PartitionWork.Entry next = work.peek();
    byte[] raw = next.record.key();
    Object key = OrderKeys.ofBytes(raw);
    HeldKeys keys = holding.keys();
    if (raw == null || !keys.busy(work.partition, key)) {
      return Hold.GO;
    }
    String id = messageId(next.record);
    if (id.equals(keys.head(work.partition, key))) {
      return Hold.GO; // the head itself, back from the dead-letter topic
    }
    if (keys.size() >= holding.max()) {
      return Hold.BLOCKED;
    }
    PartitionWork.Entry entry = work.start();
    keys.add(
        work.partition, new HeldKeys.HeldRecord(HeldKeys.entryId(entry.record), id, entry.record));
    metrics.held(entry.record.topic());
    applyOutcome(
        work,
        entry,
        new RecordProcessor.Forwarded(holding.writer().keep(entry.record, id), NOTHING));
    return Hold.KEPT;
  }

  /**
   * Key-order mode, when a call ended: a forward that holds its key records the hold; the head
   * handled (or let go) releases its key; a held record's entry is removed once it is handled or
   * became the head. The record counts as finished only once those writes are acknowledged.
   */
  private RecordProcessor.Outcome holdOutcome(
      PartitionWork work, PartitionWork.Entry entry, RecordProcessor.Outcome outcome) {
    ConsumerRecord<byte[], byte[]> record = entry.record;
    if (outcome instanceof RecordProcessor.Held || record == null || record.key() == null) {
      return outcome;
    }
    TopicPartition source = new TopicPartition(record.topic(), record.partition());
    Object key = OrderKeys.ofBytes(record.key());
    HeldKeys keys = holding.keys();
    boolean heldRecord = heldWorks.get(work.partition) == work;
    String holds =
        outcome instanceof RecordProcessor.Forwarded forwarded ? forwarded.holds() : null;
    CompletableFuture<?> writes = null;
    if (holds != null) {
      keys.hold(source, record.key(), holds);
    } else if (!heldRecord && keys.busy(source, key)) {
      String id = messageId(record);
      if (id.equals(keys.head(source, key))) {
        keys.release(source, id);
        writes = holding.writer().release(source.topic(), source.partition(), id);
      }
    }
    if (heldRecord) {
      CompletableFuture<?> handled = holding.writer().handled(record);
      writes = writes == null ? handled : writes.thenCombine(handled, (a, b) -> a);
    }
    if (writes == null) {
      return outcome;
    }
    Runnable afterAck =
        outcome instanceof RecordProcessor.Forwarded forwarded ? forwarded.afterAck() : NOTHING;
    CompletableFuture<RecordMetadata> ack =
        outcome instanceof RecordProcessor.Forwarded forwarded
            ? forwarded.ack().thenCombine(writes, (a, b) -> a)
            : writes.thenApply(done -> null);
    return new RecordProcessor.Forwarded(
        ack,
        () -> {
          afterAck.run();
          if (heldRecord) {
            keys.finished(source, key);
          }
          feed(source, key);
        },
        holds);
  }

  /** Starts the next held record of a released key, if it has one. */
  private void feed(TopicPartition source, Object key) {
    HeldKeys.HeldRecord next = holding.keys().next(source, key);
    if (next == null) {
      return;
    }
    TopicPartition heldPartition = holding.reader().heldPartition(source);
    PartitionWork held =
        heldWorks.computeIfAbsent(
            heldPartition,
            p -> {
              PartitionWork work = new PartitionWork(p);
              rotation.add(work);
              return work;
            });
    held.add(next.record(), OrderKeys.of(settings.ordering(), next.record()));
  }

  /** Key-order mode: reads the releases written since the last read (at most every 20 ms). */
  private void readHeld() {
    if (holding == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastHeldReadNanos < HELD_READ_INTERVAL.toNanos()) {
      return;
    }
    lastHeldReadNanos = now;
    for (ConsumerRecord<byte[], byte[]> entry : holding.reader().poll()) {
      live(entry);
    }
  }

  /**
   * An entry written after this loop read its partition: only a release (a hold's tombstone,
   * written when the head succeeded in a tier) matters; the rest this loop wrote itself.
   */
  private void live(ConsumerRecord<byte[], byte[]> entry) {
    if (entry.value() != null) {
      return;
    }
    HeldEntries.parse(entry.key())
        .filter(k -> k.kind() == HeldEntries.Kind.HOLD && k.group().equals(holding.group()))
        .ifPresent(
            k -> {
              TopicPartition source =
                  new TopicPartition(sourceByHeldTopic.get(entry.topic()), entry.partition());
              Object key = holding.keys().release(source, k.headId());
              if (key != null) {
                feed(source, key);
              }
            });
  }

  /** Reads the held-keys partitions of newly assigned source partitions. */
  private void restoreHeld(Collection<TopicPartition> partitions) {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> entries =
        holding
            .reader()
            .restore(
                partitions, System.nanoTime() + settings.shutdownTimeout().toNanos(), this::live);
    entries.forEach(
        (source, list) -> holding.keys().restore(source, list).forEach(key -> feed(source, key)));
  }

  private static String messageId(ConsumerRecord<byte[], byte[]> record) {
    return HeaderStamper.messageIdOf(record);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static RuntimeException rethrow(Throwable error) {
    if (error instanceof Error e) {
      throw e;
    }
    return error instanceof RuntimeException r ? r : new IllegalStateException(error);
  }

  /**
   * On revoke: nothing new starts for those partitions, calls in flight finish (within the shutdown
   * timeout) and their forwards are acknowledged, what finished is committed, then the partitions
   * go. On lost: they go at once, nothing is committed. On assign: pauses are set up again.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      sleeping.set(false);
      if (failure != null || partitions.isEmpty()) {
        return;
      }
      partitions.forEach(partition -> revoke(partition));
      drain(partitions, System.nanoTime() + settings.shutdownTimeout().toNanos());
      commitSync(offsets(partitions));
      forget(partitions);
      LOG.debug("{} revoked {}", name, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      sleeping.set(false);
      partitions.forEach(partition -> works.computeIfAbsent(partition, ConsumerLoop.this::newWork));
      if (holding != null && !partitions.isEmpty()) {
        restoreHeld(partitions);
      }
      reconcilePauses();
      LOG.debug("{} assigned {}", name, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      sleeping.set(false);
      partitions.forEach(partition -> revoke(partition));
      forget(partitions);
      LOG.debug("{} lost {}", name, partitions);
    }
  }
}
