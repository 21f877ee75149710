package dev.backstop.dlq;

/** Which convention wrote the failure context of a dead letter. Immutable and thread-safe. */
public enum DeadLetterSource {
  /** Backstop's own {@code backstop.*} headers (the consumer wrapper). */
  BACKSTOP,
  /** Spring Kafka's {@code DeadLetterPublishingRecoverer}: {@code kafka_dlt-*} headers. */
  SPRING_KAFKA,
  /**
   * Spring Kafka's retry topics: {@code kafka_original-*} and {@code kafka_exception-*} headers.
   */
  SPRING_RETRY_TOPIC,
  /** Kafka Connect's dead-letter queue: {@code __connect.errors.*} headers. */
  KAFKA_CONNECT,
  /** No known failure headers: shown raw. */
  UNKNOWN
}
