package dev.backstop.idempotency.internal;

import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pure logic of a batch claim: the distinct keys to send in one statement (sorted, so concurrent
 * batches take their row locks in the same order and cannot deadlock each other), and the mapping
 * of the keys the statement claimed back to one outcome per input position. Stateless.
 */
final class BatchClaims {
  private BatchClaims() {}

  /**
   * Distinct keys in ascending order; rejects a null, blank or too long key naming its position.
   */
  static List<String> distinctSorted(List<String> keys) {
    TreeSet<String> distinct = new TreeSet<>();
    for (int i = 0; i < keys.size(); i++) {
      distinct.add(checkKey(keys.get(i), i));
    }
    return new ArrayList<>(distinct);
  }

  /**
   * One outcome per input position: the first occurrence of a claimed key is {@link
   * ClaimOutcome#CLAIMED}, later ones {@link ClaimOutcome#DUPLICATE_IN_BATCH}; a key not claimed is
   * {@link ClaimOutcome#DUPLICATE} at every position.
   */
  static List<ClaimOutcome> outcomes(List<String> keys, Collection<String> claimed) {
    Set<String> claimedSet = claimed instanceof Set<String> s ? s : new HashSet<>(claimed);
    Set<String> seen = new HashSet<>();
    List<ClaimOutcome> outcomes = new ArrayList<>(keys.size());
    for (String key : keys) {
      boolean first = seen.add(key);
      if (!claimedSet.contains(key)) {
        outcomes.add(ClaimOutcome.DUPLICATE);
      } else {
        outcomes.add(first ? ClaimOutcome.CLAIMED : ClaimOutcome.DUPLICATE_IN_BATCH);
      }
    }
    return outcomes;
  }

  /** The key itself when usable; otherwise an {@link IllegalArgumentException} naming it. */
  static String checkKey(String key, int position) {
    String problem = key == null ? "is null" : problem(key);
    if (problem != null) {
      String where = position < 0 ? "" : " at position " + position;
      throw new IllegalArgumentException("Message key" + where + " " + problem);
    }
    return key;
  }

  /** Why a non-null key cannot be stored, or null when it can. */
  static String problem(String key) {
    if (key.isBlank()) {
      return "is blank: '" + key + "'";
    }
    if (key.length() > IdempotencyConfig.MAX_KEY_LENGTH) {
      return "is "
          + key.length()
          + " characters long, over the limit of "
          + IdempotencyConfig.MAX_KEY_LENGTH
          + ": '"
          + key.substring(0, 40)
          + "…'";
    }
    return null;
  }
}
