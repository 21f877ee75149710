package dev.backstop.outbox.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Encodes Kafka headers into one column: a count, then per header the UTF-8 name (length-prefixed)
 * and the value (length-prefixed, -1 for null). Order and repeated names are kept. Stateless.
 */
final class HeaderCodec {

  private HeaderCodec() {}

  /** The encoded form of {@code headers}. */
  public static byte[] encode(List<Header> headers) {
    int size = 4;
    List<byte[]> names = new ArrayList<>(headers.size());
    for (Header header : headers) {
      byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 8 + name.length + (header.value() == null ? 0 : header.value().length);
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.putInt(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      byte[] name = names.get(i);
      byte[] value = headers.get(i).value();
      buffer.putInt(name.length).put(name);
      if (value == null) {
        buffer.putInt(-1);
      } else {
        buffer.putInt(value.length).put(value);
      }
    }
    return buffer.array();
  }

  /** The headers encoded in {@code bytes}; empty for null. */
  public static List<Header> decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return List.of();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int count = buffer.getInt();
    List<Header> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[buffer.getInt()];
      buffer.get(name);
      int length = buffer.getInt();
      byte[] value = null;
      if (length >= 0) {
        value = new byte[length];
        buffer.get(value);
      }
      headers.add(new RecordHeader(new String(name, StandardCharsets.UTF_8), value));
    }
    return headers;
  }
}
