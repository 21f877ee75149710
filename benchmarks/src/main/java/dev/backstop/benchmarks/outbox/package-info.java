/**
 * The outbox benchmarks: relay drain against a plain producer, commit-to-consumer latency, the
 * writer's overhead in the business transaction and lane contention.
 */
package dev.backstop.benchmarks.outbox;
