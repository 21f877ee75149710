package dev.backstop.dlq;

import dev.backstop.dlq.internal.HeaderText;
import java.util.Arrays;
import java.util.Objects;

/**
 * One header of a dead letter, as stored and as decoded. Immutable and thread-safe (the raw bytes
 * are copied in and out).
 *
 * @param name the header name
 * @param raw the stored bytes ({@code null} for a header without a value)
 * @param value the decoded value: a {@code String}, {@code Long} or {@code java.time.Instant} for a
 *     header whose name Backstop knows, {@code null} for an unknown or undecodable one
 * @param problem why the value could not be decoded as its known type, or {@code null} when it
 *     could
 */
public record DecodedHeader(String name, byte[] raw, Object value, String problem) {

  /** Copies {@code raw}. */
  public DecodedHeader {
    Objects.requireNonNull(name, "name");
    raw = raw == null ? null : raw.clone();
  }

  /** The stored bytes, copied. */
  @Override
  public byte[] raw() {
    return raw == null ? null : raw.clone();
  }

  /**
   * The value as text: the decoded value (instants in ISO-8601); for an unknown header its bytes as
   * text when they are printable UTF-8; otherwise {@code hex:…}. {@code (null)} for no value.
   */
  public String display() {
    if (value != null) {
      return value.toString();
    }
    return problem != null ? HeaderText.hex(raw) : HeaderText.raw(raw);
  }

  /** Whether the value could be decoded as the type its name promises. */
  public boolean decoded() {
    return problem == null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DecodedHeader h
        && name.equals(h.name)
        && Arrays.equals(raw, h.raw)
        && Objects.equals(value, h.value)
        && Objects.equals(problem, h.problem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(raw), value, problem);
  }

  @Override
  public String toString() {
    return name + "=" + display() + (problem == null ? "" : " (" + problem + ")");
  }
}
