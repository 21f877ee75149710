package dev.backstop.outbox.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's transactional producer: one Kafka transaction per round. It is built and initialized
 * when a round needs it; {@code initTransactions} bumps the epoch of its {@code transactional.id},
 * which fences every earlier producer of that id and aborts its open transaction. A transaction
 * that cannot end cleanly (a fatal error, fenced, a deadline passed, the broker unreachable) is not
 * waited for: the producer is closed at once and the next round builds a new one, whose
 * initialization aborts what the old one left open. It also fences other relays' producers by their
 * {@code transactional.id}. Used by the relay thread only ({@link #close} from any thread).
 */
final class RelayProducer {

  private static final Logger LOG = LoggerFactory.getLogger(RelayProducer.class);

  private final Map<String, Object> settings;
  private final UnaryOperator<String> transactionalIdOf;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> factory;
  private volatile Producer<byte[], byte[]> producer;
  private boolean inTransaction;
  private int built;
  private int discarded;

  /**
   * @param settings producer settings with this relay's {@code transactional.id}
   * @param transactionalIdOf a relay id's {@code transactional.id}
   * @param factory builds a producer from settings
   */
  public RelayProducer(
      Map<String, Object> settings,
      UnaryOperator<String> transactionalIdOf,
      Function<Map<String, Object>, Producer<byte[], byte[]>> factory) {
    this.settings = Map.copyOf(settings);
    this.transactionalIdOf = transactionalIdOf;
    this.factory = factory;
  }

  /** Starts a transaction, first building and initializing a producer when there is none. */
  public Producer<byte[], byte[]> begin() {
    if (producer == null) {
      Producer<byte[], byte[]> fresh = factory.apply(settings);
      try {
        fresh.initTransactions();
      } catch (RuntimeException e) {
        fresh.close(Duration.ZERO);
        throw e;
      }
      producer = fresh;
      built++;
    }
    try {
      producer.beginTransaction();
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
    inTransaction = true;
    return producer;
  }

  /**
   * Commits the open transaction; returns null, or the error after which nothing of it may count as
   * published (the producer is then aborted or discarded).
   */
  public RuntimeException commit() {
    try {
      producer.commitTransaction();
      inTransaction = false;
      return null;
    } catch (RuntimeException e) {
      // the outcome may be unknown (a timeout): a new producer's initialization resolves it
      discard();
      return e;
    }
  }

  /**
   * Aborts the open transaction when every send of it completed and the broker is reachable;
   * discards the producer when the abort fails.
   */
  public void abort() {
    if (!inTransaction) {
      return;
    }
    try {
      producer.abortTransaction();
      inTransaction = false;
    } catch (RuntimeException e) {
      LOG.warn("Could not abort the outbox transaction, closing the producer: {}", e.toString());
      discard();
    }
  }

  /**
   * Closes the producer at once, abandoning its open transaction and unsent records; the next
   * {@link #begin()} builds a new one whose initialization fences this one.
   */
  public void discard() {
    Producer<byte[], byte[]> old = producer;
    producer = null;
    inTransaction = false;
    if (old != null) {
      discarded++;
      old.close(Duration.ZERO);
    }
  }

  /** How many producers were discarded so far (closed at once after a failure). */
  public int discarded() {
    return discarded;
  }

  /** Discards the producer when a transaction is open (a round ended by an exception). */
  public void discardIfOpen() {
    if (inTransaction) {
      discard();
    }
  }

  /**
   * Fences the producer of relay {@code relayId}: initializing a producer with its {@code
   * transactional.id} bumps the epoch, aborts its open transaction and makes the broker reject
   * every later write of it.
   */
  public void fence(String relayId) {
    Map<String, Object> fencing = new HashMap<>(settings);
    fencing.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdOf.apply(relayId));
    fencing.put(
        CommonClientConfigs.CLIENT_ID_CONFIG,
        settings.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "-fence");
    Producer<byte[], byte[]> fencer = factory.apply(fencing);
    try {
      fencer.initTransactions();
    } finally {
      fencer.close(Duration.ZERO);
    }
  }

  /** How many producers were built and initialized so far. */
  public int built() {
    return built;
  }

  /** Closes the producer (shutdown, or a kill from another thread). */
  public void close(Duration timeout) {
    Producer<byte[], byte[]> old = producer;
    producer = null;
    if (old != null) {
      old.close(timeout);
    }
  }
}
