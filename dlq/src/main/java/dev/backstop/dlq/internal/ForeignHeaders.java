package dev.backstop.dlq.internal;

/**
 * Names of the dead-letter headers other frameworks write, as they spell them: Spring Kafka's
 * {@code KafkaHeaders} and {@code RetryTopicHeaders}, and Kafka Connect's {@code
 * DeadLetterQueueReporter}.
 */
final class ForeignHeaders {
  private ForeignHeaders() {}

  // Spring Kafka DeadLetterPublishingRecoverer (to a dead-letter topic)
  static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";
  static final String DLT_ORIGINAL_PARTITION = "kafka_dlt-original-partition"; // 4-byte int
  static final String DLT_ORIGINAL_OFFSET = "kafka_dlt-original-offset"; // 8-byte long
  static final String DLT_ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp"; // 8-byte long
  static final String DLT_ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
  static final String DLT_ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
  static final String DLT_EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
  static final String DLT_EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
  static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
  static final String DLT_EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
  static final String DLT_KEY_EXCEPTION_FQCN = "kafka_dlt-key-exception-fqcn";
  static final String DLT_KEY_EXCEPTION_MESSAGE = "kafka_dlt-key-exception-message";
  static final String DLT_KEY_EXCEPTION_STACKTRACE = "kafka_dlt-key-exception-stacktrace";

  // Spring Kafka retry topics (republished to another topic)
  static final String ORIGINAL_TOPIC = "kafka_original-topic";
  static final String ORIGINAL_PARTITION = "kafka_original-partition"; // 4-byte int
  static final String ORIGINAL_OFFSET = "kafka_original-offset"; // 8-byte long
  static final String ORIGINAL_TIMESTAMP = "kafka_original-timestamp"; // 8-byte long
  static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_original-timestamp-type";
  static final String EXCEPTION_FQCN = "kafka_exception-fqcn";
  static final String EXCEPTION_CAUSE_FQCN = "kafka_exception-cause-fqcn";
  static final String EXCEPTION_MESSAGE = "kafka_exception-message";
  static final String EXCEPTION_STACKTRACE = "kafka_exception-stacktrace";
  static final String RETRY_ATTEMPTS =
      "retry_topic-attempts"; // 4-byte int (1 byte in old versions)
  static final String RETRY_BACKOFF_TIMESTAMP = "retry_topic-backoff-timestamp"; // BigInteger bytes
  static final String RETRY_ORIGINAL_TIMESTAMP =
      "retry_topic-original-timestamp"; // BigInteger bytes

  // Kafka Connect (errors.deadletterqueue.context.headers.enable=true); all UTF-8 text
  static final String CONNECT_PREFIX = "__connect.errors.";
  static final String CONNECT_TOPIC = CONNECT_PREFIX + "topic";
  static final String CONNECT_PARTITION = CONNECT_PREFIX + "partition";
  static final String CONNECT_OFFSET = CONNECT_PREFIX + "offset";
  static final String CONNECT_CONNECTOR = CONNECT_PREFIX + "connector.name";
  static final String CONNECT_TASK = CONNECT_PREFIX + "task.id";
  static final String CONNECT_STAGE = CONNECT_PREFIX + "stage";
  static final String CONNECT_EXECUTING_CLASS = CONNECT_PREFIX + "class.name";
  static final String CONNECT_EXCEPTION = CONNECT_PREFIX + "exception.class.name";
  static final String CONNECT_EXCEPTION_MESSAGE = CONNECT_PREFIX + "exception.message";
  static final String CONNECT_EXCEPTION_STACKTRACE = CONNECT_PREFIX + "exception.stacktrace";
}
