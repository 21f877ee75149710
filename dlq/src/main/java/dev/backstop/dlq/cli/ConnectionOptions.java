package dev.backstop.dlq.cli;

import dev.backstop.core.Durations;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.dlq.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command reaches Kafka: {@code --bootstrap-server}, {@code --config}, {@code --timeout}. */
final class ConnectionOptions {
  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Kafka to connect to (overrides kafka.bootstrap.servers of --config).")
  String bootstrapServer;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Properties file: kafka.* client properties (SASL/SSL included) and backstop.dlq.* keys.")
  Path config;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long to wait for Kafka, like 10s (default: backstop.dlq.read.timeout, 15s).")
  String timeout;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the resolved configuration (secrets hidden) to standard error.")
  boolean verbose;

  /** The configuration from the file and the flags. */
  DlqConfig config(PrintWriter err) {
    if (config == null && bootstrapServer == null) {
      throw new InvalidInputException(
          "Missing connection: pass --bootstrap-server HOST:PORT or --config FILE");
    }
    if (config != null && !Files.isReadable(config)) {
      throw new InvalidInputException("Cannot read --config " + config + ": no such readable file");
    }
    DlqConfig resolved =
        config == null
            ? DlqConfig.builder().bootstrapServers(bootstrapServer).build()
            : DlqConfig.load(config);
    if (config != null && bootstrapServer != null) {
      resolved = resolved.withBootstrapServers(bootstrapServer);
    }
    if (timeout != null) {
      resolved = resolved.withTimeout(duration(timeout));
    }
    if (verbose) {
      err.print(resolved.describe());
      err.flush();
    }
    return resolved;
  }

  /** Connects with the configuration. */
  DeadLetters connect(CliContext context, PrintWriter err) {
    return DeadLetters.builder(config(err))
        .clock(context.clock())
        .sleeper(context.sleeper())
        .build();
  }

  private static java.time.Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "Invalid value " + text + " for --timeout: " + e.getMessage());
    }
  }
}
