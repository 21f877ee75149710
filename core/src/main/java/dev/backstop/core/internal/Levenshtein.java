package dev.backstop.core.internal;

import java.util.Collection;

/**
 * Edit distance, to suggest the key a user probably meant.
 *
 * <p>Thread-safety: stateless.
 */
public final class Levenshtein {
  private Levenshtein() {}

  /** The number of single-character insertions, deletions or substitutions from a to b. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /**
   * The candidate closest to {@code word}, or null when none is within {@code maxDistance}. Ties go
   * to the candidate met first.
   */
  public static String nearest(String word, Collection<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = maxDistance + 1;
    for (String candidate : candidates) {
      int d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
}
