package dev.backstop.core;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The entries of a held-keys topic ({@code orders.held}): which keys of a source topic wait behind
 * a record in a retry tier or the dead-letter topic, and the records that wait behind it. The
 * consumer wrapper writes and reads them when {@code backstop.retry.key-order=preserve}; the
 * dead-letter CLI reads them. The topic is compacted and partitioned like its source: partition p
 * holds the entries of source partition p.
 *
 * <ul>
 *   <li>A <b>hold</b>: key {@code hold␀group␀head message id}; value the status ({@link #RETRYING}
 *       or {@link #DEAD_LETTERED}); header {@link #KEY} the record key. Its tombstone releases the
 *       key.
 *   <li>A <b>held record</b>: key {@code held␀group␀topic␀partition␀offset} (where it was
 *       consumed); value, headers and timestamp those of the record, plus {@link #KEY}. Its
 *       tombstone means it was handled.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class HeldEntries {

  /** On a hold and a held record: the record key, raw. */
  public static final String KEY = "backstop.held.key";

  /**
   * On a forwarded record: it holds its key (the value is the source partition of its hold), so its
   * success, skip or dead letter updates the hold.
   */
  public static final String HEAD = "backstop.held.head";

  /** Status of a hold whose head waits in a retry tier. */
  public static final String RETRYING = "retrying";

  /** Status of a hold whose head is in the dead-letter topic. */
  public static final String DEAD_LETTERED = "dead-lettered";

  private static final char SEP = '\0';
  private static final String HOLD = "hold";
  private static final String HELD = "held";

  /** What an entry key names. */
  public enum Kind {
    /** A key held behind its head record. */
    HOLD,
    /** A record waiting behind a hold. */
    HELD_RECORD
  }

  /**
   * A parsed entry key: for a hold, the head's message id; for a held record, where it was
   * consumed.
   */
  public record EntryKey(
      Kind kind, String group, String headId, String topic, int partition, long offset) {}

  private HeldEntries() {}

  /**
   * The entry key of the hold of {@code group} behind the record with message id {@code headId}.
   */
  public static byte[] holdKey(String group, String headId) {
    return (HOLD + SEP + group + SEP + headId).getBytes(StandardCharsets.UTF_8);
  }

  /** The entry key of a held record of {@code group}, consumed at topic/partition/offset. */
  public static byte[] heldRecordKey(String group, String topic, int partition, long offset) {
    return (HELD + SEP + group + SEP + topic + SEP + partition + SEP + offset)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Parses an entry key; empty for a key this class did not write. */
  public static Optional<EntryKey> parse(byte[] key) {
    if (key == null) {
      return Optional.empty();
    }
    String[] parts = new String(key, StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
    try {
      if (parts.length == 3 && parts[0].equals(HOLD)) {
        return Optional.of(new EntryKey(Kind.HOLD, parts[1], parts[2], null, -1, -1));
      }
      if (parts.length == 5 && parts[0].equals(HELD)) {
        return Optional.of(
            new EntryKey(
                Kind.HELD_RECORD,
                parts[1],
                null,
                parts[2],
                Integer.parseInt(parts[3]),
                Long.parseLong(parts[4])));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
