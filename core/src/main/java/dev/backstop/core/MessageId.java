package dev.backstop.core;

import dev.backstop.core.internal.UuidV7Generator;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of a message: a UUIDv7 (RFC 9562), so ids sort by creation time and index well. Ids made
 * in the same JVM are strictly increasing, also within one millisecond, as long as the clock does
 * not go backwards.
 *
 * <p>Thread-safety: immutable value; {@link #generate()} is thread-safe.
 */
public final class MessageId implements Comparable<MessageId> {
  private static final UuidV7Generator GENERATOR = new UuidV7Generator();
  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final UUID uuid;

  private MessageId(UUID uuid) {
    this.uuid = uuid;
  }

  /** A new id stamped with the system clock. */
  public static MessageId generate() {
    return generate(Clock.systemUTC());
  }

  /** A new id stamped with {@code clock}. */
  public static MessageId generate(Clock clock) {
    return new MessageId(GENERATOR.next(clock));
  }

  /**
   * Parses the canonical text form ({@code 8-4-4-4-12} hex digits, any case).
   *
   * @throws InvalidMessageIdException naming the value when it is not a UUIDv7
   */
  public static MessageId parse(String text) {
    if (text == null || !CANONICAL.matcher(text).matches()) {
      throw new InvalidMessageIdException(
          String.valueOf(text), "must be a UUID like 0190f5a2-3b4c-7d5e-8f60-718293a4b5c6");
    }
    return of(UUID.fromString(text));
  }

  /**
   * Wraps {@code uuid}.
   *
   * @throws InvalidMessageIdException when it is not a version 7, RFC 9562 variant UUID
   */
  public static MessageId of(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    if (uuid.version() != 7 || uuid.variant() != 2) {
      throw new InvalidMessageIdException(
          uuid.toString(),
          "must be a UUIDv7 (version 7, variant 2), was version "
              + uuid.version()
              + ", variant "
              + uuid.variant());
    }
    return new MessageId(uuid);
  }

  /** The wrapped UUID. */
  public UUID uuid() {
    return uuid;
  }

  /** The creation time carried in the id (millisecond precision). */
  public Instant timestamp() {
    return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
  }

  /** Orders by the unsigned bytes of the UUID, which is creation order. */
  @Override
  public int compareTo(MessageId other) {
    int high =
        Long.compareUnsigned(uuid.getMostSignificantBits(), other.uuid.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(
            uuid.getLeastSignificantBits(), other.uuid.getLeastSignificantBits());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && uuid.equals(other.uuid);
  }

  @Override
  public int hashCode() {
    return uuid.hashCode();
  }

  /** Canonical lower-case UUID text. */
  @Override
  public String toString() {
    return uuid.toString().toLowerCase(Locale.ROOT);
  }
}
