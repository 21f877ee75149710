package dev.backstop.samples;

import dev.backstop.core.ConfigException;
import dev.backstop.core.Sleeper;
import dev.backstop.dlq.DeadLetterFilter;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.samples.orders.OrderService;
import dev.backstop.samples.payments.PaymentGateway;
import dev.backstop.samples.payments.PaymentService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one-command demo: starts Kafka and PostgreSQL (or uses real ones), runs the order service and
 * the payment service through a burst, a gateway outage, a forced redelivery and poison orders,
 * shows a live summary, checks the invariants and prints the dead letters through the {@code
 * backstop} command line. Exit code 0 when every invariant holds, 1 when one fails, 2 on a usage
 * error. Not thread-safe: one run at a time.
 */
@Command(
    name = "demo",
    sortOptions = false,
    description = {
      "Runs Backstop end to end: an order service (transactional outbox) and a payment service"
          + " (consumer wrapper with retry tiers, circuit breaker, dead letters and the idempotent"
          + " consumer) through a burst of orders, a payment gateway outage, a forced redelivery"
          + " and poison orders; then checks that every order was paid exactly once or"
          + " dead-lettered.",
      "By default Kafka runs inside this JVM and PostgreSQL is the local server or an embedded"
          + " one, so nothing needs installing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every invariant holds", "1:an invariant failed", "2:usage error"})
public final class Demo implements Callable<Integer> {

  @Option(
      order = 1,
      names = "--short",
      description = "The short scenario (demo-short.properties): what CI runs, about 30 s.")
  private boolean shortScenario;

  @Option(
      order = 2,
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description =
          "A real Kafka cluster instead of the in-JVM broker. Topics get a suffix of the run's"
              + " start time.")
  private String bootstrapServer;

  @Spec private CommandSpec spec;

  private String dbUrl;

  @Option(
      order = 3,
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "A real PostgreSQL (jdbc:postgresql://HOST:PORT/DB) instead of the local or embedded"
              + " one. The demo creates a fresh schema backstop_demo_<time> and keeps it.")
  void dbUrl(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid value "
              + url
              + " for --db: must be a PostgreSQL JDBC URL like"
              + " jdbc:postgresql://localhost:5432/shop");
    }
    this.dbUrl = url;
  }

  @Option(order = 4, names = "--db-user", paramLabel = "USER", description = "User for --db.")
  private String dbUser;

  @Option(
      order = 5,
      names = "--db-password",
      paramLabel = "PASSWORD",
      description = "Password for --db (or put user and password in the URL).")
  private String dbPassword;

  @Option(
      order = 6,
      names = "--config",
      paramLabel = "DIR",
      description =
          "A directory with your own copies of order-service.properties,"
              + " payment-service.properties or demo.properties (missing ones: the built-in).")
  private Path configDirectory;

  @Option(order = 7, names = "--plain", description = "Plain lines, even on a terminal.")
  private boolean plain;

  @Option(
      order = 8,
      names = "--wait",
      description =
          "Keep Kafka and PostgreSQL running after the summary until Enter is pressed, to try"
              + " the printed backstop commands.")
  private boolean waitAtEnd;

  @Option(
      order = 9,
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  private PrintStream out = System.out;
  private boolean terminal;
  private Path log;
  private final Clock clock = Clock.systemUTC();
  private final Sleeper sleeper = Sleeper.system();

  /** Runs the demo and exits with its code. */
  public static void main(String[] args) {
    Path log = logToFile();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Demo demo = new Demo();
    demo.out = out;
    demo.terminal = System.console() != null;
    demo.log = log;
    CommandLine line = new CommandLine(demo);
    line.setOut(new PrintWriter(out, true));
    line.setParameterExceptionHandler(
        (e, arguments) -> {
          e.getCommandLine().getErr().println("demo: " + e.getMessage());
          e.getCommandLine().getErr().println("Try './demo --help' for usage.");
          return CommandLine.ExitCode.USAGE;
        });
    line.setExecutionExceptionHandler(
        (e, failed, parseResult) -> {
          if (e instanceof ConfigException) {
            failed.getErr().println("demo: invalid configuration:");
            failed.getErr().println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
          }
          failed.getErr().println("demo: failed: " + e);
          e.printStackTrace(failed.getErr());
          return CommandLine.ExitCode.SOFTWARE;
        });
    System.exit(line.execute(args));
  }

  /**
   * A demo configured by command-line arguments, for running it in-process (tests).
   *
   * @throws CommandLine.ParameterException on a usage error
   */
  public static Demo parse(String... args) {
    Demo demo = new Demo();
    new CommandLine(demo).parseArgs(args);
    return demo;
  }

  @Override
  public Integer call() throws Exception {
    return run(out, terminal && !plain).invariantsHold() ? 0 : 1;
  }

  /**
   * Runs the whole demo, printing to {@code out}, and returns what happened.
   *
   * @param terminal whether {@code out} is a terminal (live block redrawn in place)
   */
  public DemoSummary run(PrintStream out, boolean terminal) throws Exception {
    String scenarioFile = shortScenario ? "demo-short.properties" : "demo.properties";
    ScenarioPlan plan =
        ScenarioPlan.from(SampleProperties.load(scenarioFile, configDirectory, Map.of()));
    out.println("Backstop demo: starting Kafka and PostgreSQL …");
    if (log != null) {
      out.println("  Logs:       " + log);
    }
    try (Infrastructure infrastructure =
        Infrastructure.start(bootstrapServer, dbUrl, dbUser, dbPassword, clock)) {
      out.println("  Kafka:      " + infrastructure.kafkaSource());
      out.println("  PostgreSQL: " + infrastructure.databaseSource());
      out.println("  Scenario:   " + scenarioFile);
      return runServices(plan, infrastructure, out, terminal);
    }
  }

  private DemoSummary runServices(
      ScenarioPlan plan, Infrastructure infrastructure, PrintStream out, boolean terminal)
      throws Exception {
    Map<String, String> kafka =
        Map.of("kafka.bootstrap.servers", infrastructure.bootstrapServers());
    SampleProperties orderProperties =
        SampleProperties.load("order-service.properties", configDirectory, kafka);
    String topic =
        infrastructure.topicName(
            OrderService.topicSettings(orderProperties).get(OrderService.TOPIC));
    Map<String, String> orderOverrides = new HashMap<>(kafka);
    orderOverrides.put(OrderService.TOPIC.name(), topic);
    orderProperties =
        SampleProperties.load("order-service.properties", configDirectory, orderOverrides);
    Map<String, String> paymentOverrides = new HashMap<>(kafka);
    paymentOverrides.put(ReliableConsumerConfig.TOPICS.name(), topic);
    SampleProperties paymentProperties =
        SampleProperties.load("payment-service.properties", configDirectory, paymentOverrides);

    infrastructure.createTopic(
        topic, OrderService.topicSettings(orderProperties).get(OrderService.PARTITIONS));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PaymentGateway gateway = PaymentGateway.create(paymentProperties, clock);
    try (OrderService orders =
            OrderService.start(orderProperties, infrastructure.dataSource(), registry);
        PaymentService payments =
            PaymentService.start(
                paymentProperties, infrastructure.dataSource(), gateway, registry, clock)) {
      String dlqTopic = payments.config().deadLetterTopicFor(topic);
      out.println(
          "  Topics:     "
              + topic
              + " → "
              + payments.config().tierTopicsFor(topic).size()
              + " retry tiers → "
              + dlqTopic);
      out.println();
      Monitor monitor = new Monitor(registry, orders, payments, gateway, clock);
      Dashboard dashboard =
          new Dashboard(out, terminal, plan.refreshInterval(), clock, monitor::snapshot);
      Scenario scenario =
          new Scenario(
              plan,
              orders,
              payments,
              gateway,
              gateway.declinedCards().get(0),
              monitor,
              dashboard,
              infrastructure,
              sleeper,
              clock);
      scenario.run();
      dashboard.finish();
      DemoSummary summary =
          summarize(
              monitor,
              scenario,
              gateway,
              Jdbi.create(infrastructure.dataSource()),
              dlqTopic,
              infrastructure.bootstrapServers());
      Report.print(summary, out);
      Report.printDeadLetters(summary, infrastructure.inJvmBroker(), out);
      if (waitAtEnd) {
        out.println();
        out.println("Kafka and PostgreSQL stay up: press Enter to stop.");
        System.in.read();
      }
      return summary;
    }
  }

  private DemoSummary summarize(
      Monitor monitor,
      Scenario scenario,
      PaymentGateway gateway,
      Jdbi jdbi,
      String dlqTopic,
      String bootstrapServers) {
    Snapshot last = monitor.snapshot();
    List<Invariants.OrderRow> rows =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(SampleSql.ORDERS_WITH_PAYMENTS)
                    .map(
                        (rs, ctx) ->
                            new Invariants.OrderRow(
                                rs.getString("id"), rs.getString("card"), rs.getLong("paid")))
                    .list());
    long duplicatesApplied =
        jdbi.withHandle(
            handle -> handle.createQuery(SampleSql.DUPLICATE_PAYMENTS).mapTo(Long.class).one());
    List<String> deadLetterKeys = new ArrayList<>();
    try (DeadLetters dlq =
        DeadLetters.connect(DlqConfig.builder().bootstrapServers(bootstrapServers).build())) {
      dlq.scan(dlqTopic, DeadLetterFilter.ALL, letter -> deadLetterKeys.add(letter.keyText()));
    }
    Set<String> declined = new HashSet<>(gateway.declinedCards());
    List<Invariant> invariants =
        Invariants.check(rows, deadLetterKeys, duplicatesApplied, declined);
    return new DemoSummary(
        last.created(),
        last.published(),
        rows.stream().filter(row -> row.payments() == 1).count(),
        last.duplicatesSkipped(),
        last.wrapperDuplicates(),
        last.retried(),
        deadLetterKeys.size(),
        rows.stream().filter(row -> declined.contains(row.card())).count(),
        duplicatesApplied,
        scenario.circuitOpened(),
        last.latencyP50(),
        last.latencyP99(),
        scenario.allSettled(),
        last.elapsed(),
        invariants,
        dlqTopic,
        bootstrapServers);
  }

  /**
   * Sends the log to a file, so Kafka's and the modules' log lines do not run through the live
   * summary; returns the file, or null when logging was configured from outside.
   */
  private static Path logToFile() {
    if (System.getProperty("org.slf4j.simpleLogger.logFile") != null) {
      return null;
    }
    try {
      Path log = Files.createTempFile("backstop-demo-", ".log");
      System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.kafka", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "warn");
      return log;
    } catch (IOException e) {
      return null;
    }
  }
}
