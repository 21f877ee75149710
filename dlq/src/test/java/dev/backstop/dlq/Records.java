package dev.backstop.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builds records and header values for tests. */
public final class Records {
  private Records() {}

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] int32(int value) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
  }

  public static byte[] int64(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  public static ConsumerRecord<byte[], byte[]> record(
      String topic, int partition, long offset, String key, byte[] value, Headers headers) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        1_700_000_000_000L + offset,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key == null ? null : utf8(key),
        value,
        headers,
        Optional.empty());
  }

  public static Headers headers() {
    return new RecordHeaders();
  }
}
