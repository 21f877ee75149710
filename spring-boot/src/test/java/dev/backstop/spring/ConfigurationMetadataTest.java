package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.ConfigKey;
import dev.backstop.spring.internal.ConsumerNames;
import dev.backstop.spring.internal.ModuleKeys;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.ValueHint;

/** The metadata in the jar, read as IDEs read it, names every key with its doc and default. */
class ConfigurationMetadataTest {

  private static ConfigurationMetadataRepository repository() throws Exception {
    try (InputStream in =
        ConfigurationMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata written by the build").isNotNull();
      return ConfigurationMetadataRepositoryJsonBuilder.create(StandardCharsets.UTF_8)
          .withJsonResource(in)
          .build();
    }
  }

  @Test
  void everyOutboxKeyHasItsDocAndDefault() throws Exception {
    Map<String, ConfigurationMetadataProperty> properties = repository().getAllProperties();
    List<ConfigKey<?>> keys = new ArrayList<>(ModuleKeys.outbox());
    keys.addAll(StarterKeys.outbox());
    for (ConfigKey<?> key : keys) {
      ConfigurationMetadataProperty property = properties.get(key.name());
      assertThat(property).as(key.name()).isNotNull();
      assertThat(property.getDescription())
          .as(key.name())
          .startsWithIgnoringCase(key.doc().substring(0, 1));
      if (key.defaultValue() != null && !key.isSecret()) {
        assertThat(String.valueOf(property.getDefaultValue()))
            .as(key.name())
            .isEqualTo(render(key));
      }
    }
  }

  @Test
  void everyConsumerKeyIsOfferedForTheConsumersMap() throws Exception {
    ConfigurationMetadataProperty consumers =
        repository().getAllProperties().get("backstop.consumers");
    assertThat(consumers).isNotNull();
    List<Object> offered =
        consumers.getHints().getKeyHints().stream().map(ValueHint::getValue).toList();
    List<ConfigKey<?>> keys = new ArrayList<>(StarterKeys.consumer());
    keys.addAll(ModuleKeys.retry());
    keys.addAll(ModuleKeys.idempotency());
    assertThat(offered)
        .containsExactlyInAnyOrderElementsOf(
            keys.stream()
                .map(k -> (Object) ("NAME." + ConsumerNames.relativeName(k.name())))
                .toList())
        .contains("NAME.retry.tiers", "NAME.topics", "NAME.handler");
  }

  private static <T> String render(ConfigKey<T> key) {
    return key.render(key.defaultValue());
  }
}
