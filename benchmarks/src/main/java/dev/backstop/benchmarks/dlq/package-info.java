/**
 * The dead-letter replay benchmark: replay throughput against a plain consumer-to-producer copy
 * measured in the same run.
 */
package dev.backstop.benchmarks.dlq;
