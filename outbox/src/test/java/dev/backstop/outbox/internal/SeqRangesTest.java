package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeqRangesTest {

  @Test
  void foldsContiguousRunsAndKeepsGaps() {
    assertThat(SeqRanges.of(new TreeSet<>(List.of(5L, 1L, 2L, 3L, 7L, 8L))))
        .containsExactly(
            new SeqRanges.Range(1, 3), new SeqRanges.Range(5, 5), new SeqRanges.Range(7, 8));
  }

  @Test
  void emptyGivesNoRange() {
    assertThat(SeqRanges.of(new TreeSet<>())).isEmpty();
  }
}
