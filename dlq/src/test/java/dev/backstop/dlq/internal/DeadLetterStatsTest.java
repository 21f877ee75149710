package dev.backstop.dlq.internal;

import static dev.backstop.dlq.Records.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.dlq.DeadLetterGroup;
import dev.backstop.dlq.GroupBy;
import dev.backstop.dlq.RecordAddress;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterStatsTest {

  private static void add(DeadLetterStats stats, long offset, String error) {
    Headers h = headers();
    if (error != null) {
      h.add(BackstopHeaders.ERROR_CLASS, utf8(error));
    }
    stats.add(DeadLetterDecoder.decode(record("d", 0, offset, null, null, h)));
  }

  @Test
  void countsPerErrorClassLargestFirstWithFirstAndLastSeen() {
    DeadLetterStats stats = new DeadLetterStats(GroupBy.ERROR);
    add(stats, 0, "A");
    add(stats, 1, "B");
    add(stats, 2, "A");
    add(stats, 3, null);
    add(stats, 4, "A");

    List<DeadLetterGroup> groups = stats.groups();

    assertThat(groups).extracting(DeadLetterGroup::key).containsExactly("A", "(none)", "B");
    DeadLetterGroup a = groups.get(0);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.firstSeen()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(a.lastSeen()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_004L));
    assertThat(a.sample()).isEqualTo(new RecordAddress("d", 0, 4));
  }
}
