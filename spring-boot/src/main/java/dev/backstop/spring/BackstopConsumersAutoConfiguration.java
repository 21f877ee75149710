package dev.backstop.spring;

import dev.backstop.core.ConfigException;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.spring.internal.ConsumerFactory;
import dev.backstop.spring.internal.Specs;
import dev.backstop.spring.internal.Specs.ConsumerSpec;
import dev.backstop.spring.internal.SpringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The consumers of {@code backstop.consumers.<name>.*}, each running the {@code RecordHandler} bean
 * named by {@code backstop.consumers.<name>.handler} (default: the bean named like the consumer),
 * as one {@link BackstopConsumers} lifecycle bean. Every block is validated before any consumer is
 * built; all problems fail the start together.
 */
@AutoConfiguration(
    after = {BackstopOutboxAutoConfiguration.class, BackstopMetersAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
      "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"
    })
public class BackstopConsumersAutoConfiguration {

  /** The declared consumers; none when {@code backstop.consumers} is empty. */
  @Bean
  @ConditionalOnMissingBean
  public BackstopConsumers backstopConsumers(
      Environment environment,
      BeanFactory beans,
      BackstopMeters meters,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PlatformTransactionManager> transactionManager) {
    SpringBinding binding = new SpringBinding(Binder.get(environment));
    List<ConsumerSpec> specs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : binding.childNames("backstop.consumers")) {
      try {
        specs.add(Specs.consumer(binding, name));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    ConsumerFactory factory =
        new ConsumerFactory(
            beans,
            meters.registry(),
            dataSource::getIfUnique,
            () -> {
              PlatformTransactionManager manager = transactionManager.getIfUnique();
              return manager == null ? null : new TransactionTemplate(manager);
            });
    Map<String, ReliableConsumer> consumers = new LinkedHashMap<>();
    for (ConsumerSpec spec : specs) {
      if (spec.enabled()) {
        consumers.put(spec.name(), factory.build(spec));
      }
    }
    return new BackstopConsumers(consumers);
  }
}
