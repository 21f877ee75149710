package dev.backstop.dlq.cli;

import dev.backstop.core.Sleeper;
import dev.backstop.dlq.ReplayListener;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the commands take from their surroundings, so tests can supply it: the clock, the sleeper,
 * whether standard error is a terminal (for the progress line), an extra replay listener, and how
 * to register a stop action for Ctrl-C. Immutable and thread-safe.
 *
 * @param clock time for {@code --since}/{@code --until} and replays
 * @param sleeper waiting for the rate limiter
 * @param stderrIsTerminal whether to draw a progress line on standard error
 * @param replayListener hears every replay besides the command itself
 * @param onInterrupt registers an action to run when the process is asked to stop
 */
public record CliContext(
    Clock clock,
    Sleeper sleeper,
    BooleanSupplier stderrIsTerminal,
    ReplayListener replayListener,
    Consumer<Runnable> onInterrupt) {

  /** The real surroundings: system clock, a console check, and a JVM shutdown hook for Ctrl-C. */
  public static CliContext system() {
    return new CliContext(
        Clock.systemUTC(),
        Sleeper.system(),
        () -> System.console() != null,
        ReplayListener.NONE,
        action -> Runtime.getRuntime().addShutdownHook(new Thread(action, "backstop-stop")));
  }

  /** A copy with another replay listener. */
  public CliContext withReplayListener(ReplayListener listener) {
    return new CliContext(clock, sleeper, stderrIsTerminal, listener, onInterrupt);
  }

  /** A copy with another terminal check. */
  public CliContext withTerminal(boolean terminal) {
    return new CliContext(clock, sleeper, () -> terminal, replayListener, onInterrupt);
  }
}
