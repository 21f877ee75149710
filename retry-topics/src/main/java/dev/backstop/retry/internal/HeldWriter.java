package dev.backstop.retry.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.HeldEntries;
import dev.backstop.core.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the entries of the held-keys topics ({@link HeldEntries}) through a loop's forward
 * producer: partition p of a held-keys topic takes the entries of source partition p, so one
 * producer writes them in order. Thread-safe.
 */
final class HeldWriter {
  private final String group;
  private final TopicNames names;
  private final Forwarder forwarder;

  HeldWriter(String group, TopicNames names, Forwarder forwarder) {
    this.group = group;
    this.names = names;
    this.forwarder = forwarder;
  }

  /** The hold of {@code rawKey} behind {@code headId}, with its status. */
  CompletableFuture<RecordMetadata> hold(
      String source, int partition, byte[] rawKey, String headId, String status) {
    Headers headers = new RecordHeaders();
    headers.add(HeldEntries.KEY, rawKey);
    return forwarder.send(
        new ProducerRecord<>(
            names.heldTopic(source),
            partition,
            HeldEntries.holdKey(group, headId),
            status.getBytes(StandardCharsets.UTF_8),
            headers));
  }

  /** Releases the key held behind {@code headId}: a tombstone of its hold. */
  CompletableFuture<RecordMetadata> release(String source, int partition, String headId) {
    return forwarder.send(
        new ProducerRecord<>(
            names.heldTopic(source), partition, HeldEntries.holdKey(group, headId), null));
  }

  /** Keeps {@code record} (consumed from its source) behind the hold of its key. */
  CompletableFuture<RecordMetadata> keep(ConsumerRecord<byte[], byte[]> record, String messageId) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    MessageHeaders.setIfAbsent(headers, BackstopHeaders.MESSAGE_ID, messageId);
    headers.add(HeldEntries.KEY, record.key());
    if (record.value() == null) {
      headers.add(HeldKeys.NULL_VALUE, new byte[0]);
    }
    return forwarder.send(
        new ProducerRecord<>(
            names.heldTopic(record.topic()),
            record.partition(),
            record.timestamp() >= 0 ? record.timestamp() : null,
            key(record),
            record.value() == null ? new byte[0] : record.value(),
            headers));
  }

  /** A held record was handled (or became the head): a tombstone of its entry. */
  CompletableFuture<RecordMetadata> handled(ConsumerRecord<byte[], byte[]> record) {
    return forwarder.send(
        new ProducerRecord<>(
            names.heldTopic(record.topic()), record.partition(), key(record), null));
  }

  private byte[] key(ConsumerRecord<byte[], byte[]> record) {
    return HeldEntries.heldRecordKey(group, record.topic(), record.partition(), record.offset());
  }
}
