package dev.backstop.outbox.internal;

import dev.backstop.core.Backoff;
import dev.backstop.core.Health;
import dev.backstop.core.Jitter;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMetrics;
import dev.backstop.outbox.OutboxRelay;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay loop, on one thread: maintain leases, read the head of the owned lanes, publish
 * asynchronously and await the acks (no database work meanwhile), then finish the batch in one
 * short transaction. Failures back off with jitter; rows stay until acknowledged. What is read
 * ahead and which delete waits for the next round is {@link ReadAhead}'s; the Kafka clients come
 * built, in {@link RelayClients}.
 *
 * <p>Thread-safety: the public methods are thread-safe; the loop state is confined to the relay
 * thread.
 */
public final class Relay implements OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private final OutboxConfig config;
  private final OutboxEngine engine;
  private final Leases leases;
  private final RelayStore store;
  private final RelayClients clients;
  private final ReadAhead readAhead;
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

  /** A relay over {@code clients}, not started yet; it closes them when it stops. */
  Relay(OutboxEngine engine, String relayId, RelayClients clients, RelayHooks hooks) {
    this.config = engine.config();
    this.engine = engine;
    this.clock = engine.clock();
    this.clients = clients;
    this.hooks = hooks;
    this.leases =
        new Leases(engine.dataSource(), engine.dialect(), clock, relayId, config.leaseDuration());
    this.store = new RelayStore(engine.dataSource(), engine.dialect());
    this.readAhead = new ReadAhead(store, leases::epoch, config.batchSize(), this::finish);
    this.backlog = new Backlog(engine.dataSource(), engine.dialect(), clock);
    this.metrics = engine.metrics().forRelay(relayId);
    metrics.backlog(
        () -> backlog.snapshot().pending(),
        () -> backlog.snapshot().oldestAge(clock.instant()).toMillis() / 1000.0,
        () -> backlog.snapshot().parked(),
        leases::ownedCount);
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
    clients.sizeGuard().invalidate();
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
      clients.producer().discardIfOpen();
      readAhead.reset();
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
      readAhead.finishPending();
      maintain();
    }
    refreshOwnedView();
    int[] lanes = leases.publishableLanes();
    if (lanes.length == 0) {
      readAhead.drop();
      readAhead.finishPending();
      return config.leaseDuration().dividedBy(4);
    }
    RoundTimes times = new RoundTimes();
    RelayStore.Read read = readAhead.next(lanes);
    times.mark();
    List<Row> batch = read.rows();
    if (batch.isEmpty()) {
      readAhead.finishPending();
      return poll.next(0, config.batchSize());
    }
    hooks.afterRead(batch);
    if (killed) {
      return Duration.ZERO;
    }
    batch = stillOwned(batch);
    BatchOutcome outcome = publish(lanes, batch, read.parkedKeys(), times);
    if (outcome == null) {
      return Duration.ZERO;
    }
    hooks.afterAcks(batch);
    if (killed) {
      return Duration.ZERO;
    }
    Duration wait = poll.next(batch.size(), config.batchSize());
    readAhead.finish(outcome, wait.isZero() || wakeUp.isWoken());
    if (LOG.isDebugEnabled()) {
      times.log(batch.size());
    }
    if (outcome.retriable() != null) {
      throw new KafkaUnavailableException(outcome.retriable());
    }
    return wait;
  }

  /**
   * Sends {@code batch} in one transaction, finishes the previous batch and reads ahead while it is
   * on the wire, then awaits its acks. Null when the relay was killed meanwhile.
   */
  private BatchOutcome publish(
      int[] lanes, List<Row> batch, Set<Publisher.LaneKey> parkedKeys, RoundTimes times)
      throws SQLException {
    RelayProducer producer = clients.producer();
    BatchOutcome outcome;
    publishingSince = clock.instant();
    int discards = producer.discarded();
    try {
      Publisher.InFlight inFlight = send(batch, parkedKeys);
      times.mark();
      hooks.afterSend(batch);
      if (killed) {
        return null;
      }
      readAhead.finishPending();
      times.mark();
      readAhead.readAfter(lanes, batch);
      times.mark();
      outcome = clients.publisher().await(inFlight, publicationTimeout());
    } finally {
      publishingSince = null;
    }
    if (producer.discarded() != discards || outcome.retriable() != null) {
      // the producer was abandoned (fenced, failed, too slow): learn the leases again first
      leases.maintainSoon();
    }
    outcome.markAcked(clock.instant());
    times.mark();
    return outcome;
  }

  private Publisher.InFlight send(List<Row> batch, Set<Publisher.LaneKey> parkedKeys) {
    try {
      return clients.publisher().send(batch, parkedKeys);
    } catch (RuntimeException e) {
      // no transaction could begin (the producer could not be initialized): nothing was sent
      clients.producer().discard();
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

  /**
   * Parks and deletes in one short transaction, fenced by the lease epochs; returns the lanes found
   * fenced.
   */
  private List<Integer> finish(BatchOutcome outcome) throws SQLException {
    List<Integer> fenced = store.finish(outcome, leases);
    fenced.forEach(leases::lost);
    if (!fenced.isEmpty()) {
      LOG.warn("Outbox relay {} was fenced out of lanes {}", leases.relayId(), fenced);
    }
    record(outcome);
    return fenced;
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
        clients.producer().fence(owner);
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
    readAhead.finishPending();
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
    Instant now = outcome.ackedAt() == null ? clock.instant() : outcome.ackedAt();
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
      readAhead.finishPending();
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
    clients.close(timeout);
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
    RelayHealth.State state =
        new RelayHealth.State(
            leases.ownedCount(), failures, lastError, publishingSince, died, killed, closed);
    return RelayHealth.of(state, snapshot, now, config.get(OutboxConfig.DEGRADED_AFTER));
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
    engine.forget(this);
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
    engine.forget(this);
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** When each step of a round ended, for the debug line. */
  private static final class RoundTimes {
    private final long[] marks = new long[7];
    private int count;

    RoundTimes() {
      mark();
    }

    void mark() {
      marks[count++] = System.nanoTime();
    }

    void log(int rows) {
      mark();
      LOG.debug(
          "Batch of {} rows: read {} µs, send {} µs, finish previous {} µs, read ahead {} µs,"
              + " await acks {} µs, finish now {} µs",
          rows,
          micros(1),
          micros(2),
          micros(3),
          micros(4),
          micros(5),
          micros(6));
    }

    private long micros(int step) {
      return (marks[step] - marks[step - 1]) / 1000;
    }
  }

  /** Kafka did not acknowledge some rows for a retriable reason. */
  static final class KafkaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaUnavailableException(Throwable cause) {
      super(cause);
    }
  }
}
