package dev.backstop.outbox.internal;

import java.time.Instant;
import java.util.UUID;

/** One outbox row as the relay read it. Immutable (arrays are not copied). */
public record Row(
    int lane,
    long seq,
    UUID messageId,
    String topic,
    byte[] key,
    byte[] value,
    byte[] headers,
    Instant createdAt) {}
