package dev.backstop.retry;

import java.util.Locale;

/**
 * Which records of a partition the consumer wrapper may handle at the same time ({@code
 * backstop.consumer.ordering}). Immutable.
 */
public enum Ordering {
  /**
   * Records of one key are handled one at a time, in offset order; different keys in parallel.
   * Keyless records have no key to order by and are handled in parallel, as in {@link #UNORDERED}.
   */
  KEY,
  /** Records of one partition are handled one at a time, in offset order. */
  PARTITION,
  /** Any record may be handled beside any other; only the commit follows offset order. */
  UNORDERED;

  /** The name in a properties file: {@code key}, {@code partition} or {@code unordered}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The ordering named {@code text} (any case), or null when there is none of that name. */
  static Ordering parse(String text) {
    for (Ordering ordering : values()) {
      if (ordering.configName().equalsIgnoreCase(text.trim())) {
        return ordering;
      }
    }
    return null;
  }
}
