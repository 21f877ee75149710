package dev.backstop.spring.internal;

import dev.backstop.core.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Backstop's health as Spring Boot's: UP and DOWN as such, DEGRADED as the status {@link
 * #DEGRADED}; the one-line reason under {@code detail}, then the named details. Thread-safe.
 */
public final class HealthMapping {
  /** Working, but users are affected (old backlog, open circuit). */
  public static final Status DEGRADED = new Status("DEGRADED", "working, but behind or retrying");

  private HealthMapping() {}

  /** Backstop's health in Spring Boot's terms. */
  public static org.springframework.boot.health.contributor.Health toSpring(Health health) {
    Status status =
        switch (health.status()) {
          case UP -> Status.UP;
          case DEGRADED -> DEGRADED;
          case DOWN -> Status.DOWN;
        };
    org.springframework.boot.health.contributor.Health.Builder builder =
        org.springframework.boot.health.contributor.Health.status(status);
    if (!health.detail().isEmpty()) {
      builder.withDetail("detail", health.detail());
    }
    health.details().forEach((name, value) -> builder.withDetail(name, value == null ? "" : value));
    return builder.build();
  }
}
