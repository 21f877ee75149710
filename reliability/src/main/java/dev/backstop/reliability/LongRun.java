package dev.backstop.reliability;

import dev.backstop.core.ConfigException;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The long reliability run as a program: a three-broker cluster in this JVM, a fresh PostgreSQL
 * schema, the run of {@link ReliabilityRun}, the report on standard output. Exit codes: 0 the
 * invariants hold, 1 they do not, 2 bad arguments.
 *
 * <pre>{@code
 * mvn -B -q -pl reliability exec:java -Dexec.args="--messages 100000 --seed 42 --fault-rounds 10"
 * }</pre>
 */
public final class LongRun {
  private LongRun() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs with {@code args}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    RunOptions options;
    try {
      options = RunOptions.parse(args);
    } catch (ConfigException e) {
      err.println("reliability: " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", "; "));
      err.println("options: " + RunOptions.OPTIONS);
      return 2;
    }
    try (KafkaBroker broker = KafkaBroker.start(3);
        TestDatabase db = TestDatabase.postgres()) {
      Report report = ReliabilityRun.run(options, broker, db, Duration.ofMinutes(10));
      out.println(report.toMarkdown());
      return report.holds() ? 0 : 1;
    }
  }
}
