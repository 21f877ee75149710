package dev.backstop.doctests.context;

import dev.backstop.core.ConfigDef;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * What the prose around the Java blocks of docs/core.md takes as given: the service's own objects
 * and types.
 */
@SuppressWarnings("unused")
public abstract class CoreDocContext {
  /** The record being handled. */
  protected ConsumerRecord<String, String> record;

  /** The injected clock. */
  protected Clock clock;

  /** The handler's failure. */
  protected Throwable failure;

  /** The same, named as a classifier's input. */
  protected Throwable error;

  /** The producer's configuration. */
  protected Properties producerProps;

  /** A module's configuration class: its keys in one {@link ConfigDef}. */
  protected static final class MyModuleConfig {
    public static final ConfigDef DEF = ConfigDef.builder("backstop.my-module.").build();
  }

  /** The service's producer. */
  protected Producer<String, String> producer;

  /** The order the record is about. */
  protected String orderId;

  /** The record's value. */
  protected String json;
}
