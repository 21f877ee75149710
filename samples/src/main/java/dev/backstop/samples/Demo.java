package dev.backstop.samples;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Starts the services the demo runs on and prints their addresses. */
public final class Demo {

  private Demo() {}

  /**
   * Starts an in-JVM Kafka broker and a PostgreSQL schema (the local server, or an embedded one
   * started from Maven artifacts), prints where they are, and stops them.
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (KafkaBroker broker = KafkaBroker.start();
        TestDatabase db = TestDatabase.postgres()) {
      out.println("Kafka broker:  " + broker.bootstrapServers());
      out.println("PostgreSQL:    " + db.jdbcUrl() + "  (" + db.source() + ")");
      out.println("Both services run inside this JVM or on this machine; stopping them now.");
    }
  }
}
