package dev.backstop.spring.internal;

import dev.backstop.core.Health;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the outbox relay with the application context and stops it last (after the web server and
 * the consumers, which may still write messages), in phase {@link #PHASE}. Thread-safe.
 */
public final class OutboxRelayLifecycle implements SmartLifecycle {
  /** Starts before and stops after the web server (phase {@code DEFAULT_PHASE - 2048}). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayLifecycle.class);

  private final Outbox outbox;
  private volatile OutboxRelay relay;

  public OutboxRelayLifecycle(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public synchronized void start() {
    if (relay == null) {
      LOG.info("Backstop outbox configuration:\n{}", outbox.config().describe());
      relay = outbox.startRelay();
    }
  }

  @Override
  public synchronized void stop() {
    if (relay != null) {
      relay.close();
      relay = null;
    }
  }

  @Override
  public boolean isRunning() {
    return relay != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The relay's health; DOWN while it is not running. */
  public Health health() {
    OutboxRelay current = relay;
    return current == null ? Health.down("the outbox relay is not running") : current.health();
  }
}
