package dev.backstop.outbox.internal;

import dev.backstop.core.KafkaClientProperties;
import dev.backstop.outbox.OutboxConfig;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay's client settings: the user's {@code kafka.*} keys the client knows, then what the
 * outbox needs (transactions, idempotence, acks=all, byte serializers) and defaults tuned for
 * batches. Stateless.
 */
final class KafkaSettings {

  private KafkaSettings() {}

  /** The prefix of every relay's {@code transactional.id}. */
  public static final String TRANSACTIONAL_ID_PREFIX = "backstop-outbox-";

  /**
   * The {@code transactional.id} of relay {@code relayId}: {@code backstop-outbox-<table
   * prefix><relay id>}. A relay that takes a lane whose lease expired fences the former owner's
   * producer under this id.
   */
  public static String transactionalId(OutboxConfig config, String relayId) {
    return TRANSACTIONAL_ID_PREFIX + config.tablePrefix() + relayId;
  }

  /** Producer settings for relay {@code relayId}: transactional, one transaction per round. */
  public static Map<String, Object> producer(OutboxConfig config, String relayId) {
    Map<String, Object> settings = KafkaClientProperties.producer(config.kafka());
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config, relayId));
    // the coordinator aborts a transaction left open longer than a lease (a frozen relay's)
    settings.putIfAbsent(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.leaseDuration().toMillis());
    settings.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long timeout = config.get(OutboxConfig.PUBLISH_TIMEOUT).toMillis();
    settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
    settings.putIfAbsent(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeout / 2));
    settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    settings.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "backstop-outbox-" + relayId);
    return settings;
  }

  /** Admin settings (the common client keys of the user's settings). */
  public static Map<String, Object> admin(OutboxConfig config, String relayId) {
    Map<String, Object> settings = KafkaClientProperties.admin(config.kafka());
    settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, "backstop-outbox-admin-" + relayId);
    return settings;
  }

  /** The producer's {@code max.request.size}. */
  public static int maxRequestSize(Map<String, Object> producer) {
    Object value = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return value == null ? 1_048_576 : Integer.parseInt(value.toString());
  }

  /** Whether the producer sends uncompressed batches (then sizes can be checked up front). */
  public static boolean uncompressed(Map<String, Object> producer) {
    Object value = producer.get(ProducerConfig.COMPRESSION_TYPE_CONFIG);
    return value == null || "none".equals(value.toString());
  }
}
