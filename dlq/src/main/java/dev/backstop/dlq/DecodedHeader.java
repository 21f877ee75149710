package dev.backstop.dlq;

import java.util.Objects;

/**
 * One header of a dead letter, as stored and as decoded. Immutable and thread-safe (the raw bytes
 * are copied in and out).
 *
 * @param name the header name
 * @param raw the stored bytes ({@code null} for a header without a value)
 * @param display the decoded value as text: a number, an instant, a string, or {@code hex:…} when
 *     it could not be decoded
 * @param problem why the value could not be decoded as its known type, or {@code null} when it
 *     could
 */
public record DecodedHeader(String name, byte[] raw, String display, String problem) {

  /** Copies {@code raw}. */
  public DecodedHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(display, "display");
    raw = raw == null ? null : raw.clone();
  }

  /** The stored bytes, copied. */
  @Override
  public byte[] raw() {
    return raw == null ? null : raw.clone();
  }

  /** Whether the value could be decoded as the type its name promises. */
  public boolean decoded() {
    return problem == null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DecodedHeader h
        && name.equals(h.name)
        && java.util.Arrays.equals(raw, h.raw)
        && display.equals(h.display)
        && Objects.equals(problem, h.problem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, java.util.Arrays.hashCode(raw), display, problem);
  }

  @Override
  public String toString() {
    return name + "=" + display + (problem == null ? "" : " (" + problem + ")");
  }
}
