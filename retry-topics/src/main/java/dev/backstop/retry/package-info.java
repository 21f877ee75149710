/**
 * The consumer wrapper: runs a {@link dev.backstop.core.RecordHandler} over the records of one or
 * more topics for one consumer group, with tiered retry topics, dead-letter publishing, a circuit
 * breaker and a bulkhead between fresh traffic and retries.
 *
 * <p>Start with {@link dev.backstop.retry.ReliableConsumer#builder(ReliableConsumerConfig)};
 * configure it with {@link dev.backstop.retry.ReliableConsumerConfig}, built from a properties file
 * or its builder.
 */
package dev.backstop.retry;
