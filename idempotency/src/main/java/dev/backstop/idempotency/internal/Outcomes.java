package dev.backstop.idempotency.internal;

import dev.backstop.core.DuplicateSignal;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyMetrics;
import java.util.List;

/**
 * Counts committed outcomes into the metrics in one place, and raises the {@link DuplicateSignal}
 * when every record of the call was a duplicate, so a consumer wrapper around the handler does not
 * count the call as processed. Stateless.
 */
final class Outcomes {
  private Outcomes() {}

  static void count(IdempotencyMetrics metrics, String group, List<ClaimOutcome> outcomes) {
    int claimed = 0;
    int duplicates = 0;
    int untracked = 0;
    for (ClaimOutcome outcome : outcomes) {
      switch (outcome) {
        case CLAIMED -> claimed++;
        case DUPLICATE, DUPLICATE_IN_BATCH -> duplicates++;
        case UNTRACKED -> untracked++;
      }
    }
    if (claimed > 0) {
      metrics.claimed(group, claimed);
    }
    if (duplicates > 0) {
      metrics.duplicates(group, duplicates);
    }
    if (untracked > 0) {
      metrics.untracked(group, untracked);
    }
    if (!outcomes.isEmpty() && duplicates == outcomes.size()) {
      DuplicateSignal.raise();
    }
  }
}
