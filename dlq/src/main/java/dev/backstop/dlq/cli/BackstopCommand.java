package dev.backstop.dlq.cli;

import dev.backstop.core.BackstopException;
import dev.backstop.dlq.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The root of the {@code backstop} command line. Build one with {@link #commandLine(CliContext)} to
 * run it in-process (tests set the writers with {@code setOut}/{@code setErr}); {@link #main} runs
 * it as a program. Not thread-safe: one execution at a time.
 */
@Command(
    name = "backstop",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = "Backstop tools for Kafka messaging that survives failure.",
    subcommands = {DlqCommand.class, CommandLine.HelpCommand.class})
public final class BackstopCommand implements java.util.concurrent.Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // Kafka clients log every connection attempt; the command line reports failures itself
    boolean verbose =
        java.util.List.of(args).contains("-v") || java.util.List.of(args).contains("--verbose");
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, verbose ? "warn" : "error");
    }
    System.exit(commandLine(CliContext.system()).execute(args));
  }

  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  /** A command line whose commands use {@code context}; errors map to exit codes 1 and 2. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine line = new CommandLine(new BackstopCommand(), new Factory(context));
    line.setExecutionExceptionHandler(BackstopCommand::onError);
    line.setParameterExceptionHandler(BackstopCommand::onUsageError);
    return line;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  private static int onError(Exception e, CommandLine line, CommandLine.ParseResult parseResult) {
    java.io.PrintWriter err = line.getErr();
    if (e instanceof InvalidInputException || e instanceof dev.backstop.core.ConfigException) {
      err.println("backstop: " + oneLine(e.getMessage()));
      err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
      return CommandLine.ExitCode.USAGE;
    }
    if (e instanceof BackstopException) {
      err.println("backstop: " + oneLine(e.getMessage()));
      return CommandLine.ExitCode.SOFTWARE;
    }
    err.println(
        "backstop: unexpected " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    line.getErr().println("backstop: " + oneLine(e.getMessage()));
    line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
    return CommandLine.ExitCode.USAGE;
  }

  /** Multi-line messages (every problem of a config file) joined with "; ". */
  static String oneLine(String message) {
    return message == null
        ? ""
        : dev.backstop.dlq.TerminalText.escape(
            message.strip().replaceAll("[ \\t]*\\r?\\n[ \\t]*", "; "));
  }

  /** Creates commands with the context. */
  private record Factory(CliContext context) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        return type.getDeclaredConstructor(CliContext.class).newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }

  /** Reads the version the build wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties props = new Properties();
      try (InputStream in =
          BackstopCommand.class.getResourceAsStream("/dev/backstop/dlq/version.properties")) {
        if (in != null) {
          props.load(in);
        }
      }
      return new String[] {"backstop " + props.getProperty("version", "unknown")};
    }
  }
}
