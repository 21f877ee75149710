package dev.backstop.spring.internal;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigException;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.spring.StarterKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the modules' configurations from the Spring environment through their own factories, so
 * validation and messages are theirs; every problem of a component is reported at once, named by
 * its Spring key. Thread-safe.
 */
public final class Specs {
  private static final ConfigDef OUTBOX_STARTER =
      ConfigDef.builder().define(StarterKeys.outbox().toArray(ConfigKey<?>[]::new)).build();
  private static final ConfigDef CONSUMER_STARTER =
      ConfigDef.builder().define(StarterKeys.consumer().toArray(ConfigKey<?>[]::new)).build();

  private Specs() {}

  /** What one consumer block configures. */
  public record ConsumerSpec(
      String name,
      ReliableConsumerConfig retry,
      IdempotencyConfig idempotency,
      String handlerBean,
      boolean enabled,
      String keyDeserializer,
      String valueDeserializer) {}

  /** The outbox configuration from {@code backstop.outbox.*}, Kafka from Spring's then ours. */
  public static OutboxConfig outbox(SpringBinding binding) {
    Map<String, Object> kafka = new LinkedHashMap<>(binding.springKafka("producer"));
    kafka.putAll(binding.flat("backstop.kafka"));
    Section section =
        SpringBinding.route(
            binding.flat("backstop.outbox"),
            relative -> "backstop.outbox." + relative,
            full -> full.substring("backstop.outbox.".length()),
            concat(ModuleKeys.outbox(), StarterKeys.outbox()),
            StarterKeys.outbox(),
            kafka);
    List<String> problems = new ArrayList<>();
    collect(problems, () -> OUTBOX_STARTER.parse(section.starter()));
    OutboxConfig config =
        collect(problems, () -> OutboxConfig.from(BackstopProperties.from(section.properties())));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** The consumer block {@code backstop.consumers.<name>.*}. */
  public static ConsumerSpec consumer(SpringBinding binding, String name) {
    Map<String, Object> kafka = new LinkedHashMap<>(binding.springKafka("consumer"));
    kafka.putAll(binding.flat("backstop.kafka"));
    List<String> starterRelative =
        StarterKeys.consumer().stream().map(k -> ConsumerNames.relativeName(k.name())).toList();
    Section section =
        SpringBinding.route(
            binding.flat("backstop.consumers." + name),
            relative -> ConsumerNames.fullName(relative, starterRelative),
            ConsumerNames::relativeName,
            concat(ModuleKeys.retry(), ModuleKeys.idempotency(), StarterKeys.consumer()),
            StarterKeys.consumer(),
            kafka);
    Map<String, String> retryKeys = new LinkedHashMap<>();
    Map<String, String> idempotencyKeys = new LinkedHashMap<>();
    section
        .backstop()
        .forEach(
            (key, value) ->
                (key.startsWith(IdempotencyConfig.PREFIX) ? idempotencyKeys : retryKeys)
                    .put(key, value));
    retryKeys.putIfAbsent(ReliableConsumerConfig.GROUP_ID.name(), name);
    List<String> problems = new ArrayList<>();
    ConfigValues starter = collect(problems, () -> CONSUMER_STARTER.parse(section.starter()));
    ReliableConsumerConfig retry =
        collect(
            problems,
            () ->
                ReliableConsumerConfig.from(
                    BackstopProperties.from(
                        new Section(retryKeys, Map.of(), section.kafka()).properties())));
    IdempotencyConfig idempotency = null;
    boolean idempotent = starter != null && starter.get(StarterKeys.CONSUMER_IDEMPOTENT);
    if (idempotent) {
      idempotencyKeys.putIfAbsent(
          IdempotencyConfig.GROUP.name(), retryKeys.get(ReliableConsumerConfig.GROUP_ID.name()));
      idempotency =
          collect(
              problems,
              () ->
                  IdempotencyConfig.from(
                      BackstopProperties.from(
                          new Section(idempotencyKeys, Map.of(), Map.of()).properties())));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(
          problems.stream().map(p -> ConsumerNames.inSpringTerms(p, name)).toList());
    }
    String handler = starter.get(StarterKeys.CONSUMER_HANDLER);
    return new ConsumerSpec(
        name,
        retry,
        idempotency,
        handler.isEmpty() ? name : handler,
        starter.get(StarterKeys.CONSUMER_ENABLED),
        starter.get(StarterKeys.CONSUMER_KEY_DESERIALIZER),
        starter.get(StarterKeys.CONSUMER_VALUE_DESERIALIZER));
  }

  private static <T> T collect(List<String> problems, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  @SafeVarargs
  private static List<ConfigKey<?>> concat(List<ConfigKey<?>>... lists) {
    List<ConfigKey<?>> all = new ArrayList<>();
    for (List<ConfigKey<?>> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
