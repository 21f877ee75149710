package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  private static final Map<String, Object> KAFKA =
      Map.of(
          "bootstrap.servers", "broker:9092",
          "security.protocol", "SASL_SSL",
          "acks", "all",
          "isolation.level", "read_committed",
          "schema.registry.url", "http://registry");

  @Test
  void keepsOnlyTheKeysEachClientKnows() {
    assertThat(KafkaClientProperties.producer(KAFKA))
        .containsOnlyKeys("bootstrap.servers", "security.protocol", "acks");
    assertThat(KafkaClientProperties.consumer(KAFKA))
        .containsOnlyKeys("bootstrap.servers", "security.protocol", "isolation.level");
    assertThat(KafkaClientProperties.admin(KAFKA))
        .containsOnlyKeys("bootstrap.servers", "security.protocol");
  }

  @Test
  void everyClientKeepsTheConfigProviderKeys() {
    Map<String, Object> kafka =
        Map.of(
            "config.providers", "file",
            "config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider",
            "schema.registry.url", "http://registry");
    assertThat(KafkaClientProperties.producer(kafka))
        .containsOnlyKeys("config.providers", "config.providers.file.class");
    assertThat(KafkaClientProperties.consumer(kafka))
        .containsOnlyKeys("config.providers", "config.providers.file.class");
    assertThat(KafkaClientProperties.admin(kafka))
        .containsOnlyKeys("config.providers", "config.providers.file.class");
  }

  @Test
  void returnsAMapTheCallerCanExtend() {
    Map<String, Object> props = KafkaClientProperties.admin(KAFKA);
    props.put("client.id", "tools");
    assertThat(props).containsEntry("client.id", "tools");
  }
}
