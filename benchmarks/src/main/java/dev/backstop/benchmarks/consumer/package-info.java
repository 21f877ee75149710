/**
 * The consumer-wrapper benchmark: Backstop against Spring Kafka's container and Parallel Consumer,
 * each measured in the same run on the same records.
 */
package dev.backstop.benchmarks.consumer;
