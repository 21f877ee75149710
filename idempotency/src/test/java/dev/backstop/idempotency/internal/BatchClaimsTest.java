package dev.backstop.idempotency.internal;

import static dev.backstop.idempotency.ClaimOutcome.CLAIMED;
import static dev.backstop.idempotency.ClaimOutcome.DUPLICATE;
import static dev.backstop.idempotency.ClaimOutcome.DUPLICATE_IN_BATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchClaimsTest {

  @Test
  void sendsEachKeyOnceInSortedOrder() {
    assertThat(BatchClaims.distinctSorted(List.of("c", "a", "c", "b", "a")))
        .containsExactly("a", "b", "c");
  }

  @Test
  void mapsClaimedKeysBackToEveryInputPosition() {
    List<String> keys = List.of("a", "c", "c", "d", "b", "e", "d");
    assertThat(BatchClaims.outcomes(keys, Set.of("c", "d", "e")))
        .containsExactly(
            DUPLICATE,
            CLAIMED,
            DUPLICATE_IN_BATCH,
            CLAIMED,
            DUPLICATE,
            CLAIMED,
            DUPLICATE_IN_BATCH);
  }

  @Test
  void aKeyAlreadyStoredIsADuplicateAtEveryPosition() {
    assertThat(BatchClaims.outcomes(List.of("a", "a"), List.of()))
        .containsExactly(DUPLICATE, DUPLICATE);
  }

  @Test
  void rejectsUnusableKeysNamingTheirPosition() {
    assertThatThrownBy(() -> BatchClaims.distinctSorted(Arrays.asList("a", null)))
        .hasMessageContaining("position 1");
    assertThatThrownBy(() -> BatchClaims.distinctSorted(List.of("a", "b", "  ")))
        .hasMessageContaining("position 2")
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> BatchClaims.distinctSorted(List.of("x".repeat(201))))
        .hasMessageContaining("201 characters");
  }
}
