package dev.backstop.dlq;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What to replay and how. Immutable apart from {@link #stop()}, and thread-safe: {@code stop()} may
 * be called from any thread (a signal handler, a listener) to end the replay after the records sent
 * so far are committed with the checkpoint.
 *
 * @param dlqTopic the dead-letter topic to read
 * @param filter which dead letters to replay
 * @param target where to send them
 * @param ratePerSecond the most records per second, or {@code null} for no limit
 * @param dryRun report what would be sent, send nothing and write no checkpoint
 * @param maxReplays refuse dead letters whose {@code backstop.replay.count} is already this or more
 * @param checkpoint the consumer group that records progress, also the transactional id of the
 *     replay's producer (so a new run fences an old one), or {@code null} to derive it from the
 *     other arguments (so a re-run with the same arguments resumes)
 * @param stopSignal set to end the replay early
 */
public record ReplayRequest(
    String dlqTopic,
    DeadLetterFilter filter,
    ReplayTarget target,
    Double ratePerSecond,
    boolean dryRun,
    int maxReplays,
    String checkpoint,
    AtomicBoolean stopSignal) {

  /** Rejects a rate that is not positive and a negative replay cap. */
  public ReplayRequest {
    Objects.requireNonNull(dlqTopic, "dlqTopic");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(stopSignal, "stopSignal");
    if (ratePerSecond != null && (!(ratePerSecond > 0) || ratePerSecond.isInfinite())) {
      throw new InvalidInputException(
          "Invalid value "
              + ratePerSecond
              + " for --rate: must be a positive number of records per second, like 1000/s");
    }
    if (maxReplays < 0) {
      throw new InvalidInputException(
          "Invalid value " + maxReplays + " for --max-replays: must be at least 0");
    }
  }

  /** A request with no rate limit, not a dry run, a derived checkpoint and a fresh stop signal. */
  public static ReplayRequest of(
      String dlqTopic, DeadLetterFilter filter, ReplayTarget target, int maxReplays) {
    return new ReplayRequest(
        dlqTopic, filter, target, null, false, maxReplays, null, new AtomicBoolean());
  }

  /**
   * Asks the replay to stop: the records sent so far are committed with the checkpoint, no more are
   * sent.
   */
  public void stop() {
    stopSignal.set(true);
  }

  /**
   * The arguments that define which records this replay selects and where they go; the derived
   * checkpoint name is a hash of this text. Rate and dry-run do not change it.
   */
  public String identity() {
    return "dlq=" + dlqTopic + ";" + filter.canonical() + ";to=" + target + ";max=" + maxReplays;
  }
}
