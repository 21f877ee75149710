package dev.backstop.dlq;

import dev.backstop.core.Sleeper;
import dev.backstop.dlq.cli.BackstopCommand;
import dev.backstop.dlq.cli.CliContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in-process with captured standard output and error. */
public final class Cli {
  private Cli() {}

  /** What a run printed and returned. */
  public record Result(int exit, String out, String err) {
    public List<String> outLines() {
      return out.isEmpty() ? List.of() : out.lines().toList();
    }
  }

  /** A context without a terminal or Ctrl-C hook. */
  public static CliContext context() {
    return new CliContext(
        Clock.systemUTC(), Sleeper.system(), () -> false, ReplayListener.NONE, a -> {});
  }

  public static Result run(String... args) {
    return run(context(), args);
  }

  public static Result run(CliContext context, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BackstopCommand.commandLine(context);
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int exit = line.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** {@code args} followed by {@code extra}. */
  public static String[] args(List<String> args, String... extra) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }
}
