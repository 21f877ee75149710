package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When the relay may use the rows it read ahead while a batch waited for its acks. */
class ReadAheadTest {
  private static final int[] LANES = {0, 3, 7};
  private static final int BATCH = 4;
  private static final long[] EIGHT_ROWS = {1, 2, 3, 4, 5, 6, 7, 8};

  private final FakeStore store = new FakeStore();
  private final Map<Integer, Long> epochs = new HashMap<>(Map.of(0, 4L, 3, 4L, 7, 9L));
  private final List<BatchOutcome> finished = new ArrayList<>();
  private List<Integer> fencedByNextFinish = List.of();
  private final ReadAhead readAhead = new ReadAhead(store, epochs::get, BATCH, this::finish);

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

  @Test
  void readsTheFirstBatchFromTheLanesHeads() throws Exception {
    store.insert(0, 1, 2, 3);
    store.insert(3, 1, 2);

    assertThat(seqs(readAhead.next(new int[] {0, 3}))).containsExactly("0:1", "0:2", "0:3", "3:1");
    assertThat(store.reads).containsExactly("read [0, 3] above [-1, -1]");
  }

  @Test
  void theNextRoundUsesWhatWasReadAheadWhenTheLanesAndTheirEpochsAreUnchanged() throws Exception {
    store.insert(0, EIGHT_ROWS);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes);
    readAhead.finish(acked(batch), true);

    assertThat(seqs(readAhead.next(lanes))).containsExactly("0:5", "0:6", "0:7", "0:8");
    assertThat(store.reads)
        .as("no read after the read-ahead")
        .containsExactly("read [0] above [-1]", "read [0] above [4]");
  }

  @Test
  void aLaneLostAndTakenAgainMakesTheNextRoundReadAgainAboveThePendingBatch() throws Exception {
    store.insert(0, EIGHT_ROWS);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes);
    readAhead.finish(acked(batch), true);
    // meanwhile another relay owned lane 0 and published and deleted rows 5 and 6
    epochs.put(0, 5L);
    store.delete(0, 5, 6);

    assertThat(seqs(readAhead.next(lanes))).containsExactly("0:7", "0:8");
    assertThat(store.reads).endsWith("read [0] above [4]", "read [0] above [4]");
    assertThat(finished).as("the pending delete waits for this round's send").isEmpty();
  }

  @Test
  void aLaneNoLongerOwnedDropsTheReadAheadAndItsRows() throws Exception {
    store.insert(0, 1, 2, 3);
    store.insert(3, 1, 2, 3);
    int[] lanes = {0, 3};
    List<Row> batch = readAndReadAhead(lanes);
    readAhead.finish(acked(batch), true);
    epochs.remove(3);

    assertThat(seqs(readAhead.next(new int[] {0}))).isEmpty();
    assertThat(store.reads).last().isEqualTo("read [0] above [3]");
  }

  @Test
  void aPendingDeleteRunsBeforeTheLanesAreReadFromTheirHeadsWhenARowSitsBelowTheFloors()
      throws Exception {
    store.insert(0, 5, 6, 7);
    store.parkedLanes.add(0);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes); // nothing follows it yet
    BatchOutcome outcome = acked(batch);
    readAhead.finish(outcome, true);
    assertThat(finished).as("the delete is left for the next round").isEmpty();
    // an operator requeues the parked row 2 of lane 0: it is older than the pending batch
    store.insert(0, 2);

    assertThat(seqs(readAhead.next(lanes))).containsExactly("0:2");
    assertThat(store.reads)
        .containsExactly(
            "read [0] above [-1]",
            "read [0] above [7]",
            "rows at or below [7] other than 3 from [5]",
            "finish 0:5 0:6 0:7",
            "read [0] above [-1]");
    assertThat(finished).containsExactly(outcome);
  }

  @Test
  void rowsOfThePendingBatchAloneAtOrBelowTheFloorsLeaveItPending() throws Exception {
    store.insert(0, 5, 6, 7, 9);
    store.parkedLanes.add(0);
    int[] lanes = {0};
    readAhead.finish(acked(readAhead.next(new int[] {0}).rows().subList(0, 3)), true);

    assertThat(seqs(readAhead.next(lanes))).containsExactly("0:9");
    assertThat(store.reads).contains("rows at or below [7] other than 3 from [5]");
    assertThat(finished).isEmpty();
  }

  @Test
  void rowsBelowTheFloorsAreNotLookedForWhenTheLanesHeldNoParkedRows() throws Exception {
    store.insert(0, 5, 6, 7);
    int[] lanes = {0};
    readAhead.finish(acked(readAhead.next(lanes).rows()), true);
    store.insert(0, 2);

    assertThat(seqs(readAhead.next(lanes))).isEmpty();
    assertThat(store.reads).containsExactly("read [0] above [-1]", "read [0] above [7]");
  }

  @Test
  void thePendingBatchIsFinishedOnce() throws Exception {
    store.insert(0, 1, 2);
    BatchOutcome outcome = acked(readAhead.next(new int[] {0}).rows());
    readAhead.finish(outcome, true);

    readAhead.finishPending();
    readAhead.finishPending();

    assertThat(finished).containsExactly(outcome);
  }

  @Test
  void aBatchIsFinishedAtOnceWhenTheNextRoundDoesNotFollowAtOnce() throws Exception {
    store.insert(0, 1, 2);
    BatchOutcome outcome = acked(readAhead.next(new int[] {0}).rows());

    readAhead.finish(outcome, false);

    assertThat(finished).containsExactly(outcome);
  }

  @Test
  void aBatchThatParkedRowsIsFinishedAtOnceAndDropsTheReadAhead() throws Exception {
    store.insert(0, EIGHT_ROWS);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes);
    BatchOutcome outcome = acked(batch.subList(0, 3));
    outcome.parked.add(new BatchOutcome.Parked(batch.get(3), "too large", false));

    readAhead.finish(outcome, true);

    assertThat(finished).containsExactly(outcome);
    readAhead.next(lanes);
    assertThat(store.reads).last().isEqualTo("read [0] above [-1]");
  }

  @Test
  void aFencedFinishDropsTheReadAhead() throws Exception {
    store.insert(0, EIGHT_ROWS);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes);
    fencedByNextFinish = List.of(0);

    readAhead.finish(acked(batch), false);

    readAhead.next(lanes);
    assertThat(store.reads).last().isEqualTo("read [0] above [-1]");
  }

  @Test
  void aFailedRoundForgetsThePendingBatchAndTheReadAhead() throws Exception {
    store.insert(0, EIGHT_ROWS);
    int[] lanes = {0};
    List<Row> batch = readAndReadAhead(lanes);
    readAhead.finish(acked(batch), true);

    readAhead.reset();
    readAhead.finishPending();

    assertThat(finished).isEmpty();
    assertThat(seqs(readAhead.next(lanes))).startsWith("0:1");
  }

  /** A round up to the acks: the batch is read, then the rows after it are read ahead. */
  private List<Row> readAndReadAhead(int[] lanes) throws Exception {
    List<Row> batch = readAhead.next(lanes).rows();
    readAhead.readAfter(lanes, batch);
    return batch;
  }

  private List<Integer> finish(BatchOutcome outcome) {
    StringBuilder line = new StringBuilder("finish");
    for (Row row : outcome.acked()) {
      line.append(' ').append(row.lane()).append(':').append(row.seq());
      store.delete(row.lane(), row.seq());
    }
    store.reads.add(line.toString());
    finished.add(outcome);
    List<Integer> fenced = fencedByNextFinish;
    fencedByNextFinish = List.of();
    return fenced;
  }

  private static BatchOutcome acked(List<Row> rows) {
    BatchOutcome outcome = new BatchOutcome();
    outcome.acked.addAll(rows);
    return outcome;
  }

  private static List<String> seqs(RelayStore.Read read) {
    return read.rows().stream().map(row -> row.lane() + ":" + row.seq()).toList();
  }

  /** The outbox table in memory: rows by lane and seq, and the lanes that hold parked rows. */
  private static final class FakeStore implements ReadAhead.Store {
    final Map<Integer, NavigableMap<Long, Row>> lanes = new TreeMap<>();
    final Set<Integer> parkedLanes = new HashSet<>();
    final List<String> reads = new ArrayList<>();

    void insert(int lane, long... seqs) {
      for (long seq : seqs) {
        Row row =
            new Row(
                lane, seq, UUID.randomUUID(), "t", null, new byte[0], new byte[0], Instant.EPOCH);
        lanes.computeIfAbsent(lane, l -> new TreeMap<>()).put(seq, row);
      }
    }

    void delete(int lane, long... seqs) {
      for (long seq : seqs) {
        lanes.getOrDefault(lane, new TreeMap<>()).remove(seq);
      }
    }

    @Override
    public RelayStore.Read read(int[] lanes, long[] floors, int batchSize) {
      reads.add("read " + Arrays.toString(lanes) + " above " + Arrays.toString(floors));
      List<Row> rows = new ArrayList<>();
      boolean lanesParked = false;
      for (int i = 0; i < lanes.length && rows.size() < batchSize; i++) {
        for (Row row : rowsOf(lanes[i]).tailMap(floors[i], false).values()) {
          if (rows.size() == batchSize) {
            break;
          }
          rows.add(row);
          lanesParked |= parkedLanes.contains(row.lane());
        }
      }
      return new RelayStore.Read(rows, Set.of(), lanesParked);
    }

    @Override
    public boolean rowsAtOrBelow(int[] lanes, long[] floors, long[] lows, int[] pending) {
      reads.add(
          "rows at or below "
              + Arrays.toString(floors)
              + " other than "
              + Arrays.stream(pending).mapToObj(String::valueOf).reduce((a, b) -> a + "," + b).get()
              + " from "
              + Arrays.toString(lows));
      for (int i = 0; i < lanes.length; i++) {
        NavigableMap<Long, Row> rows = rowsOf(lanes[i]);
        long low = lows[i];
        long floor = floors[i];
        boolean older = rows.headMap(Math.min(low - 1, floor), true).size() > 0;
        if (older || (low <= floor && rows.subMap(low, true, floor, true).size() > pending[i])) {
          return true;
        }
      }
      return false;
    }

    private NavigableMap<Long, Row> rowsOf(int lane) {
      return lanes.getOrDefault(lane, new TreeMap<>());
    }
  }
}
