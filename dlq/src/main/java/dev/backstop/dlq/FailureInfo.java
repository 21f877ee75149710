package dev.backstop.dlq;

import java.time.Instant;

/**
 * The failure context of a dead letter, decoded from whichever convention wrote it ({@link
 * #source()}). Every field other than {@code source} and {@code replayCount} is {@code null} when
 * the headers do not carry it or carry it in a form that could not be decoded (the raw header is
 * still shown). Immutable and thread-safe.
 *
 * @param source the convention that wrote the context
 * @param originalTopic the topic the record was first consumed from
 * @param originalPartition its partition there
 * @param originalOffset its offset there
 * @param originalTimestamp its timestamp there
 * @param consumerGroup the consumer group that failed it
 * @param errorClass the class of the (latest) exception, as recorded: for Spring Kafka's listener
 *     container usually its wrapper {@code ListenerExecutionFailedException}
 * @param rootCause the class of the innermost cause, which dead letters are grouped and filtered
 *     by: the last {@code Caused by:} of the recorded stack trace, else the recorded cause class
 *     (Spring's {@code kafka_dlt-exception-cause-fqcn}), else {@code errorClass}
 * @param errorMessage the exception's message, possibly capped
 * @param stacktrace the stack trace, possibly capped
 * @param fingerprint Backstop's hash of the root-cause class and first application frame: the
 *     recorded one, or computed the same way from the recorded stack trace (Spring Kafka, Connect)
 * @param messageId {@code backstop.message-id}
 * @param firstFailedAt the first failure
 * @param failedAt the latest failure
 * @param attempt the delivery attempt that failed last
 * @param replayCount {@code backstop.replay.count}, 0 when absent
 * @param replayedAt the latest replay
 */
public record FailureInfo(
    DeadLetterSource source,
    String originalTopic,
    Integer originalPartition,
    Long originalOffset,
    Instant originalTimestamp,
    String consumerGroup,
    String errorClass,
    String rootCause,
    String errorMessage,
    String stacktrace,
    String fingerprint,
    String messageId,
    Instant firstFailedAt,
    Instant failedAt,
    Integer attempt,
    int replayCount,
    Instant replayedAt) {

  /** {@code topic/partition/offset} of the original record, or {@code null} when unknown. */
  public String originalAddress() {
    if (originalTopic == null) {
      return null;
    }
    return originalTopic
        + "/"
        + (originalPartition == null ? "?" : originalPartition)
        + "/"
        + (originalOffset == null ? "?" : originalOffset);
  }
}
