package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWorkTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final PartitionWork work = new PartitionWork(new TopicPartition("t", 0));

  private void add(long offset, String key) {
    work.add(
        new ConsumerRecord<>("t", 0, offset, key == null ? null : key.getBytes(), new byte[0]),
        key);
  }

  private List<Long> startAll() {
    List<Long> started = new ArrayList<>();
    for (PartitionWork.Entry entry = work.start(); entry != null; entry = work.start()) {
      started.add(entry.offset);
    }
    return started;
  }

  private PartitionWork.Entry startNext() {
    return work.start();
  }

  @Test
  void oneRecordOfAKeyRunsAtATimeInOffsetOrder() {
    add(0, "a");
    add(1, "a");
    add(2, "b");
    add(3, null);
    add(4, null);
    work.admit(r -> true, NOW);

    PartitionWork.Entry a0 = startNext();
    assertThat(a0.offset).isZero();
    assertThat(startAll())
        .as("a's next waits; b and keyless records go")
        .containsExactly(2L, 3L, 4L);
    work.done(a0);
    PartitionWork.Entry a1 = startNext();
    assertThat(a1.offset).isEqualTo(1);
    assertThat(startNext()).isNull();
  }

  @Test
  void theCommitOffsetStopsAtTheFirstUnfinishedRecord() {
    for (int i = 0; i < 4; i++) {
      add(10 + i, "k" + i);
    }
    work.admit(r -> true, NOW);
    List<PartitionWork.Entry> entries = new ArrayList<>();
    for (PartitionWork.Entry e = work.start(); e != null; e = work.start()) {
      entries.add(e);
    }
    work.done(entries.get(1));
    work.done(entries.get(3));
    assertThat(work.commitOffset()).as("nothing past offset 10, which runs").isEqualTo(10);
    work.done(entries.get(0));
    assertThat(work.commitOffset()).as("up to 12, which runs").isEqualTo(12);
    work.forwarding(entries.get(2));
    assertThat(work.commitOffset()).as("a forward not acknowledged holds the commit").isEqualTo(12);
    work.acknowledged(entries.get(2));
    assertThat(work.commitOffset()).isEqualTo(14);
    work.committed(14);
    assertThat(work.commitOffset()).as("nothing new to commit").isEqualTo(-1);
    assertThat(work.unfinished()).isZero();
  }

  @Test
  void aRecordPutBackStartsBeforeTheLaterRecordsOfItsKey() {
    add(0, "a");
    add(1, "a");
    add(2, "b");
    work.admit(r -> true, NOW);
    PartitionWork.Entry a0 = startNext();
    PartitionWork.Entry b2 = startNext();
    work.putBack(a0);
    work.putBack(b2);
    assertThat(startAll()).containsExactly(2L, 0L);
    assertThat(work.running()).isEqualTo(2);
  }

  @Test
  void tierRecordsAreAdmittedInOffsetOrderOnlyWhenDue() {
    add(0, "a");
    add(1, "b");
    add(2, "c");
    assertThat(work.admit(r -> r.offset() == 0, NOW)).isEqualTo(1);
    assertThat(startAll()).containsExactly(0L);
    assertThat(work.hasFetched()).isTrue();
    assertThat(work.firstFetched().offset()).isEqualTo(1);
    assertThat(work.admit(r -> r.offset() != 1, NOW))
        .as("a due record waits behind one that is not")
        .isZero();
  }

  @Test
  void aRefusedForwardRestsThenRunsAgainFirstOfItsKey() {
    add(0, "a");
    add(1, "a");
    work.admit(r -> true, NOW);
    PartitionWork.Entry a0 = startNext();
    work.forwarding(a0);
    PartitionWork.Entry a1 = startNext();
    assertThat(a1.offset).isEqualTo(1);
    work.rest(a0, NOW.plusSeconds(1));
    assertThat(work.nextRestEnd()).isEqualTo(NOW.plusSeconds(1));
    assertThat(work.admit(r -> true, NOW)).isZero();
    assertThat(work.admit(r -> true, NOW.plus(Duration.ofSeconds(1)))).isEqualTo(1);
    assertThat(startNext()).as("a is running (offset 1)").isNull();
    work.done(a1);
    assertThat(startNext().offset).isZero();
    assertThat(work.commitOffset()).isZero();
  }

  @Test
  void windowCountsFinishedRecordsAboveTheCommitOffset() {
    add(0, "slow");
    add(1, "x");
    add(2, "y");
    work.admit(r -> true, NOW);
    startNext();
    PartitionWork.Entry x = startNext();
    PartitionWork.Entry y = startNext();
    work.done(x);
    work.done(y);
    assertThat(work.windowSize()).isEqualTo(3);
    assertThat(work.unfinished()).isEqualTo(1);
    assertThat(work.oldestUnfinished().offset()).isZero();
  }
}
