package dev.backstop.dlq;

import java.time.Instant;

/**
 * One row of {@code dlq stats}: the dead letters that share a key. Immutable and thread-safe.
 *
 * @param by what was grouped by
 * @param key the shared value ({@link GroupBy#NONE} when the dead letters lack it)
 * @param count how many dead letters
 * @param firstSeen the earliest dead-letter timestamp in the group
 * @param lastSeen the latest dead-letter timestamp in the group
 * @param sample the address of the latest dead letter in the group
 * @param sampleError error class and message of that latest dead letter
 */
public record DeadLetterGroup(
    GroupBy by,
    String key,
    long count,
    Instant firstSeen,
    Instant lastSeen,
    RecordAddress sample,
    String sampleError) {}
