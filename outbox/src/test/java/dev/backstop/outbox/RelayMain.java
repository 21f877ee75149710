package dev.backstop.outbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A relay in a process of its own, for tests that freeze a whole relay process ({@code SIGSTOP}).
 * Arguments: bootstrap servers, JDBC URL, database user, password (or {@code -}), table prefix,
 * relay id. Prints {@code started} once the relay runs and then runs until the process ends.
 */
public final class RelayMain {

  private RelayMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "Usage: RelayMain <bootstrap> <jdbc-url> <user> <password|-> <prefix> <relay-id>");
    }
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix(args[4])
            .lanes(16)
            .leaseDuration(FrozenRelayIT.LEASE)
            .set(OutboxConfig.PUBLISH_TIMEOUT, Duration.ofSeconds(1))
            .set(OutboxConfig.POLL_INTERVAL_MAX, Duration.ofMillis(50))
            .set(OutboxConfig.BACKOFF_MAX, Duration.ofMillis(500))
            .set(OutboxConfig.JDBC_URL, args[1])
            .set(OutboxConfig.JDBC_USER, args[2])
            .set(OutboxConfig.JDBC_PASSWORD, "-".equals(args[3]) ? "" : args[3])
            .set(OutboxConfig.RELAY_ID, args[5])
            .kafka("bootstrap.servers", args[0])
            .build();
    Outbox outbox = Outbox.create(config);
    outbox.startRelay();
    System.out.println("started");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
