package dev.backstop.samples;

import java.time.Duration;
import java.util.Map;

/**
 * The demo's figures at one moment, read from the modules' metrics and the gateway. Immutable.
 *
 * @param elapsed time since the scenario started
 * @param created orders committed
 * @param published outbox messages the broker acknowledged ({@code backstop.outbox.published})
 * @param processedOnce orders paid, each once ({@code backstop.idempotency.claimed})
 * @param duplicatesSkipped deliveries the idempotency store recognised ({@code
 *     backstop.idempotency.duplicates})
 * @param wrapperDuplicates the same deliveries as the consumer wrapper counted them ({@code
 *     backstop.consumer.duplicates}), apart from its processed records
 * @param retried forwards per tier topic ({@code backstop.consumer.retried})
 * @param deadLettered forwards to the dead-letter topic ({@code backstop.consumer.dead-lettered})
 * @param circuit the circuit breaker's state (CLOSED, OPEN, HALF_OPEN)
 * @param gateway the gateway's state in words
 * @param latencyP50 end-to-end latency of applied payments, median
 * @param latencyP99 end-to-end latency of applied payments, 99th percentile
 */
public record Snapshot(
    Duration elapsed,
    long created,
    long published,
    long processedOnce,
    long duplicatesSkipped,
    long wrapperDuplicates,
    Map<String, Long> retried,
    long deadLettered,
    String circuit,
    String gateway,
    Duration latencyP50,
    Duration latencyP99) {

  /** Every created order is published and paid or dead-lettered. */
  public boolean settled() {
    return published >= created && processedOnce + deadLettered >= created;
  }
}
