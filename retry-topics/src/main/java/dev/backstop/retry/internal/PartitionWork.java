package dev.backstop.retry.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one assigned partition between the committed offset and the last fetched one, and
 * which of them may start. A record is fetched, then admitted (a tier record once it is due), then
 * started when its ordering key is free, then finished: handled, skipped, or its forward
 * acknowledged. The commit offset is the first record that is not finished, never past it.
 *
 * <p>Ordering keys: records that share a non-null key start one at a time in offset order; a record
 * with a null key starts whenever a worker is free. Not thread-safe: owned by the poll thread of
 * one consumer loop, except {@link #revoked}.
 */
final class PartitionWork {

  /** Where a record is in its life. */
  enum State {
    /** Fetched, not yet admitted: a tier record that is not due. */
    FETCHED,
    /** Admitted, waiting for its key and a worker. */
    WAITING,
    /** A worker is handling it. */
    RUNNING,
    /** Handled and forwarded; the broker has not acknowledged the forward yet. */
    FORWARDING,
    /** Resting after a refused forward; admitted again at {@link Entry#restUntil}. */
    RESTING,
    /** Handled, skipped or acknowledged: its offset may be committed. */
    DONE
  }

  /** One fetched record. Its payload is dropped once it is done. */
  static final class Entry {
    final long offset;
    final Object key;
    ConsumerRecord<byte[], byte[]> record;
    State state = State.FETCHED;
    Instant restUntil;

    Entry(ConsumerRecord<byte[], byte[]> record, Object key) {
      this.offset = record.offset();
      this.record = record;
      this.key = key;
    }
  }

  final TopicPartition partition;

  /** Set by the poll thread when the partition is revoked or lost; read by workers. */
  volatile boolean revoked;

  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private final ArrayDeque<Entry> fetched = new ArrayDeque<>();
  private final List<Entry> resting = new ArrayList<>();
  private final Map<Object, ArrayDeque<Entry>> waitingByKey = new HashMap<>();
  private final ArrayDeque<Object> ready = new ArrayDeque<>();
  private final Set<Object> runningKeys = new HashSet<>();
  private int unfinished;
  private int running;
  private long nextCommit = -1;
  private long committed = -1;

  PartitionWork(TopicPartition partition) {
    this.partition = partition;
  }

  /** Adds a fetched record, after every record added before it. */
  void add(ConsumerRecord<byte[], byte[]> record, Object key) {
    Entry entry = new Entry(record, key);
    window.addLast(entry);
    fetched.addLast(entry);
    unfinished++;
    if (nextCommit < 0) {
      nextCommit = entry.offset;
    }
  }

  /**
   * Admits fetched records in offset order while {@code due} accepts the first of them, and every
   * resting record whose rest is over. Returns how many were admitted.
   */
  int admit(Predicate<ConsumerRecord<byte[], byte[]>> due, Instant now) {
    int admitted = 0;
    while (!fetched.isEmpty() && due.test(fetched.peekFirst().record)) {
      Entry entry = fetched.pollFirst();
      entry.state = State.WAITING;
      enqueue(entry, false);
      admitted++;
    }
    for (Iterator<Entry> it = resting.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (!entry.restUntil.isAfter(now)) {
        it.remove();
        entry.state = State.WAITING;
        enqueue(entry, true);
        admitted++;
      }
    }
    return admitted;
  }

  /** Whether a record may start now. */
  boolean hasReady() {
    return !ready.isEmpty();
  }

  /** The record {@link #start()} would take, left where it is; or null. */
  Entry peek() {
    Object next = ready.peekFirst();
    if (next == null) {
      return null;
    }
    return next instanceof Entry single ? single : waitingByKey.get(next).peekFirst();
  }

  /** Takes the next record that may start and marks it running, or null. */
  Entry start() {
    Object next = ready.pollFirst();
    if (next == null) {
      return null;
    }
    Entry entry;
    if (next instanceof Entry single) {
      entry = single;
    } else {
      ArrayDeque<Entry> queue = waitingByKey.get(next);
      entry = queue.pollFirst();
      if (queue.isEmpty()) {
        waitingByKey.remove(next);
      }
      runningKeys.add(next);
    }
    entry.state = State.RUNNING;
    running++;
    return entry;
  }

  /** The handler call of {@code entry} ended and nothing is left to wait for. */
  void done(Entry entry) {
    release(entry);
    finish(entry);
  }

  /** The handler call of {@code entry} ended with a forward that is not acknowledged yet. */
  void forwarding(Entry entry) {
    release(entry);
    entry.state = State.FORWARDING;
  }

  /**
   * The handler was not called (the circuit holds, or the loop is stopping): {@code entry} goes
   * back to the head of its key, to start again before the later records of that key.
   */
  void putBack(Entry entry) {
    entry.state = State.WAITING;
    running--;
    if (entry.key == null) {
      enqueue(entry, true);
      return;
    }
    boolean othersWait = waitingByKey.containsKey(entry.key);
    runningKeys.remove(entry.key);
    enqueue(entry, true);
    if (othersWait) {
      ready.addFirst(entry.key); // the key was running, so it was not among the ready ones
    }
  }

  /** The forward of {@code entry} was acknowledged. */
  void acknowledged(Entry entry) {
    finish(entry);
  }

  /** The forward of {@code entry} failed: the record is handled again after {@code until}. */
  void rest(Entry entry, Instant until) {
    entry.state = State.RESTING;
    entry.restUntil = until;
    resting.add(entry);
  }

  /** The offset to commit when it moved since the last {@link #committed(long)}, else -1. */
  long commitOffset() {
    return nextCommit > committed ? nextCommit : -1;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Records fetched and not finished (waiting, running, forwarding or resting). */
  int unfinished() {
    return unfinished;
  }

  /** Records started (handed to a worker) whose call has not been reported back. */
  int running() {
    return running;
  }

  /** Records between the commit offset and the last fetched one, finished or not. */
  int windowSize() {
    return window.size();
  }

  /** Records forwarded and not yet acknowledged. */
  boolean awaitsAcknowledgements() {
    for (Entry entry : window) {
      if (entry.state == State.FORWARDING) {
        return true;
      }
    }
    return false;
  }

  /** Whether fetched records wait to be admitted (in a tier: not yet due). */
  boolean hasFetched() {
    return !fetched.isEmpty();
  }

  /** The first record not yet admitted, or null. */
  ConsumerRecord<byte[], byte[]> firstFetched() {
    Entry first = fetched.peekFirst();
    return first == null ? null : first.record;
  }

  /** The earliest end of a rest, or null. */
  Instant nextRestEnd() {
    Instant next = null;
    for (Entry entry : resting) {
      next = next == null || entry.restUntil.isBefore(next) ? entry.restUntil : next;
    }
    return next;
  }

  /** The oldest unfinished record, or null when every fetched record is finished. */
  ConsumerRecord<byte[], byte[]> oldestUnfinished() {
    for (Entry entry : window) {
      if (entry.state != State.DONE) {
        return entry.record;
      }
    }
    return null;
  }

  private void release(Entry entry) {
    running--;
    if (entry.key != null) {
      runningKeys.remove(entry.key);
      if (waitingByKey.containsKey(entry.key)) {
        ready.addLast(entry.key);
      }
    }
  }

  private void finish(Entry entry) {
    entry.state = State.DONE;
    entry.record = null;
    unfinished--;
    while (!window.isEmpty() && window.peekFirst().state == State.DONE) {
      nextCommit = window.pollFirst().offset + 1;
    }
    if (!window.isEmpty()) {
      nextCommit = window.peekFirst().offset;
    }
  }

  /** Queues an admitted record under its key; {@code first} puts it before the key's others. */
  private void enqueue(Entry entry, boolean first) {
    if (entry.key == null) {
      if (first) {
        ready.addFirst(entry);
      } else {
        ready.addLast(entry);
      }
      return;
    }
    ArrayDeque<Entry> queue = waitingByKey.get(entry.key);
    boolean wasEmpty = queue == null;
    if (wasEmpty) {
      queue = new ArrayDeque<>();
      waitingByKey.put(entry.key, queue);
    }
    if (first) {
      queue.addFirst(entry);
    } else {
      queue.addLast(entry);
    }
    if (wasEmpty && !runningKeys.contains(entry.key)) {
      if (first) {
        ready.addFirst(entry.key);
      } else {
        ready.addLast(entry.key);
      }
    }
  }
}
