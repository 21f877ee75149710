package dev.backstop.spring;

import dev.backstop.spring.internal.HealthMapping;
import dev.backstop.spring.internal.OutboxRelayLifecycle;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health contributors: {@code backstopOutbox} (the relay: DEGRADED when the oldest pending row is
 * older than {@code backstop.outbox.degraded-after}) and {@code backstopConsumers} with one entry
 * per consumer (DEGRADED while its circuit is open). Off with {@code
 * management.health.backstop.enabled=false}.
 */
@AutoConfiguration(
    after = {BackstopOutboxAutoConfiguration.class, BackstopConsumersAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("backstop")
public class BackstopHealthAutoConfiguration {

  /** The relay's health. */
  @Bean
  @ConditionalOnBean(OutboxRelayLifecycle.class)
  public HealthIndicator backstopOutboxHealthIndicator(OutboxRelayLifecycle relay) {
    return () -> HealthMapping.toSpring(relay.health());
  }

  /** One health entry per consumer. */
  @Bean
  @ConditionalOnBean(BackstopConsumers.class)
  public HealthContributor backstopConsumersHealthContributor(BackstopConsumers consumers) {
    if (consumers.all().isEmpty()) {
      return (HealthIndicator)
          () ->
              org.springframework.boot.health.contributor.Health.up()
                  .withDetail("detail", "no consumers declared under backstop.consumers")
                  .build();
    }
    return CompositeHealthContributor.fromMap(
        Map.copyOf(consumers.all()),
        consumer -> (HealthIndicator) () -> HealthMapping.toSpring(consumer.health()));
  }
}
