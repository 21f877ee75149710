package dev.backstop.outbox.internal;

import dev.backstop.core.Backoff;
import dev.backstop.core.Health;
import dev.backstop.core.Jitter;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxRelay;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay loop, on one thread: maintain leases, read the head of the owned lanes, publish
 * asynchronously and await the acks (no database work meanwhile), then finish the batch in one
 * short transaction. Failures back off with jitter; rows stay until acknowledged. Thread-safe.
 */
public final class Relay implements OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private final OutboxConfig config;
  private final OutboxEngine context;
  private final Leases leases;
  private final RelayStore store;
  private final Publisher publisher;
  private final SizeGuard sizeGuard;
  private final RelayProducer producer;
  private final Admin admin;
  private final Backlog backlog;
  private final OutboxMetrics metrics;
  private final RelayHooks hooks;
  private final Clock clock;
  private final RelayWakeUp wakeUp = new RelayWakeUp();
  private final ScheduledExecutorService statsThread;
  private final Thread thread;
  private final CopyOnWriteArrayList<Integer> ownedView = new CopyOnWriteArrayList<>();
  private volatile boolean killed;
  private volatile boolean closed;
  private volatile int failures;
  private volatile String lastError;
  private volatile Instant publishingSince;
  private volatile Throwable died;
  private RelayStore.Read prefetched;
  private BatchOutcome pending;
  private boolean lanesParked;
  private int[] prefetchLanes;
  private long[] prefetchEpochs;
  private long[] prefetchFloors;

  Relay(OutboxEngine context, String relayId, RelayHooks hooks) {
    this.config = context.config();
    this.context = context;
    this.clock = context.clock();
    this.hooks = hooks;
    this.leases =
        new Leases(context.dataSource(), context.dialect(), clock, relayId, config.leaseDuration());
    this.store = new RelayStore(context.dataSource(), context.dialect());
    Map<String, Object> producerConfig = KafkaSettings.producer(config, relayId);
    this.producer =
        new RelayProducer(
            producerConfig,
            owner -> KafkaSettings.transactionalId(config, owner),
            KafkaProducer::new);
    this.admin = Admin.create(KafkaSettings.admin(config, relayId));
    this.sizeGuard =
        new SizeGuard(
            admin,
            KafkaSettings.maxRequestSize(producerConfig),
            KafkaSettings.uncompressed(producerConfig),
            clock);
    this.publisher = new Publisher(producer, sizeGuard, context.tracing());
    this.backlog = new Backlog(context.dataSource(), context.dialect(), clock);
    this.metrics =
        OutboxMetrics.create(
            context.meterRegistry(), relayId, backlog::snapshot, leases::ownedCount, clock);
    this.statsThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "backstop-outbox-stats-" + relayId));
    this.thread = daemon(this::run, "backstop-outbox-relay-" + relayId);
  }

  void start() throws SQLException {
    leases.ensureLanes(config.lanes());
    long period = config.get(OutboxConfig.STATS_INTERVAL).toMillis();
    statsThread.scheduleWithFixedDelay(backlog::refresh, 0, period, TimeUnit.MILLISECONDS);
    thread.start();
    LOG.info("Outbox relay {} started: {}", leases.relayId(), config.describe());
  }

  /** Forgets cached topic size limits. */
  void invalidateLimits() {
    sizeGuard.invalidate();
  }

  /** Wakes the loop (a local commit happened). */
  void wakeUp() {
    wakeUp.wakeUp();
  }

  private void run() {
    PollInterval poll =
        new PollInterval(
            config.get(OutboxConfig.POLL_INTERVAL_MIN), config.get(OutboxConfig.POLL_INTERVAL_MAX));
    Backoff backoff =
        Backoff.exponential(
                config.get(OutboxConfig.BACKOFF_INITIAL), 2.0, config.get(OutboxConfig.BACKOFF_MAX))
            .withJitter(Jitter.PROPORTIONAL, 0.3);
    try {
      while (!wakeUp.isClosed() && !killed) {
        Duration wait;
        boolean failed = false;
        try {
          wait = round(poll);
          failures = 0;
          lastError = null;
        } catch (SQLException e) {
          wait = failed(backoff, "database", e);
          failed = true;
        } catch (KafkaUnavailableException e) {
          wait = failed(backoff, "kafka", e.getCause());
          failed = true;
        } catch (RuntimeException e) {
          wait = failed(backoff, "unexpected", e);
          failed = true;
        }
        if (killed) {
          return;
        }
        if (failed) {
          wakeUp.backoff(wait);
        } else if (!wait.isZero()) {
          wakeUp.idle(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Error e) {
      died = e;
      throw e;
    } finally {
      if (!killed) {
        shutdown();
      }
    }
  }

  private Duration failed(Backoff backoff, String kind, Throwable error) {
    failures++;
    lastError = kind + ": " + error.getClass().getSimpleName() + ": " + error.getMessage();
    metrics.failure(kind);
    Duration delay = backoff.delay(failures);
    LOG.warn(
        "Outbox relay {}: {} (failure {} in a row, next try in {})",
        leases.relayId(),
        lastError,
        failures,
        delay);
    return delay;
  }

  private Duration round(PollInterval poll) throws SQLException {
    try {
      return relayOnce(poll);
    } catch (SQLException | RuntimeException e) {
      // rows not deleted stay for the next round, which reads from the lanes' heads; a
      // transaction left open is abandoned, and the next producer's initialization aborts it
      producer.discardIfOpen();
      prefetched = null;
      pending = null;
      throw e;
    }
  }

  /**
   * One round: read, send, then finish the previous batch while this one is on the wire (its acks
   * were awaited in the previous round), read ahead, await this batch's acks. A clean batch is
   * finished in the next round when that round follows at once (full batch or a wake-up); otherwise
   * now, so an idle relay holds nothing back.
   */
  private Duration relayOnce(PollInterval poll) throws SQLException {
    if (leases.maintenanceDue()) {
      // the previous batch's delete first: maintenance may hand its lanes over, which would fence
      // the delete and make the new owner send the batch again
      finishPending();
      maintain();
    }
    refreshOwnedView();
    int[] lanes = leases.publishableLanes();
    if (lanes.length == 0) {
      prefetched = null;
      finishPending();
      return config.leaseDuration().dividedBy(4);
    }
    long started = System.nanoTime();
    RelayStore.Read read = nextRead(lanes);
    lanesParked = read.lanesParked();
    long readDone = System.nanoTime();
    List<Row> batch = read.rows();
    if (batch.isEmpty()) {
      finishPending();
      return poll.next(0, config.batchSize());
    }
    hooks.afterRead(batch);
    if (killed) {
      return Duration.ZERO;
    }
    batch = stillOwned(batch);
    BatchOutcome outcome;
    long sent;
    long previousFinished;
    long prefetchDone;
    publishingSince = clock.instant();
    int discards = producer.discarded();
    try {
      Publisher.InFlight inFlight = send(batch, read.parkedKeys());
      sent = System.nanoTime();
      hooks.afterSend(batch);
      if (killed) {
        return Duration.ZERO;
      }
      finishPending();
      previousFinished = System.nanoTime();
      prefetch(lanes, batch);
      prefetchDone = System.nanoTime();
      outcome = publisher.await(inFlight, publicationTimeout());
    } finally {
      publishingSince = null;
    }
    if (producer.discarded() != discards || outcome.retriable() != null) {
      // the producer was abandoned (fenced, failed, too slow): learn the leases again first
      leases.maintainSoon();
    }
    outcome.ackedAt = clock.instant();
    long acked = System.nanoTime();
    hooks.afterAcks(batch);
    if (killed) {
      return Duration.ZERO;
    }
    Duration wait = poll.next(batch.size(), config.batchSize());
    boolean clean =
        outcome.parked().isEmpty() && outcome.retriable() == null && outcome.kept() == 0;
    if (clean && !batch.isEmpty() && (wait.isZero() || wakeUp.isWoken())) {
      pending = outcome;
    } else {
      finish(outcome);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Batch of {} rows: read {} µs, send {} µs, finish previous {} µs, read ahead {} µs,"
              + " await acks {} µs, finish now {} µs",
          batch.size(),
          (readDone - started) / 1000,
          (sent - readDone) / 1000,
          (previousFinished - sent) / 1000,
          (prefetchDone - previousFinished) / 1000,
          (acked - prefetchDone) / 1000,
          (System.nanoTime() - acked) / 1000);
    }
    if (outcome.retriable() != null) {
      throw new KafkaUnavailableException(outcome.retriable());
    }
    return wait;
  }

  private Publisher.InFlight send(List<Row> batch, Set<Publisher.LaneKey> parkedKeys) {
    try {
      return publisher.send(batch, parkedKeys);
    } catch (RuntimeException e) {
      // no transaction could begin (the producer could not be initialized): nothing was sent
      producer.discard();
      throw new KafkaUnavailableException(e);
    }
  }

  /**
   * How long this batch may wait for its acks: {@code publish-timeout}, and never past the local
   * lease less a tenth of it, so the transaction is abandoned before another relay may take the
   * lanes.
   */
  private Duration publicationTimeout() {
    Duration timeout = config.get(OutboxConfig.PUBLISH_TIMEOUT);
    Instant leaseEnd = leases.validUntil().minus(config.leaseDuration().dividedBy(10));
    Duration left = Duration.between(clock.instant(), leaseEnd);
    if (left.compareTo(timeout) < 0) {
      timeout = left.isNegative() ? Duration.ZERO : left;
    }
    return timeout;
  }

  /** Finishes the batch whose delete was left for this round, if any. */
  private void finishPending() throws SQLException {
    BatchOutcome outcome = pending;
    if (outcome != null) {
      pending = null;
      finish(outcome);
    }
  }

  /** Parks and deletes in one short transaction, fenced by the lease epochs. */
  private void finish(BatchOutcome outcome) throws SQLException {
    List<Integer> fenced = store.finish(outcome, leases);
    fenced.forEach(leases::lost);
    if (!fenced.isEmpty()) {
      LOG.warn("Outbox relay {} was fenced out of lanes {}", leases.relayId(), fenced);
    }
    record(outcome);
    if (!fenced.isEmpty()
        || !outcome.parked().isEmpty()
        || outcome.retriable() != null
        || outcome.kept() > 0) {
      // rows stay behind or keys changed state: the next round reads from the lanes' heads
      prefetched = null;
    }
  }

  /**
   * While a large batch waits for its acks, reads the rows that follow it in each lane, so the next
   * round need not wait for the database. Rows of a lane are never read twice: each lane's floor is
   * the last sequence of the batch in flight.
   */
  private void prefetch(int[] lanes, List<Row> batch) throws SQLException {
    prefetched = null;
    if (batch.size() < config.batchSize() / 2) {
      return;
    }
    prefetchFloors = floors(lanes, batch);
    prefetched = store.read(lanes, prefetchFloors, config.batchSize());
    prefetchLanes = lanes;
    prefetchEpochs = epochs(lanes);
  }

  /**
   * Whether rows read ahead for {@code readLanes} under {@code readEpochs} may be used for a round
   * over {@code lanes} owned under {@code epochs}: only when both are the same. The same set of
   * lanes is not enough: a lane lost and taken again in between has a new epoch, and another relay
   * may have published and deleted its rows meanwhile.
   */
  static boolean readAheadStillValid(
      int[] lanes, long[] epochs, int[] readLanes, long[] readEpochs) {
    return Arrays.equals(lanes, readLanes) && Arrays.equals(epochs, readEpochs);
  }

  /** The epoch under which this relay owns each of {@code lanes} (-1: not owned). */
  private long[] epochs(int[] lanes) {
    long[] epochs = new long[lanes.length];
    for (int i = 0; i < lanes.length; i++) {
      Long epoch = leases.epoch(lanes[i]);
      epochs[i] = epoch == null ? -1 : epoch;
    }
    return epochs;
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

  /**
   * The next rows: the read-ahead when the owned lanes and their epochs did not change, else a read
   * above the batch whose delete is pending (its rows are still in the table), else a read from the
   * lanes' heads. When a lane holds a row at or below its floor that is not one of the pending
   * batch (kept back, or requeued), the pending batch is finished and the lanes are read from their
   * heads, so nothing overtakes an older row of its key.
   */
  private RelayStore.Read nextRead(int[] lanes) throws SQLException {
    RelayStore.Read read = prefetched;
    prefetched = null;
    long[] floors;
    // a lane lost and taken again in between has a new epoch: what was read ahead may be stale
    if (read != null && readAheadStillValid(lanes, epochs(lanes), prefetchLanes, prefetchEpochs)) {
      floors = prefetchFloors;
    } else if (pending != null) {
      floors = floors(lanes, pending.acked());
      read = store.read(lanes, floors, config.batchSize());
    } else {
      return store.read(lanes, config.batchSize());
    }
    if (lanesParked && rowsBelow(lanes, floors)) {
      finishPending();
      return store.read(lanes, config.batchSize());
    }
    List<Row> rows = new ArrayList<>(read.rows().size());
    for (Row row : read.rows()) {
      if (leases.epoch(row.lane()) != null) {
        rows.add(row);
      }
    }
    return new RelayStore.Read(rows, read.parkedKeys(), read.lanesParked());
  }

  /**
   * Whether a row sits at or below the floors that is not one of the pending batch. Asked only when
   * the lanes held parked rows when the batch that set the floors was read: only a requeue puts a
   * row back below rows already read, and only this relay parks rows in its lanes (a batch that
   * parked rows drops the read-ahead and is never left pending).
   */
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

  /**
   * Renews the leases and balances the lanes, then fences the producer of every relay a lane was
   * taken from (its lease expired): until that relay's transactional id is fenced, its lanes are
   * not published, so a relay that froze past its lease cannot write after the new owner.
   */
  private void maintain() throws SQLException {
    leases.maintain();
    for (String owner : leases.toFence()) {
      try {
        producer.fence(owner);
      } catch (RuntimeException e) {
        throw new KafkaUnavailableException(e);
      }
      leases.fenced(owner);
      LOG.info("Outbox relay {} fenced the producer of relay {}", leases.relayId(), owner);
    }
  }

  /**
   * After a pause (GC, hook) the lease may not cover a whole publication any more: renew and drop
   * lanes lost meanwhile.
   */
  private List<Row> stillOwned(List<Row> batch) throws SQLException {
    if (leases.validFor(config.get(OutboxConfig.PUBLISH_TIMEOUT))) {
      return batch;
    }
    finishPending();
    maintain();
    refreshOwnedView();
    Set<Integer> lanes = Set.copyOf(Arrays.stream(leases.publishableLanes()).boxed().toList());
    List<Row> kept = new ArrayList<>(batch.size());
    for (Row row : batch) {
      if (lanes.contains(row.lane())) {
        kept.add(row);
      }
    }
    if (kept.size() < batch.size()) {
      LOG.warn(
          "Outbox relay {} dropped {} rows of lanes it no longer owns",
          leases.relayId(),
          batch.size() - kept.size());
    }
    return kept;
  }

  private void record(BatchOutcome outcome) {
    Instant now = outcome.ackedAt == null ? clock.instant() : outcome.ackedAt;
    for (Row row : outcome.acked()) {
      metrics.publishLatency(Duration.between(row.createdAt(), now));
    }
    metrics.batch(outcome.acked().size() + outcome.parked().size(), outcome.acked().size());
    if (!outcome.parked().isEmpty()) {
      metrics.parked(outcome.parked().size());
      LOG.warn(
          "Outbox relay {} parked {} rows, first: message {} ({})",
          leases.relayId(),
          outcome.parked().size(),
          outcome.parked().get(0).row().messageId(),
          outcome.parked().get(0).reason());
    }
  }

  private void refreshOwnedView() {
    List<Integer> owned = leases.owned();
    if (!owned.equals(ownedView)) {
      ownedView.clear();
      ownedView.addAll(owned);
    }
  }

  private void shutdown() {
    try {
      finishPending();
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "Outbox relay {} could not delete its last acknowledged batch; it is sent again",
          leases.relayId(),
          e);
    }
    try {
      leases.releaseAll();
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "Outbox relay {} could not release its lanes; they move after the lease",
          leases.relayId(),
          e);
    }
    ownedView.clear();
    closeClients(Duration.ofSeconds(5));
    LOG.info("Outbox relay {} stopped", leases.relayId());
  }

  private void closeClients(Duration timeout) {
    statsThread.shutdownNow();
    producer.close(timeout);
    admin.close(timeout);
    metrics.close();
  }

  @Override
  public String relayId() {
    return leases.relayId();
  }

  @Override
  public List<Integer> ownedLanes() {
    return List.copyOf(ownedView);
  }

  @Override
  public Health health() {
    Instant now = clock.instant();
    Backlog.Snapshot snapshot = backlog.snapshot();
    Duration age = snapshot.oldestAge(now);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pending", snapshot.pending());
    details.put("oldestPendingAgeMs", age.toMillis());
    details.put("parked", snapshot.parked());
    details.put("lanesOwned", leases.ownedCount());
    details.put("consecutiveFailures", failures);
    details.put("lastError", lastError == null ? "" : lastError);
    Instant since = publishingSince;
    if (died != null || killed) {
      return new Health(Health.Status.DOWN, "relay thread stopped: " + died, details);
    }
    if (closed) {
      return new Health(Health.Status.DOWN, "closed", details);
    }
    if (failures > 0) {
      return new Health(Health.Status.DEGRADED, lastError, details);
    }
    if (since != null && Duration.between(since, now).compareTo(Duration.ofSeconds(5)) > 0) {
      return new Health(
          Health.Status.DEGRADED,
          "waiting " + Duration.between(since, now).toMillis() + " ms for Kafka acks",
          details);
    }
    if (age.compareTo(config.get(OutboxConfig.DEGRADED_AFTER)) > 0) {
      return new Health(
          Health.Status.DEGRADED, "oldest pending row is " + age.toMillis() + " ms old", details);
    }
    if (snapshot.error() != null) {
      return new Health(Health.Status.DEGRADED, "backlog unreadable: " + snapshot.error(), details);
    }
    return new Health(Health.Status.UP, "relaying", details);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    wakeUp.close();
    try {
      thread.join(config.get(OutboxConfig.PUBLISH_TIMEOUT).plusSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.forget(this);
  }

  /**
   * Stops as a killed process would: nothing more is sent, deleted or released; the leases run out
   * and other relays take the lanes.
   */
  public void kill() {
    killed = true;
    closed = true;
    wakeUp.close();
    closeClients(Duration.ZERO);
    context.forget(this);
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Kafka did not acknowledge some rows for a retriable reason. */
  static final class KafkaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaUnavailableException(Throwable cause) {
      super(cause);
    }
  }
}
