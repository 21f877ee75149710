package dev.backstop.samples;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a demo run did and whether its invariants hold; {@link Demo#run} returns it. Immutable.
 *
 * @param ordersCreated orders committed by the order service
 * @param published messages the relay got acknowledged
 * @param processedOnce orders with exactly one payment (database)
 * @param duplicatesSkipped deliveries the idempotency store recognised as already applied
 * @param wrapperDuplicates the same deliveries as the consumer wrapper counted them (not as
 *     processed)
 * @param retriedPerTier forwards per retry tier topic
 * @param deadLettered records in the dead-letter topic
 * @param poisonOrders orders with a card the gateway declines
 * @param duplicatesApplied payments beyond the first of an order (database)
 * @param circuitOpened whether the circuit breaker was seen open
 * @param latencyP50 end-to-end latency of applied payments, median
 * @param latencyP99 end-to-end latency of applied payments, 99th percentile
 * @param phasesSettled whether every phase settled within the timeout
 * @param elapsed the scenario's wall time
 * @param invariants the checks, each with its verdict
 * @param deadLetterTopic where the dead letters are
 * @param bootstrapServers the cluster
 */
public record DemoSummary(
    long ordersCreated,
    long published,
    long processedOnce,
    long duplicatesSkipped,
    long wrapperDuplicates,
    Map<String, Long> retriedPerTier,
    long deadLettered,
    long poisonOrders,
    long duplicatesApplied,
    boolean circuitOpened,
    Duration latencyP50,
    Duration latencyP99,
    boolean phasesSettled,
    Duration elapsed,
    List<Invariant> invariants,
    String deadLetterTopic,
    String bootstrapServers) {

  public DemoSummary {
    Map<String, Long> byDelay = new TreeMap<>(Monitor::byDelay);
    byDelay.putAll(retriedPerTier);
    retriedPerTier = Collections.unmodifiableMap(byDelay);
    invariants = List.copyOf(invariants);
  }

  /** Whether every invariant holds. */
  public boolean invariantsHold() {
    return invariants.stream().allMatch(Invariant::holds);
  }
}
