package dev.backstop.retry.internal;

import static dev.backstop.core.BackstopHeaders.RETRY_DUE_AT;

import dev.backstop.core.MessageHeaders;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** When a record in a tier topic falls due. Pure; thread-safe. */
public final class DueTimes {

  private DueTimes() {}

  /**
   * The {@code backstop.retry.due-at} header, or the record's timestamp plus the tier delay when
   * the header is missing or unreadable. A due time further out than twice the delay after the
   * forward (a clock gone wrong, a forged header) is brought back to that bound, so no record is
   * parked for ever.
   */
  public static Instant dueAt(ConsumerRecord<byte[], byte[]> record, Duration delay) {
    Instant forwarded = Instant.ofEpochMilli(Math.max(0, record.timestamp()));
    Instant latest = forwarded.plus(delay.multipliedBy(2));
    Instant due =
        MessageHeaders.instant(record.headers(), RETRY_DUE_AT).orElse(forwarded.plus(delay));
    return due.isAfter(latest) ? latest : due;
  }
}
