package dev.backstop.dlq;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One record of a dead-letter topic with its headers decoded. Immutable and thread-safe (byte
 * arrays are copied in and out).
 *
 * @param address where the dead letter itself sits
 * @param timestamp the dead letter's record timestamp (when it was dead-lettered)
 * @param key the record key, {@code null} when absent
 * @param value the record value, {@code null} for a tombstone
 * @param headers every header in stored order, decoded where the name is known
 * @param failure the decoded failure context
 */
public record DeadLetter(
    RecordAddress address,
    Instant timestamp,
    byte[] key,
    byte[] value,
    List<DecodedHeader> headers,
    FailureInfo failure) {

  /** Copies the arrays and the header list. */
  public DeadLetter {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(failure, "failure");
    key = key == null ? null : key.clone();
    value = value == null ? null : value.clone();
    headers = List.copyOf(headers);
  }

  /** The key, copied. */
  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  /** The value, copied. */
  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  /** The key as UTF-8 text, or {@code null} when absent. */
  public String keyText() {
    return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Size of the value in bytes, 0 for a tombstone. */
  public int valueSize() {
    return value == null ? 0 : value.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeadLetter d
        && address.equals(d.address)
        && timestamp.equals(d.timestamp)
        && Arrays.equals(key, d.key)
        && Arrays.equals(value, d.value)
        && headers.equals(d.headers)
        && failure.equals(d.failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, timestamp, Arrays.hashCode(key), Arrays.hashCode(value), headers);
  }

  @Override
  public String toString() {
    return "DeadLetter[" + address + ", " + failure.errorClass() + "]";
  }
}
