package dev.backstop.spring.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts DEGRADED in the health status order, between OUT_OF_SERVICE and UP, so that one degraded
 * Backstop component makes the application's health DEGRADED (HTTP 200 unless {@code
 * management.endpoint.health.status.http-mapping.degraded} says otherwise). Added as the lowest
 * property source: an application's own {@code management.endpoint.health.status.order} wins.
 */
public final class HealthStatusDefaults implements EnvironmentPostProcessor {
  static final String ORDER_KEY = "management.endpoint.health.status.order";
  static final String ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(new MapPropertySource("backstopHealthDefaults", Map.of(ORDER_KEY, ORDER)));
  }
}
