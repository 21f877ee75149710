/**
 * Dead letters: read, decode, filter, group, export and replay the records that Backstop's consumer
 * wrapper, Spring Kafka or Kafka Connect parked in a dead-letter topic.
 *
 * <p>Start at {@link dev.backstop.dlq.DeadLetters}; the {@code backstop} command line in {@code
 * dev.backstop.dlq.cli} is a thin shell over it.
 */
package dev.backstop.dlq;
