package dev.backstop.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.outbox.JsonMessages;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMetrics;
import dev.backstop.spring.internal.OutboxRelayLifecycle;
import dev.backstop.spring.internal.Specs;
import dev.backstop.spring.internal.SpringBinding;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The outbox on the application's {@code DataSource}: an {@link Outbox} configured from {@code
 * backstop.outbox.*} (Kafka from {@code spring.kafka.*}, overridden by {@code backstop.kafka.*} and
 * {@code backstop.outbox.kafka.*}), a {@link TransactionalOutbox} that joins Spring transactions,
 * and a relay that starts and stops with the context.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(
    name = "backstop.outbox.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class BackstopOutboxAutoConfiguration {

  /** The outbox; its configuration is validated here, so a bad value fails the start. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Outbox backstopOutbox(
      Environment environment, DataSource dataSource, BackstopMeters meters) {
    OutboxConfig config = Specs.outbox(new SpringBinding(Binder.get(environment)));
    Outbox.Builder builder = Outbox.builder(config).dataSource(dataSource);
    if (meters.registry() != null) {
      builder.metrics(
          OutboxMetrics.micrometer(
              (io.micrometer.core.instrument.MeterRegistry) meters.registry()));
    }
    return builder.build();
  }

  /** {@code send} inside {@code @Transactional} methods. */
  @Bean
  @ConditionalOnMissingBean
  public TransactionalOutbox backstopTransactionalOutbox(Outbox outbox, DataSource dataSource) {
    return new TransactionalOutbox(outbox, dataSource);
  }

  /**
   * JSON message values through the application's Jackson 2 {@code ObjectMapper} (Boot's {@code
   * spring-boot-jackson2} module provides one), else a plain one: the modules are built on Jackson
   * 2, and Boot 4's default Jackson 3 {@code JsonMapper} is a different type.
   */
  @Bean
  @ConditionalOnMissingBean
  public JsonMessages backstopJsonMessages(ObjectProvider<ObjectMapper> mapper) {
    return JsonMessages.using(mapper.getIfUnique(ObjectMapper::new));
  }

  /** The relay, as a {@code SmartLifecycle}. */
  @Bean
  @ConditionalOnProperty(
      name = "backstop.outbox.relay-enabled",
      havingValue = "true",
      matchIfMissing = true)
  public OutboxRelayLifecycle backstopOutboxRelay(Outbox outbox) {
    return new OutboxRelayLifecycle(outbox);
  }
}
