/**
 * The idempotency benchmark: a transactional consumer writing one row per record, with and without
 * the idempotent handler's claim, per poll and per record, measured in the same rounds.
 */
package dev.backstop.benchmarks.idempotency;
