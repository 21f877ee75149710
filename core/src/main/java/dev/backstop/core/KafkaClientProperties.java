package dev.backstop.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * The settings of one Kafka client from a module's {@code kafka.*} properties (prefix already
 * removed): only the keys that client type knows, so a producer key set for the whole module does
 * not make a consumer or an admin client warn about an unknown configuration. Every client also
 * keeps the config-provider keys ({@code config.providers}, {@code config.providers.file.class} …),
 * which Kafka resolves for any client although no client lists them among its names. Each method
 * returns a new mutable map the caller adds its own settings to.
 *
 * <p>Thread-safety: stateless.
 */
public final class KafkaClientProperties {
  private static final Set<String> PRODUCER = ProducerConfig.configNames();
  private static final Set<String> CONSUMER = ConsumerConfig.configNames();
  private static final Set<String> ADMIN = AdminClientConfig.configNames();
  private static final String CONFIG_PROVIDERS = AbstractConfig.CONFIG_PROVIDERS_CONFIG;

  private KafkaClientProperties() {}

  /** The entries of {@code kafka} that a producer knows ({@link ProducerConfig#configNames()}). */
  public static Map<String, Object> producer(Map<String, ?> kafka) {
    return known(kafka, PRODUCER);
  }

  /** The entries of {@code kafka} that a consumer knows ({@link ConsumerConfig#configNames()}). */
  public static Map<String, Object> consumer(Map<String, ?> kafka) {
    return known(kafka, CONSUMER);
  }

  /** The entries of {@code kafka} that an admin client knows. */
  public static Map<String, Object> admin(Map<String, ?> kafka) {
    return known(kafka, ADMIN);
  }

  private static Map<String, Object> known(Map<String, ?> kafka, Set<String> names) {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (names.contains(key) || isConfigProviderKey(key)) {
            props.put(key, value);
          }
        });
    return props;
  }

  private static boolean isConfigProviderKey(String key) {
    return key.equals(CONFIG_PROVIDERS) || key.startsWith(CONFIG_PROVIDERS + ".");
  }
}
