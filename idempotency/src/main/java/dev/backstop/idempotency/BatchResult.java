package dev.backstop.idempotency;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The outcome of each record of a batch, in input order. Immutable.
 *
 * @param records the records
 * @param outcomes one outcome per record
 * @param <K> record key type
 * @param <V> record value type
 */
public record BatchResult<K, V>(List<ConsumerRecord<K, V>> records, List<ClaimOutcome> outcomes) {

  /** Copies the lists. */
  public BatchResult {
    records = List.copyOf(records);
    outcomes = List.copyOf(outcomes);
    if (records.size() != outcomes.size()) {
      throw new IllegalArgumentException(
          records.size() + " records but " + outcomes.size() + " outcomes");
    }
  }

  /** Records handed to the handler. */
  public long processed() {
    return outcomes.stream().filter(ClaimOutcome::shouldProcess).count();
  }

  /** Records skipped as duplicates, in the batch or against the store. */
  public long duplicates() {
    return outcomes.size() - processed();
  }
}
