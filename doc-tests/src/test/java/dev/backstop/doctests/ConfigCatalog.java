package dev.backstop.doctests;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigKey;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.retry.ReliableConsumerConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The configuration classes of the modules, their keys (the public {@link ConfigKey} constants) and
 * the factory each one is read through in a service.
 */
final class ConfigCatalog {

  /** One configuration class and its properties factory. */
  record Module(String name, Class<?> type, Function<Properties, Object> load) {
    /** The keys the class declares, by full name. */
    Map<String, ConfigKey<?>> keys() {
      Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
      for (Field field : type.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigKey.class) {
          try {
            ConfigKey<?> key = (ConfigKey<?>) field.get(null);
            keys.put(key.name(), key);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return keys;
    }
  }

  static final List<Module> MODULES =
      List.of(
          new Module("OutboxConfig", OutboxConfig.class, OutboxConfig::from),
          new Module("IdempotencyConfig", IdempotencyConfig.class, IdempotencyConfig::from),
          new Module(
              "ReliableConsumerConfig",
              ReliableConsumerConfig.class,
              p -> ReliableConsumerConfig.from(BackstopProperties.from(p, Map.of()))),
          new Module("DlqConfig", DlqConfig.class, DlqConfig::from));

  /**
   * The Spring Boot starter's own keys (whether the outbox and relay run, a consumer's handler
   * bean, ...): declared, so documented keys are checked, but read by the starter, not by a
   * properties factory, and listed in docs/spring-boot.md rather than in the README's reference.
   */
  static final Module STARTER =
      new Module("StarterKeys", dev.backstop.spring.StarterKeys.class, p -> p);

  private ConfigCatalog() {}

  /** The module that declares {@code key}, or null. */
  static Module owner(String key) {
    return java.util.stream.Stream.concat(MODULES.stream(), java.util.stream.Stream.of(STARTER))
        .filter(m -> m.keys().containsKey(key))
        .findFirst()
        .orElse(null);
  }

  static ConfigKey<?> key(String name) {
    Module owner = owner(name);
    return owner == null ? null : owner.keys().get(name);
  }

  /** Every declared key name of every module. */
  static List<String> allKeys() {
    List<String> all = new ArrayList<>();
    MODULES.forEach(m -> all.addAll(m.keys().keySet()));
    return all;
  }
}
