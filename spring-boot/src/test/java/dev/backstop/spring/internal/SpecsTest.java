package dev.backstop.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.spring.internal.Specs.ConsumerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SpecsTest {

  private static SpringBinding binding(Map<String, Object> properties, Map<String, Object> env) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    environment
        .getPropertySources()
        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env));
    ConfigurationPropertySources.attach(environment);
    return new SpringBinding(Binder.get(environment));
  }

  @Test
  void bindsRelaxedNamesYamlListsAndEnvironmentVariablesToTheModuleKeys() {
    SpringBinding binding =
        binding(
            Map.of(
                "backstop.consumers.payments.topics[0]", "orders",
                "backstop.consumers.payments.topics[1]", "refunds",
                "backstop.consumers.payments.retry.inPlaceAttempts", "2",
                "backstop.consumers.payments.circuit.open-wait", "5s",
                "backstop.consumers.payments.retry.tiers", "1s,30s",
                "spring.kafka.bootstrap-servers", "broker:9092"),
            Map.of("BACKSTOP_CONSUMERS_PAYMENTS_CONCURRENCY", "7"));

    ConsumerSpec spec = Specs.consumer(binding, "payments");

    assertThat(spec.retry().topics()).containsExactly("orders", "refunds");
    assertThat(spec.retry().inPlaceAttempts()).isEqualTo(2);
    assertThat(spec.retry().circuitOpenWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(spec.retry().tiers()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(spec.retry().concurrency()).isEqualTo(7);
    assertThat(spec.retry().groupId()).as("defaults to the consumer's name").isEqualTo("payments");
    assertThat(spec.retry().kafka()).containsEntry("bootstrap.servers", "broker:9092");
    assertThat(spec.handlerBean()).isEqualTo("payments");
  }

  @Test
  void backstopKafkaKeysOverrideSpringKafka() {
    SpringBinding binding =
        binding(
            Map.of(
                "spring.kafka.bootstrap-servers", "spring:9092",
                "spring.kafka.properties.security.protocol", "SSL",
                "backstop.outbox.kafka.bootstrap.servers", "outbox:9092",
                "backstop.outbox.batchSize", "10"),
            Map.of());

    OutboxConfig config = Specs.outbox(binding);

    assertThat(config.kafka())
        .containsEntry("bootstrap.servers", "outbox:9092")
        .containsEntry("security.protocol", "SSL");
    assertThat(config.batchSize()).isEqualTo(10);
  }

  @Test
  void reportsEveryProblemOfAConsumerUnderItsSpringKeys() {
    SpringBinding binding =
        binding(
            Map.of(
                "backstop.consumers.payments.topics", "orders",
                "backstop.consumers.payments.retry.tiers", "30s,1s",
                "backstop.consumers.payments.concurrensy", "4",
                "backstop.consumers.payments.idempotent", "maybe"),
            Map.of());

    assertThatThrownBy(() -> Specs.consumer(binding, "payments"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactlyInAnyOrder(
                        "Invalid value maybe for backstop.consumers.payments.idempotent: must be"
                            + " true or false",
                        "Invalid value 30s,1s for backstop.consumers.payments.retry.tiers: must"
                            + " be positive durations, each at least the one before it",
                        "Unknown key backstop.consumers.payments.concurrensy: did you mean"
                            + " backstop.consumers.payments.concurrency?"));
  }

  @Test
  void rejectsAnUnknownOutboxKeyWithTheModulesHint() {
    SpringBinding binding = binding(Map.of("backstop.outbox.batch-sise", "5"), Map.of());

    assertThatThrownBy(() -> Specs.outbox(binding))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Unknown key backstop.outbox.batch-sise: did you mean backstop.outbox.batch-size?");
  }

  @Test
  void listsConsumerNames() {
    SpringBinding binding =
        binding(
            Map.of(
                "backstop.consumers.payments.topics", "a",
                "backstop.consumers.audit.topics", "b"),
            Map.of());

    assertThat(binding.childNames("backstop.consumers")).isEqualTo(List.of("audit", "payments"));
  }
}
