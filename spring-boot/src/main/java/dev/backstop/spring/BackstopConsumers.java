package dev.backstop.spring;

import dev.backstop.core.Health;
import dev.backstop.retry.ReliableConsumer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The consumers declared under {@code backstop.consumers.<name>.*}, started with the application
 * context and stopped gracefully: records in flight finish (or stay uncommitted and are delivered
 * again), finished work is committed. They run in phase {@link #PHASE}: started after the web
 * server, stopped before it and before the outbox relay, while the {@code DataSource} is still
 * open. Thread-safe.
 */
public final class BackstopConsumers implements SmartLifecycle {
  /** After the web server's start (phase {@code DEFAULT_PHASE - 2048}), first to stop. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

  private static final Logger LOG = LoggerFactory.getLogger(BackstopConsumers.class);

  private final Map<String, ReliableConsumer> consumers;
  private volatile boolean running;

  /** Consumers by name, in start order. */
  public BackstopConsumers(Map<String, ReliableConsumer> consumers) {
    this.consumers = Collections.unmodifiableMap(new LinkedHashMap<>(consumers));
  }

  /** The consumer declared as {@code backstop.consumers.<name>}. */
  public ReliableConsumer get(String name) {
    ReliableConsumer consumer = consumers.get(name);
    if (consumer == null) {
      throw new IllegalArgumentException(
          "no consumer " + name + " is declared; declared: " + consumers.keySet());
    }
    return consumer;
  }

  /** Every declared and enabled consumer by name. */
  public Map<String, ReliableConsumer> all() {
    return consumers;
  }

  /** The health of every consumer by name. */
  public Map<String, Health> health() {
    Map<String, Health> health = new LinkedHashMap<>();
    consumers.forEach((name, consumer) -> health.put(name, consumer.health()));
    return health;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    for (Map.Entry<String, ReliableConsumer> entry : consumers.entrySet()) {
      LOG.info("Starting Backstop consumer {}", entry.getKey());
      entry.getValue().start();
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    consumers.forEach(
        (name, consumer) -> {
          LOG.info("Stopping Backstop consumer {}", name);
          consumer.close();
        });
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  @Override
  public String toString() {
    return "BackstopConsumers" + Objects.requireNonNullElse(consumers.keySet(), "");
  }
}
