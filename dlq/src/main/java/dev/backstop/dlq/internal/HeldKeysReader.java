package dev.backstop.dlq.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.HeldEntries;
import dev.backstop.core.MessageHeaders;
import dev.backstop.dlq.HeldKey;
import dev.backstop.dlq.TerminalText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Reads a held-keys topic ({@link HeldEntries}) to its end and rebuilds which keys are held and
 * what waits behind each, as the consumer wrapper does on assignment. Stateless.
 */
public final class HeldKeysReader {
  private static final Duration POLL = Duration.ofMillis(200);

  private HeldKeysReader() {}

  /** Entries of one key while reading. */
  private static final class Key {
    final String group;
    final byte[] raw;
    final int partition;
    String head;
    String status;
    final Map<String, HeldKey.HeldRecord> held = new LinkedHashMap<>();

    Key(String group, byte[] raw, int partition) {
      this.group = group;
      this.raw = raw;
      this.partition = partition;
    }
  }

  /** The held keys of {@code topic}, of every group, by partition then first entry. */
  public static List<HeldKey> read(KafkaClients clients, String topic) {
    int partitions = clients.partitions(topic);
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(topic, p));
    }
    Map<String, Key> keys = new LinkedHashMap<>();
    Map<String, String> keyOfHead = new LinkedHashMap<>();
    Map<String, String> keyOfRecord = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(null)) {
      consumer.assign(all);
      Map<TopicPartition, Long> starts =
          clients.call(
              "read start offsets", () -> consumer.beginningOffsets(all, clients.timeout()));
      Map<TopicPartition, Long> ends =
          clients.call("read end offsets", () -> consumer.endOffsets(all, clients.timeout()));
      starts.forEach(consumer::seek);
      Set<TopicPartition> reading = new HashSet<>(all);
      reading.removeIf(tp -> starts.get(tp) >= ends.get(tp));
      while (!reading.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> record :
            clients.call("read " + topic, () -> consumer.poll(POLL))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < ends.get(tp)) {
            apply(record, keys, keyOfHead, keyOfRecord);
          }
        }
        reading.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
      }
    }
    List<HeldKey> result = new ArrayList<>();
    for (Key key : keys.values()) {
      if (key.head == null && key.held.isEmpty()) {
        continue;
      }
      result.add(
          new HeldKey(
              key.group,
              TerminalText.escape(new String(key.raw, StandardCharsets.UTF_8)),
              key.head,
              key.head == null ? "released" : key.status,
              key.partition,
              new ArrayList<>(key.held.values())));
    }
    return result;
  }

  private static void apply(
      ConsumerRecord<byte[], byte[]> record,
      Map<String, Key> keys,
      Map<String, String> keyOfHead,
      Map<String, String> keyOfRecord) {
    Optional<HeldEntries.EntryKey> parsed = HeldEntries.parse(record.key());
    if (parsed.isEmpty()) {
      return;
    }
    HeldEntries.EntryKey entry = parsed.get();
    if (entry.kind() == HeldEntries.Kind.HOLD) {
      String id = entry.group() + '\0' + entry.headId();
      if (record.value() == null) {
        Optional.ofNullable(keyOfHead.remove(id))
            .map(keys::get)
            .filter(k -> entry.headId().equals(k.head))
            .ifPresent(k -> k.head = null);
        return;
      }
      byte[] raw = raw(record);
      if (raw == null) {
        return;
      }
      Key key = key(keys, entry.group(), raw, record.partition());
      key.head = entry.headId();
      key.status = new String(record.value(), StandardCharsets.UTF_8);
      keyOfHead.put(id, keyId(entry.group(), raw, record.partition()));
      return;
    }
    String id =
        entry.group() + '\0' + entry.topic() + '\0' + entry.partition() + '\0' + entry.offset();
    if (record.value() == null) {
      Optional.ofNullable(keyOfRecord.remove(id)).map(keys::get).ifPresent(k -> k.held.remove(id));
      return;
    }
    byte[] raw = raw(record);
    if (raw == null) {
      return;
    }
    Key key = key(keys, entry.group(), raw, record.partition());
    String messageId =
        MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID).orElse("(none)");
    if (!messageId.equals(key.head)) {
      key.held.putIfAbsent(
          id, new HeldKey.HeldRecord(messageId, entry.topic(), entry.partition(), entry.offset()));
      keyOfRecord.put(id, keyId(entry.group(), raw, record.partition()));
    }
  }

  private static Key key(Map<String, Key> keys, String group, byte[] raw, int partition) {
    return keys.computeIfAbsent(keyId(group, raw, partition), k -> new Key(group, raw, partition));
  }

  private static String keyId(String group, byte[] raw, int partition) {
    return group + '\0' + partition + '\0' + Arrays.toString(raw);
  }

  private static byte[] raw(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(HeldEntries.KEY);
    return header == null ? null : header.value();
  }
}
