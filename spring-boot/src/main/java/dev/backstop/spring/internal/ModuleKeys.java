package dev.backstop.spring.internal;

import dev.backstop.core.ConfigKey;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.retry.ReliableConsumerConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The key definitions of the modules, read from the public {@link ConfigKey} constants of their
 * configuration classes (the documented API of each module), in declaration order. Thread-safe.
 */
public final class ModuleKeys {

  private ModuleKeys() {}

  /** Keys of {@link OutboxConfig}. */
  public static List<ConfigKey<?>> outbox() {
    return of(OutboxConfig.class);
  }

  /** Keys of {@link ReliableConsumerConfig}. */
  public static List<ConfigKey<?>> retry() {
    return of(ReliableConsumerConfig.class);
  }

  /** Keys of {@link IdempotencyConfig}. */
  public static List<ConfigKey<?>> idempotency() {
    return of(IdempotencyConfig.class);
  }

  static List<ConfigKey<?>> of(Class<?> type) {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (Modifier.isPublic(modifiers)
          && Modifier.isStatic(modifiers)
          && ConfigKey.class.isAssignableFrom(field.getType())) {
        try {
          keys.add((ConfigKey<?>) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + field, e);
        }
      }
    }
    return List.copyOf(keys);
  }
}
