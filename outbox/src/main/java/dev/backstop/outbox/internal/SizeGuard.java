package dev.backstop.outbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Finds records the broker would reject as too large before they are sent, so that a too-large
 * record and the later records of its key are parked without any of them reaching Kafka out of
 * order. Compares the record's batch size bound with the producer's {@code max.request.size} and,
 * for uncompressed producers, the topic's {@code max.message.bytes} (read through the admin client,
 * cached for a minute). Thread-safe.
 */
final class SizeGuard {

  private static final Duration TTL = Duration.ofMinutes(1);
  private static final Duration UNKNOWN_TTL = Duration.ofSeconds(5);

  private record Limit(int bytes, Instant until) {}

  private final Admin admin;
  private final int maxRequestSize;
  private final boolean checkTopics;
  private final Clock clock;
  private final Map<String, Limit> limits = new ConcurrentHashMap<>();

  public SizeGuard(Admin admin, int maxRequestSize, boolean checkTopics, Clock clock) {
    this.admin = admin;
    this.maxRequestSize = maxRequestSize;
    this.checkTopics = checkTopics;
    this.clock = clock;
  }

  /** Why the broker would reject this record as too large, or null when it fits. */
  public String rejection(String topic, byte[] key, byte[] value, List<Header> headers) {
    int size =
        AbstractRecords.estimateSizeInBytesUpperBound(
            RecordBatch.CURRENT_MAGIC_VALUE,
            CompressionType.NONE,
            key,
            value,
            headers.toArray(new Header[0]));
    if (size > maxRequestSize) {
      return "RecordTooLargeException: the record is "
          + size
          + " bytes, more than the producer's max.request.size "
          + maxRequestSize;
    }
    int topicLimit = checkTopics ? topicLimit(topic) : -1;
    if (topicLimit > 0 && size > topicLimit) {
      return "RecordTooLargeException: the record is "
          + size
          + " bytes, more than max.message.bytes "
          + topicLimit
          + " of topic "
          + topic;
    }
    return null;
  }

  /** Forgets cached topic limits (after an operator raised one and requeued). */
  public void invalidate() {
    limits.clear();
  }

  private int topicLimit(String topic) {
    Instant now = clock.instant();
    Limit cached = limits.get(topic);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.bytes();
    }
    int bytes = describe(topic);
    limits.put(topic, new Limit(bytes, now.plus(bytes > 0 ? TTL : UNKNOWN_TTL)));
    return bytes;
  }

  private int describe(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(5, TimeUnit.SECONDS).get(resource);
      ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return entry == null || entry.value() == null ? -1 : Integer.parseInt(entry.value());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      // unknown topic, no DescribeConfigs permission, broker away: the broker decides
      return -1;
    }
  }
}
