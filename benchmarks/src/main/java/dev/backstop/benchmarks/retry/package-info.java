/**
 * The retry-topics benchmarks: throughput and lateness of tiered retries against Spring Kafka's
 * {@code @RetryableTopic}, key-ordered retries, and fresh records beside a busy tier.
 */
package dev.backstop.benchmarks.retry;
