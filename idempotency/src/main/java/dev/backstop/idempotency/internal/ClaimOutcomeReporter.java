package dev.backstop.idempotency.internal;

import dev.backstop.core.DuplicateSignal;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyMetrics;
import java.util.List;

/**
 * Counts committed outcomes into the metrics in one place, and tells a consumer wrapper around the
 * handler through {@link DuplicateSignal} whether the call did work or only skipped duplicates.
 * Stateless.
 */
final class ClaimOutcomeReporter {
  private ClaimOutcomeReporter() {}

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
    if (claimed + untracked > 0) {
      DuplicateSignal.worked();
    } else if (duplicates > 0) {
      DuplicateSignal.raise();
    }
  }
}
