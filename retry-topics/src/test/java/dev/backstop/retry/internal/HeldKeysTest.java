package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.HeldEntries;
import dev.backstop.core.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class HeldKeysTest {
  private static final TopicPartition SOURCE = new TopicPartition("orders", 2);
  private static final String GROUP = "payments";

  private final HeldKeys keys = new HeldKeys(GROUP);
  private long heldOffset;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Object key(String key) {
    return OrderKeys.ofBytes(bytes(key));
  }

  private static ConsumerRecord<byte[], byte[]> source(String key, long offset, String id) {
    RecordHeaders headers = new RecordHeaders();
    MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
    return new ConsumerRecord<>(
        "orders",
        2,
        offset,
        1000L,
        TimestampType.CREATE_TIME,
        1,
        1,
        bytes(key),
        bytes("v" + offset),
        headers,
        Optional.empty());
  }

  private static HeldKeys.HeldRecord held(String key, long offset, String id) {
    ConsumerRecord<byte[], byte[]> record = source(key, offset, id);
    return new HeldKeys.HeldRecord(HeldKeys.entryId(record), id, record);
  }

  private ConsumerRecord<byte[], byte[]> entry(
      byte[] entryKey, byte[] value, String key, String id) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeldEntries.KEY, bytes(key));
    if (id != null) {
      MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
    }
    return new ConsumerRecord<>(
        "orders.held",
        2,
        heldOffset++,
        1000L,
        TimestampType.CREATE_TIME,
        1,
        value == null ? -1 : value.length,
        entryKey,
        value,
        headers,
        Optional.empty());
  }

  private ConsumerRecord<byte[], byte[]> hold(String key, String head) {
    return entry(HeldEntries.holdKey(GROUP, head), bytes(HeldEntries.RETRYING), key, null);
  }

  private ConsumerRecord<byte[], byte[]> release(String key, String head) {
    return entry(HeldEntries.holdKey(GROUP, head), null, key, null);
  }

  private ConsumerRecord<byte[], byte[]> kept(String key, long offset, String id) {
    return entry(
        HeldEntries.heldRecordKey(GROUP, "orders", 2, offset), bytes("v" + offset), key, id);
  }

  private ConsumerRecord<byte[], byte[]> handled(String key, long offset) {
    return entry(HeldEntries.heldRecordKey(GROUP, "orders", 2, offset), null, key, null);
  }

  @Test
  void aKeyHeldBehindItsHeadReleasesItsRecordsOneAtATimeInOrder() {
    keys.hold(SOURCE, bytes("K"), "h1");
    keys.add(SOURCE, held("K", 11, "m11"));
    keys.add(SOURCE, held("K", 12, "m12"));
    keys.add(SOURCE, held("K", 11, "m11")); // kept again after a refused write: one place

    assertThat(keys.busy(SOURCE, key("K"))).isTrue();
    assertThat(keys.busy(SOURCE, key("L"))).isFalse();
    assertThat(keys.head(SOURCE, key("K"))).isEqualTo("h1");
    assertThat(keys.heldKeys()).isEqualTo(1);
    assertThat(keys.heldRecords()).isEqualTo(2);
    assertThat(keys.size()).isEqualTo(3);
    assertThat(keys.next(SOURCE, key("K"))).as("held while its head retries").isNull();

    assertThat(keys.release(SOURCE, "other")).isNull();
    assertThat(keys.release(SOURCE, "h1")).isEqualTo(key("K"));
    assertThat(keys.busy(SOURCE, key("K"))).as("busy until its records are handled").isTrue();
    assertThat(keys.next(SOURCE, key("K")).messageId()).isEqualTo("m11");
    assertThat(keys.next(SOURCE, key("K"))).as("one at a time").isNull();
    keys.finished(SOURCE, key("K"));
    assertThat(keys.next(SOURCE, key("K")).messageId()).isEqualTo("m12");
    keys.finished(SOURCE, key("K"));
    assertThat(keys.next(SOURCE, key("K"))).isNull();
    assertThat(keys.busy(SOURCE, key("K"))).isFalse();
    assertThat(keys.size()).isZero();
  }

  @Test
  void aHeldRecordThatFailsBecomesTheNewHeadAndTheRestWaitBehindIt() {
    keys.hold(SOURCE, bytes("K"), "h1");
    keys.add(SOURCE, held("K", 11, "m11"));
    keys.add(SOURCE, held("K", 12, "m12"));
    keys.release(SOURCE, "h1");
    assertThat(keys.next(SOURCE, key("K")).messageId()).isEqualTo("m11");
    keys.hold(SOURCE, bytes("K"), "m11"); // m11 failed and went to a tier
    keys.finished(SOURCE, key("K"));
    assertThat(keys.next(SOURCE, key("K"))).isNull();
    assertThat(keys.head(SOURCE, key("K"))).isEqualTo("m11");
    assertThat(keys.release(SOURCE, "m11")).isEqualTo(key("K"));
    assertThat(keys.next(SOURCE, key("K")).messageId()).isEqualTo("m12");
  }

  @Test
  void restoreRebuildsHoldsAndHeldRecordsFromTheTopicAsCompactionWouldLeaveThem() {
    List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    log.add(hold("K", "h1"));
    log.add(kept("K", 11, "m11"));
    log.add(kept("K", 12, "m12"));
    log.add(kept("K", 11, "m11")); // the same record kept twice: one entry
    log.add(hold("L", "h2"));
    log.add(kept("L", 20, "m20"));
    log.add(release("L", "h2")); // L's head succeeded: its record may go
    log.add(hold("M", "h3"));
    log.add(release("M", "h3")); // M's head succeeded with nothing behind it
    log.add(kept("N", 30, "m30"));
    log.add(handled("N", 30)); // handled after its release
    log.add(hold("P", "m40"));
    log.add(kept("P", 40, "m40")); // became the head before its entry was removed
    log.add(entry(HeldEntries.holdKey("another-group", "x"), bytes("retrying"), "K", null));

    List<Object> released = keys.restore(SOURCE, log);

    assertThat(released).containsExactly(key("L"));
    assertThat(keys.head(SOURCE, key("K"))).isEqualTo("h1");
    assertThat(keys.head(SOURCE, key("P"))).isEqualTo("m40");
    assertThat(keys.busy(SOURCE, key("M"))).isFalse();
    assertThat(keys.busy(SOURCE, key("N"))).isFalse();
    assertThat(keys.heldKeys()).isEqualTo(2);
    assertThat(keys.heldRecords())
        .as("K's two and L's one; P's head is not behind itself")
        .isEqualTo(3);
    HeldKeys.HeldRecord next = keys.next(SOURCE, key("L"));
    assertThat(next.messageId()).isEqualTo("m20");
    assertThat(next.record().topic()).isEqualTo("orders");
    assertThat(next.record().partition()).isEqualTo(2);
    assertThat(next.record().offset()).isEqualTo(20);
    assertThat(new String(next.record().key(), StandardCharsets.UTF_8)).isEqualTo("L");
    assertThat(next.record().headers().lastHeader(HeldEntries.KEY)).isNull();

    keys.forget(SOURCE);
    assertThat(keys.size()).isZero();
    assertThat(keys.busy(SOURCE, key("K"))).isFalse();
  }
}
