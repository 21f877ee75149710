package dev.backstop.spring;

import dev.backstop.core.ConfigKey;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The keys only the Spring Boot starter reads; every other {@code backstop.*} key belongs to a
 * module and is validated by that module's configuration class. Keys of one consumer are written
 * here with {@code *} for the consumer's name ({@code backstop.consumers.*.handler} is set as
 * {@code backstop.consumers.payments.handler}). Constants only; thread-safe.
 */
public final class StarterKeys {

  /** The placeholder for a consumer's name in the per-consumer key names of this class. */
  public static final String ANY_CONSUMER = "backstop.consumers.*.";

  /** Whether the outbox, its relay and {@link TransactionalOutbox} are configured. */
  public static final ConfigKey<Boolean> OUTBOX_ENABLED =
      ConfigKey.bool(
          "backstop.outbox.enabled",
          true,
          "Whether the outbox and its relay are configured (needs a DataSource).");

  /** Whether the relay runs in this application (writers without a relay set it false). */
  public static final ConfigKey<Boolean> OUTBOX_RELAY_ENABLED =
      ConfigKey.bool(
          "backstop.outbox.relay-enabled",
          true,
          "Whether this application runs a relay that publishes the outbox to Kafka.");

  /** Name of the RecordHandler bean of a consumer; empty: the bean named like the consumer. */
  public static final ConfigKey<String> CONSUMER_HANDLER =
      ConfigKey.string(
          ANY_CONSUMER + "handler",
          "",
          "Name of the RecordHandler bean that handles the records; empty: the consumer's name.");

  /** Whether each record is claimed in the idempotency store in the handler's transaction. */
  public static final ConfigKey<Boolean> CONSUMER_IDEMPOTENT =
      ConfigKey.bool(
          ANY_CONSUMER + "idempotent",
          false,
          "Whether the handler runs in a Spring transaction that claims the message id, skipping"
              + " duplicates.");

  /** Whether the consumer starts with the application context. */
  public static final ConfigKey<Boolean> CONSUMER_ENABLED =
      ConfigKey.bool(ANY_CONSUMER + "enabled", true, "Whether the consumer is built and started.");

  /** Kafka deserializer class of record keys. */
  public static final ConfigKey<String> CONSUMER_KEY_DESERIALIZER =
      ConfigKey.string(
              ANY_CONSUMER + "key-deserializer",
              StringDeserializer.class.getName(),
              "Kafka Deserializer class of record keys (no-argument constructor).")
          .matching(Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.]*"), "must be a class name");

  /** Kafka deserializer class of record values. */
  public static final ConfigKey<String> CONSUMER_VALUE_DESERIALIZER =
      ConfigKey.string(
              ANY_CONSUMER + "value-deserializer",
              StringDeserializer.class.getName(),
              "Kafka Deserializer class of record values (no-argument constructor).")
          .matching(Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.]*"), "must be a class name");

  private StarterKeys() {}

  /** The outbox keys of this class. */
  public static List<ConfigKey<?>> outbox() {
    return List.of(OUTBOX_ENABLED, OUTBOX_RELAY_ENABLED);
  }

  /** The per-consumer keys of this class. */
  public static List<ConfigKey<?>> consumer() {
    return List.of(
        CONSUMER_HANDLER,
        CONSUMER_IDEMPOTENT,
        CONSUMER_ENABLED,
        CONSUMER_KEY_DESERIALIZER,
        CONSUMER_VALUE_DESERIALIZER);
  }
}
