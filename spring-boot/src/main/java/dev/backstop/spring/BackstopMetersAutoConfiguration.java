package dev.backstop.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Finds the application's {@code MeterRegistry} (when Micrometer is on the class path) for the
 * outbox, the consumers and the idempotency store; their meters carry the names of the module docs.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
public class BackstopMetersAutoConfiguration {

  /** With Micrometer: the registry, if the application has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class WithMicrometer {
    @Bean
    @ConditionalOnMissingBean
    BackstopMeters backstopMeters(ObjectProvider<MeterRegistry> registry) {
      return new BackstopMeters(registry.getIfUnique());
    }
  }

  /** Without Micrometer: no metrics. */
  @Bean
  @ConditionalOnMissingBean
  BackstopMeters backstopNoMeters() {
    return new BackstopMeters(null);
  }
}
