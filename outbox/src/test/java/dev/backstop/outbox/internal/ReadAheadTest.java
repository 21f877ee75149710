package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the relay may use the rows it read ahead while a batch waited for its acks. */
class ReadAheadTest {
  private static final int[] LANES = {0, 3, 7};

  @Test
  void theReadAheadIsUsedWhenTheLanesAndTheirEpochsAreUnchanged() {
    assertThat(ReadAhead.stillValid(LANES, new long[] {4, 4, 9}, LANES, new long[] {4, 4, 9}))
        .isTrue();
  }

  @Test
  void aLaneLostAndTakenAgainInBetweenDropsTheReadAheadThoughTheSetOfLanesIsTheSame() {
    // lane 3 went to another relay (which may have published and deleted its rows) and came back
    assertThat(ReadAhead.stillValid(LANES, new long[] {4, 6, 9}, LANES, new long[] {4, 4, 9}))
        .isFalse();
  }

  @Test
  void aDifferentSetOfLanesDropsTheReadAhead() {
    assertThat(
            ReadAhead.stillValid(new int[] {0, 3}, new long[] {4, 4}, LANES, new long[] {4, 4, 9}))
        .isFalse();
    assertThat(
            ReadAhead.stillValid(
                new int[] {0, 3, 8}, new long[] {4, 4, 9}, LANES, new long[] {4, 4, 9}))
        .isFalse();
  }

  @Test
  void aLaneNoLongerOwnedDropsTheReadAhead() {
    assertThat(ReadAhead.stillValid(LANES, new long[] {4, -1, 9}, LANES, new long[] {4, 4, 9}))
        .isFalse();
  }
}
