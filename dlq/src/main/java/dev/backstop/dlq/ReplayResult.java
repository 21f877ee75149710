package dev.backstop.dlq;

import java.time.Duration;
import java.util.List;

/**
 * What a replay did. Immutable and thread-safe.
 *
 * @param checkpoint the consumer group holding this replay's progress
 * @param resumed whether the replay continued from an earlier run's checkpoint
 * @param alreadyDone dead letters selected by earlier runs of the same replay
 * @param selected dead letters this run selected (sent, would send, or refused)
 * @param sent records this run sent and committed (0 for a dry run)
 * @param refused dead letters refused, with the reason for each
 * @param dryRun whether nothing was sent on purpose
 * @param complete whether the replay reached the end of what it selects (false when stopped or
 *     failed)
 * @param failure why the replay failed, or {@code null}
 * @param elapsed how long this run took
 */
public record ReplayResult(
    String checkpoint,
    boolean resumed,
    long alreadyDone,
    long selected,
    long sent,
    List<Refusal> refused,
    boolean dryRun,
    boolean complete,
    String failure,
    Duration elapsed) {

  /** Copies the refusal list. */
  public ReplayResult {
    refused = List.copyOf(refused);
  }

  /**
   * A dead letter the replay did not send.
   *
   * @param address the dead letter
   * @param reason why, in one line
   */
  public record Refusal(RecordAddress address, String reason) {}
}
