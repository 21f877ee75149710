package dev.backstop.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The builder of every module configuration: it collects {@code backstop.*} keys as the text a
 * properties file would hold, and {@link #build()} hands them to the module's {@code
 * from(BackstopProperties)}. So a built configuration and one read from a file go through the same
 * validation, report the same problems and describe themselves the same way.
 *
 * <p>Thread-safety: not thread-safe; build on one thread.
 *
 * @param <C> the configuration built
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ConfigBuilder<C, B extends ConfigBuilder<C, B>> {
  private final Function<BackstopProperties, C> factory;
  private final Map<String, String> backstop = new LinkedHashMap<>();
  private final Map<String, Object> kafka = new LinkedHashMap<>();

  /** A builder whose {@link #build()} passes the collected settings to {@code factory}. */
  protected ConfigBuilder(Function<BackstopProperties, C> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** Sets any {@code backstop.*} key by its full name, as text; null removes it. */
  public B set(String key, String value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      backstop.remove(key);
    } else {
      backstop.put(key, value);
    }
    return self();
  }

  /** Sets {@code key} to {@code value}, written as configuration text; null removes it. */
  public <T> B set(ConfigKey<T> key, T value) {
    return set(key.name(), value == null ? null : key.format(value));
  }

  /**
   * Validates every setting at once and returns the configuration.
   *
   * @throws ConfigException listing every problem
   */
  public C build() {
    return factory.apply(BackstopProperties.of(backstop, kafka));
  }

  /** Sets a Kafka client property (without the {@code kafka.} prefix); for the Kafka builders. */
  protected B putKafka(String key, Object value) {
    kafka.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
    return self();
  }

  /** This builder, as its concrete type. */
  @SuppressWarnings("unchecked")
  protected final B self() {
    return (B) this;
  }

  /**
   * A {@link ConfigBuilder} for a module that talks to Kafka: it also collects the {@code kafka.*}
   * client properties.
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   *
   * @param <C> the configuration built
   * @param <B> the concrete builder
   */
  public abstract static class WithKafka<C, B extends WithKafka<C, B>> extends ConfigBuilder<C, B> {

    /** A builder whose {@link #build()} passes the collected settings to {@code factory}. */
    protected WithKafka(Function<BackstopProperties, C> factory) {
      super(factory);
    }

    /** Sets a Kafka client property (without the {@code kafka.} prefix). */
    public B kafka(String key, Object value) {
      return putKafka(key, value);
    }

    /** Sets every entry as a Kafka client property. */
    public B kafka(Map<String, ?> properties) {
      properties.forEach(this::putKafka);
      return self();
    }

    /** Sets {@code bootstrap.servers}. */
    public B bootstrapServers(String servers) {
      return putKafka("bootstrap.servers", servers);
    }
  }
}
