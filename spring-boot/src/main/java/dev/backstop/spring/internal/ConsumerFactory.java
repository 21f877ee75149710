package dev.backstop.spring.internal;

import dev.backstop.core.ConfigException;
import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotencyMetrics;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.spring.StarterKeys;
import dev.backstop.spring.internal.Specs.ConsumerSpec;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.common.serialization.Deserializer;
import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the {@link ReliableConsumer} of one consumer block: its handler bean, deserializers,
 * optional idempotent transaction and metrics. Thread-safe.
 */
public final class ConsumerFactory {
  private final BeanFactory beans;
  private final Object meterRegistry;
  private final Supplier<DataSource> dataSource;
  private final Supplier<TransactionTemplate> transactions;

  /**
   * @param meterRegistry a Micrometer registry, or null
   * @param dataSource the application's, needed only by idempotent consumers
   * @param transactions over the application's transaction manager, for idempotent consumers
   */
  public ConsumerFactory(
      BeanFactory beans,
      Object meterRegistry,
      Supplier<DataSource> dataSource,
      Supplier<TransactionTemplate> transactions) {
    this.beans = beans;
    this.meterRegistry = meterRegistry;
    this.dataSource = dataSource;
    this.transactions = transactions;
  }

  /** The consumer of {@code spec}, not started. */
  public ReliableConsumer build(ConsumerSpec spec) {
    RecordHandler<Object, Object> handler = handler(spec);
    if (spec.idempotency() != null) {
      DataSource source = require(dataSource.get(), spec, "a DataSource bean");
      TransactionTemplate template =
          require(transactions.get(), spec, "a single PlatformTransactionManager bean");
      Jdbi jdbi = SpringJdbi.on(source);
      IdempotencyMetrics metrics =
          meterRegistry == null
              ? IdempotencyMetrics.NONE
              : IdempotencyMetrics.micrometer(
                  (io.micrometer.core.instrument.MeterRegistry) meterRegistry);
      IdempotencyStore store =
          IdempotencyStore.builder(spec.idempotency(), jdbi).metrics(metrics).build();
      handler = new SpringIdempotentHandler<>(handler, store, jdbi, template);
    }
    ReliableConsumer.Builder<Object, Object> builder =
        ReliableConsumer.builder(spec.retry())
            .deserializers(
                deserializer(spec, spec.keyDeserializer(), true),
                deserializer(spec, spec.valueDeserializer(), false))
            .handler(handler);
    if (meterRegistry != null) {
      builder.metrics(
          ConsumerMetrics.micrometer((io.micrometer.core.instrument.MeterRegistry) meterRegistry));
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private RecordHandler<Object, Object> handler(ConsumerSpec spec) {
    String key = "backstop.consumers." + spec.name() + ".handler";
    Object bean;
    try {
      bean = beans.getBean(spec.handlerBean());
    } catch (NoSuchBeanDefinitionException e) {
      throw new ConfigException(
          "Invalid value "
              + spec.handlerBean()
              + " for "
              + key
              + ": no bean of that name; define a RecordHandler bean named "
              + spec.handlerBean()
              + " or name one in "
              + key);
    }
    if (!(bean instanceof RecordHandler<?, ?> handler)) {
      throw new ConfigException(
          "Invalid value "
              + spec.handlerBean()
              + " for "
              + key
              + ": the bean is a "
              + bean.getClass().getName()
              + ", not a dev.backstop.core.RecordHandler");
    }
    return (RecordHandler<Object, Object>) handler;
  }

  @SuppressWarnings("unchecked")
  private Deserializer<Object> deserializer(ConsumerSpec spec, String className, boolean isKey) {
    String key =
        "backstop.consumers."
            + spec.name()
            + "."
            + (isKey
                    ? StarterKeys.CONSUMER_KEY_DESERIALIZER
                    : StarterKeys.CONSUMER_VALUE_DESERIALIZER)
                .name()
                .substring(StarterKeys.ANY_CONSUMER.length());
    try {
      Class<?> type =
          Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      if (!Deserializer.class.isAssignableFrom(type)) {
        throw new ConfigException(
            "Invalid value " + className + " for " + key + ": must be a Kafka Deserializer class");
      }
      Deserializer<Object> deserializer =
          (Deserializer<Object>) type.getDeclaredConstructor().newInstance();
      deserializer.configure(spec.retry().kafka(), isKey);
      return deserializer;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ConfigException(
          "Invalid value "
              + className
              + " for "
              + key
              + ": must be a Kafka Deserializer class with a public no-argument constructor ("
              + e
              + ")",
          e);
    }
  }

  private static <T> T require(T value, ConsumerSpec spec, String what) {
    if (value == null) {
      throw new ConfigException(
          "Invalid value true for backstop.consumers."
              + spec.name()
              + ".idempotent: needs "
              + what
              + " in the application context");
    }
    return value;
  }
}
