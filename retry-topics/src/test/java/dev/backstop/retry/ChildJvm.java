package dev.backstop.retry;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service run in a JVM of its own, on the test class path, so that a test can kill it with {@code
 * kill -9} ({@link #kill()}); its output goes to a log file beside the test's files.
 */
final class ChildJvm {
  private final Process process;

  private ChildJvm(Process process) {
    this.process = process;
  }

  /** Starts {@code main} with {@code args}; standard output and error go to {@code log}. */
  static ChildJvm start(Class<?> main, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ChildJvm(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(log.toString()))
            .start());
  }

  /** Kills the process at once (SIGKILL: no shutdown hook, no close) and waits for it to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Kills the process if it is still running. */
  void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Appends {@code line} and a newline to {@code out} at once: a child's record of its work. */
  static void appendLine(FileOutputStream out, String line) {
    synchronized (out) {
      try {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException("cannot record " + line, e);
      }
    }
  }
}
