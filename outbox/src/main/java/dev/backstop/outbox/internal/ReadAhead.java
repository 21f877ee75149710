package dev.backstop.outbox.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the relay reads next, and which delete waits for the next round.
 *
 * <p>While a large batch waits for its acks, the rows that follow it in each lane are read ahead
 * ({@link #readAfter}), so the next round need not wait for the database. Rows of a lane are never
 * read twice: each lane's floor is the last sequence of the batch in flight. A clean batch (every
 * row published) whose next round follows at once (a full batch or a wake-up) leaves its delete to
 * that round ({@link #finish}), where it runs while the next batch is on the wire; its rows stay in
 * the table until then.
 *
 * <p>The next rows ({@link #next}) are the read-ahead when the lanes and their epochs did not
 * change; else a read above the batch whose delete is pending; else a read from the lanes' heads.
 * The same set of lanes is not enough: a lane lost and taken again in between has a new epoch, and
 * another relay may have published and deleted its rows meanwhile.
 *
 * <p>Nothing overtakes an older row of its key. When a lane holds a row at or below its floor that
 * is not one of the pending batch (kept back, or requeued), the pending batch is finished and the
 * lanes are read from their heads. This is asked only when the lanes held parked rows when the
 * batch that set the floors was read: only a requeue puts a row back below rows already read, and
 * only this relay parks rows in its lanes (a batch that parked rows drops the read-ahead and is
 * never left pending). A finish that was fenced or left rows behind drops the read-ahead too.
 *
 * <p>Used by the relay thread only.
 */
final class ReadAhead {

  /** The reads the read-ahead makes: {@link RelayStore}'s. */
  interface Store {

    /** About {@code batchSize} rows above {@code floors[i]} in {@code lanes[i]}, by lane, seq. */
    RelayStore.Read read(int[] lanes, long[] floors, int batchSize) throws SQLException;

    /** See {@link RelayStore#rowsAtOrBelow}. */
    boolean rowsAtOrBelow(int[] lanes, long[] floors, long[] lows, int[] pending)
        throws SQLException;
  }

  /** Parks and deletes what a batch's outcome says; returns the lanes found fenced. */
  interface Finisher {
    List<Integer> finish(BatchOutcome outcome) throws SQLException;
  }

  private final Store store;
  private final IntFunction<Long> epochs;
  private final int batchSize;
  private final Finisher finisher;
  private RelayStore.Read prefetched;
  private int[] prefetchLanes;
  private long[] prefetchEpochs;
  private long[] prefetchFloors;
  private BatchOutcome pending;
  private boolean lanesParked;

  /**
   * @param epochs the epoch under which the relay owns a lane, or null
   * @param finisher how a batch is finished (now, or when its delete was left for the next round)
   */
  ReadAhead(Store store, IntFunction<Long> epochs, int batchSize, Finisher finisher) {
    this.store = store;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.finisher = finisher;
  }

  /** The rows of the next batch over {@code lanes}, of the lanes still owned. */
  RelayStore.Read next(int[] lanes) throws SQLException {
    RelayStore.Read read = choose(lanes);
    lanesParked = read.lanesParked();
    return read;
  }

  private RelayStore.Read choose(int[] lanes) throws SQLException {
    RelayStore.Read read = prefetched;
    prefetched = null;
    long[] floors;
    if (read != null && stillValid(lanes, epochs(lanes), prefetchLanes, prefetchEpochs)) {
      floors = prefetchFloors;
    } else if (pending != null) {
      floors = floors(lanes, pending.acked());
      read = store.read(lanes, floors, batchSize);
    } else {
      return fromHeads(lanes);
    }
    if (lanesParked && rowsBelow(lanes, floors)) {
      finishPending();
      return fromHeads(lanes);
    }
    List<Row> rows = new ArrayList<>(read.rows().size());
    for (Row row : read.rows()) {
      if (epochs.apply(row.lane()) != null) {
        rows.add(row);
      }
    }
    return new RelayStore.Read(rows, read.parkedKeys(), read.lanesParked());
  }

  /**
   * Reads the rows that follow {@code batch} (read over {@code lanes}) while it waits for its acks;
   * only after a batch of at least half the batch size.
   */
  void readAfter(int[] lanes, List<Row> batch) throws SQLException {
    prefetched = null;
    if (batch.size() < batchSize / 2) {
      return;
    }
    prefetchFloors = floors(lanes, batch);
    prefetched = store.read(lanes, prefetchFloors, batchSize);
    prefetchLanes = lanes;
    prefetchEpochs = epochs(lanes);
  }

  /**
   * Finishes {@code outcome} now, or leaves its delete to the next round when every row of it was
   * published and {@code nextRoundAtOnce}.
   */
  void finish(BatchOutcome outcome, boolean nextRoundAtOnce) throws SQLException {
    if (outcome.clean() && !outcome.acked().isEmpty() && nextRoundAtOnce) {
      pending = outcome;
    } else {
      finishNow(outcome);
    }
  }

  /** Finishes the batch whose delete was left for this round, if any. */
  void finishPending() throws SQLException {
    BatchOutcome outcome = pending;
    if (outcome != null) {
      pending = null;
      finishNow(outcome);
    }
  }

  private void finishNow(BatchOutcome outcome) throws SQLException {
    List<Integer> fenced = finisher.finish(outcome);
    if (!fenced.isEmpty() || !outcome.clean()) {
      // rows stay behind or keys changed state: the next round reads from the lanes' heads
      prefetched = null;
    }
  }

  /** Forgets what was read ahead. */
  void drop() {
    prefetched = null;
  }

  /**
   * Forgets what was read ahead and the pending batch (a round failed): rows not deleted stay for
   * the next round, which reads from the lanes' heads.
   */
  void reset() {
    prefetched = null;
    pending = null;
  }

  /**
   * Whether rows read ahead for {@code readLanes} under {@code readEpochs} may be used for a round
   * over {@code lanes} owned under {@code epochs}: only when both are the same.
   */
  static boolean stillValid(int[] lanes, long[] epochs, int[] readLanes, long[] readEpochs) {
    return Arrays.equals(lanes, readLanes) && Arrays.equals(epochs, readEpochs);
  }

  private RelayStore.Read fromHeads(int[] lanes) throws SQLException {
    long[] floors = new long[lanes.length];
    Arrays.fill(floors, -1L);
    return store.read(lanes, floors, batchSize);
  }

  /** The epoch under which the relay owns each of {@code lanes} (-1: not owned). */
  private long[] epochs(int[] lanes) {
    long[] owned = new long[lanes.length];
    for (int i = 0; i < lanes.length; i++) {
      Long epoch = epochs.apply(lanes[i]);
      owned[i] = epoch == null ? -1 : epoch;
    }
    return owned;
  }

  /** Per lane, the last sequence of {@code rows} in it, or -1. */
  private static long[] floors(int[] lanes, List<Row> rows) {
    Map<Integer, Long> last = new HashMap<>();
    for (Row row : rows) {
      last.put(row.lane(), row.seq());
    }
    long[] floors = new long[lanes.length];
    for (int i = 0; i < lanes.length; i++) {
      floors[i] = last.getOrDefault(lanes[i], -1L);
    }
    return floors;
  }

  /** Whether a row sits at or below the floors that is not one of the pending batch. */
  private boolean rowsBelow(int[] lanes, long[] floors) throws SQLException {
    long[] lows = new long[lanes.length];
    int[] counts = new int[lanes.length];
    pendingRows(lanes, floors, lows, counts);
    return store.rowsAtOrBelow(lanes, floors, lows, counts);
  }

  /**
   * Per lane, the lowest sequence and the number of rows of the pending batch (all still in the
   * table); a lane without pending rows gets {@code floor + 1} and 0.
   */
  private void pendingRows(int[] lanes, long[] floors, long[] lows, int[] counts) {
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < lanes.length; i++) {
      index.put(lanes[i], i);
      lows[i] = floors[i] + 1;
    }
    if (pending == null) {
      return;
    }
    for (Row row : pending.acked()) {
      Integer i = index.get(row.lane());
      if (i != null) {
        lows[i] = counts[i] == 0 ? row.seq() : Math.min(lows[i], row.seq());
        counts[i]++;
      }
    }
  }
}
