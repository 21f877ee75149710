package dev.backstop.reliability;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * What each message is and how its handler behaves, decided from the seed and the message's
 * sequence number alone, so a run is reproducible. Immutable and thread-safe.
 */
final class Workload {

  /** The kinds of messages a run writes. */
  enum Kind {
    /** Applied by the handler. */
    NORMAL,
    /** Rejected by the handler for good: belongs in the dead-letter topic. */
    POISON,
    /** Bytes that are not UTF-8: the value deserializer rejects them, so the DLQ too. */
    GARBLED
  }

  static final String POISON_PREFIX = "poison:";

  private final RunOptions options;

  Workload(RunOptions options) {
    this.options = options;
  }

  Kind kind(long seq) {
    double draw = random(seq, 1).nextDouble();
    if (draw < options.poisonRate() / 2) {
      return Kind.POISON;
    }
    return draw < options.poisonRate() ? Kind.GARBLED : Kind.NORMAL;
  }

  /** How many times the handler fails transiently for this message before it succeeds: 0–2. */
  int transientFailures(long seq) {
    SplittableRandom random = random(seq, 2);
    if (random.nextDouble() >= options.failureRate()) {
      return 0;
    }
    return random.nextDouble() < 0.25 ? 2 : 1;
  }

  String key(long seq) {
    return "k" + (seq % options.keys());
  }

  byte[] value(long seq, Kind kind) {
    return switch (kind) {
      case NORMAL -> ("order:" + seq).getBytes(StandardCharsets.UTF_8);
      case POISON -> (POISON_PREFIX + seq).getBytes(StandardCharsets.UTF_8);
      case GARBLED -> new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) (seq & 0x7F)};
    };
  }

  /** The sequence number in a value written by {@link #value}, or -1 when there is none. */
  static long seqOf(String value) {
    int colon = value.indexOf(':');
    try {
      return colon < 0 ? -1 : Long.parseLong(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private SplittableRandom random(long seq, int purpose) {
    return new SplittableRandom(options.seed() * 31 + seq * 1_000_003L + purpose);
  }
}
