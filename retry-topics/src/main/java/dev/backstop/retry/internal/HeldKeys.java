package dev.backstop.retry.internal;

import dev.backstop.core.HeldEntries;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Which keys of the assigned source partitions are held, behind which head record, and the records
 * that wait behind each, in the order they arrived. A key is busy while it has a head (a record in
 * a retry tier or the dead-letter topic) or held records not yet handled; a record of a busy key is
 * held, except the head itself coming back (a replay). Once the head succeeds the key is released
 * and its held records are handled one at a time, in order; one that fails becomes the new head.
 *
 * <p>Not thread-safe: owned by the poll thread of the source consumer loop.
 */
final class HeldKeys {

  /** A record waiting behind a hold, rebuilt as it was consumed from its source. */
  record HeldRecord(String entryId, String messageId, ConsumerRecord<byte[], byte[]> record) {}

  private static final class Key {
    final byte[] raw;
    String head;
    final ArrayDeque<HeldRecord> records = new ArrayDeque<>();
    boolean running;

    Key(byte[] raw) {
      this.raw = raw;
    }

    boolean idle() {
      return head == null && records.isEmpty() && !running;
    }
  }

  private static final class Source {
    final Map<Object, Key> keys = new LinkedHashMap<>();
    final Map<String, Object> keyByHead = new HashMap<>();
  }

  /**
   * Header on a held record whose source record had a null value (a compacted topic's tombstone).
   */
  static final String NULL_VALUE = "backstop.held.null-value";

  private final String group;
  private final Map<TopicPartition, Source> sources = new HashMap<>();
  private int heads;
  private int held;

  HeldKeys(String group) {
    this.group = group;
  }

  /**
   * Rebuilds the state of {@code source} from its held-keys partition read from the start, and
   * returns the keys whose held records may go now (their head succeeded before the last owner
   * handled them all).
   */
  List<Object> restore(TopicPartition source, List<ConsumerRecord<byte[], byte[]>> entries) {
    forget(source);
    Source state = sources.computeIfAbsent(source, s -> new Source());
    Map<String, HeldRecord> live = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> entry : entries) {
      Optional<HeldEntries.EntryKey> parsed = HeldEntries.parse(entry.key());
      if (parsed.isEmpty() || !parsed.get().group().equals(group)) {
        continue;
      }
      HeldEntries.EntryKey key = parsed.get();
      if (key.kind() == HeldEntries.Kind.HOLD) {
        if (entry.value() == null) {
          release(source, key.headId());
        } else {
          byte[] raw = rawKey(entry);
          if (raw != null) {
            hold(source, raw, key.headId());
          }
        }
      } else if (entry.value() == null) {
        live.remove(entryId(key));
      } else if (!live.containsKey(entryId(key))) {
        HeldRecord record = rebuild(key, entry);
        if (record != null) {
          live.put(record.entryId(), record);
        }
      }
    }
    for (HeldRecord record : live.values()) {
      Key key =
          state.keys.computeIfAbsent(
              OrderKeys.ofBytes(record.record().key()), k -> new Key(record.record().key()));
      if (!record.messageId().equals(key.head)) { // the head is not behind itself
        key.records.addLast(record);
        held++;
      }
    }
    List<Object> released = new ArrayList<>();
    for (Iterator<Map.Entry<Object, Key>> it = state.keys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Object, Key> entry = it.next();
      if (entry.getValue().idle()) {
        it.remove();
      } else if (entry.getValue().head == null) {
        released.add(entry.getKey());
      }
    }
    return released;
  }

  /** Whether a record of {@code key} in {@code source} must wait (unless it is the head). */
  boolean busy(TopicPartition source, Object key) {
    Source state = sources.get(source);
    return key != null && state != null && state.keys.containsKey(key);
  }

  /** The message id of the record {@code key} waits behind, or null. */
  String head(TopicPartition source, Object key) {
    Source state = sources.get(source);
    Key held = state == null ? null : state.keys.get(key);
    return held == null ? null : held.head;
  }

  /** {@code key} now waits behind the record with message id {@code headId}. */
  void hold(TopicPartition source, byte[] rawKey, String headId) {
    Source state = sources.computeIfAbsent(source, s -> new Source());
    Object id = OrderKeys.ofBytes(rawKey);
    Key key = state.keys.computeIfAbsent(id, k -> new Key(rawKey));
    if (key.head != null) {
      state.keyByHead.remove(key.head);
      heads--;
    }
    key.head = headId;
    state.keyByHead.put(headId, id);
    heads++;
  }

  /**
   * The head with message id {@code headId} succeeded (or was let go): returns its key when that
   * key was held by it, so that its held records go on; else null.
   */
  Object release(TopicPartition source, String headId) {
    Source state = sources.get(source);
    Object id = state == null ? null : state.keyByHead.remove(headId);
    if (id == null) {
      return null;
    }
    Key key = state.keys.get(id);
    key.head = null;
    heads--;
    if (key.idle()) {
      state.keys.remove(id);
    }
    return id;
  }

  /**
   * Holds {@code record} behind the records of its key; a record held already (kept again after a
   * refused write) keeps its place.
   */
  void add(TopicPartition source, HeldRecord record) {
    Source state = sources.computeIfAbsent(source, s -> new Source());
    byte[] raw = record.record().key();
    Key key = state.keys.computeIfAbsent(OrderKeys.ofBytes(raw), k -> new Key(raw));
    for (HeldRecord earlier : key.records) {
      if (earlier.entryId().equals(record.entryId())) {
        return;
      }
    }
    key.records.addLast(record);
    held++;
  }

  /**
   * The next held record of {@code key} to handle, if the key is released and none of its records
   * is being handled; the key is then running until {@link #finished}. Forgets a key with nothing
   * left.
   */
  HeldRecord next(TopicPartition source, Object id) {
    Source state = sources.get(source);
    Key key = state == null ? null : state.keys.get(id);
    if (key == null || key.head != null || key.running) {
      return null;
    }
    HeldRecord next = key.records.pollFirst();
    if (next == null) {
      state.keys.remove(id);
      return null;
    }
    held--;
    key.running = true;
    return next;
  }

  /** The held record of {@code key} being handled is done with (handled, or it became the head). */
  void finished(TopicPartition source, Object id) {
    Source state = sources.get(source);
    Key key = state == null ? null : state.keys.get(id);
    if (key != null) {
      key.running = false;
      if (key.idle()) {
        state.keys.remove(id);
      }
    }
  }

  /** The partition went to another consumer. */
  void forget(TopicPartition source) {
    Source state = sources.remove(source);
    if (state != null) {
      for (Key key : state.keys.values()) {
        heads -= key.head == null ? 0 : 1;
        held -= key.records.size();
      }
    }
  }

  /** Keys that wait behind a head. */
  int heldKeys() {
    return heads;
  }

  /** Records that wait behind a head or for their turn after it. */
  int heldRecords() {
    return held;
  }

  /** Heads and held records: what the bound counts. */
  int size() {
    return heads + held;
  }

  private static String entryId(HeldEntries.EntryKey key) {
    return key.topic() + '\0' + key.partition() + '\0' + key.offset();
  }

  static String entryId(ConsumerRecord<?, ?> record) {
    return record.topic() + '\0' + record.partition() + '\0' + record.offset();
  }

  private static byte[] rawKey(ConsumerRecord<byte[], byte[]> entry) {
    Header header = entry.headers().lastHeader(HeldEntries.KEY);
    return header == null ? null : header.value();
  }

  /** The source record a held-record entry keeps; null when the entry is malformed. */
  static HeldRecord rebuild(HeldEntries.EntryKey key, ConsumerRecord<byte[], byte[]> entry) {
    byte[] raw = rawKey(entry);
    if (raw == null) {
      return null;
    }
    RecordHeaders headers = new RecordHeaders();
    boolean nullValue = false;
    for (Header header : entry.headers()) {
      if (header.key().equals(HeldEntries.KEY)) {
        continue;
      }
      if (header.key().equals(NULL_VALUE)) {
        nullValue = true;
        continue;
      }
      headers.add(header);
    }
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            key.topic(),
            key.partition(),
            key.offset(),
            entry.timestamp(),
            TimestampType.CREATE_TIME,
            raw.length,
            nullValue ? -1 : entry.value().length,
            raw,
            nullValue ? null : entry.value(),
            headers,
            Optional.empty());
    return new HeldRecord(entryId(key), HeaderStamper.messageIdOf(record), record);
  }
}
