package dev.backstop.dlq;

import java.time.Duration;

/**
 * Hears a replay as it runs. Every method has a no-op default and is called on the thread running
 * the replay. Implementations must be quick, and thread-safe when they share state with other
 * threads.
 */
public interface ReplayListener {

  /** A listener that does nothing. */
  ReplayListener NONE = new ReplayListener() {};

  /**
   * Called once before the first record with an action that stops the replay as {@link
   * ReplayRequest#stop()} does (the records sent so far are committed with the checkpoint, no more
   * are sent). The action may be run from any thread, including from {@link #onSent}.
   */
  default void onStart(Runnable stop) {}

  /**
   * {@code letter} was sent to {@code target} and the transaction holding it committed (so a {@code
   * read_committed} consumer of the target sees it); {@code sentSoFar} counts this run.
   */
  default void onSent(DeadLetter letter, String target, long sentSoFar) {}

  /** A dry run would send {@code letter} to {@code target}. */
  default void onWouldSend(DeadLetter letter, String target) {}

  /** {@code letter} was refused for {@code reason}. */
  default void onRefused(DeadLetter letter, String reason) {}

  /** Called about twice a second while the replay runs. */
  default void onProgress(Progress progress) {}

  /**
   * Progress of a replay.
   *
   * @param sent records committed so far
   * @param selected dead letters selected so far
   * @param scanned offsets of the dead-letter topic read so far
   * @param total offsets this run reads in all (known at the start)
   * @param elapsed time since the start
   */
  record Progress(long sent, long selected, long scanned, long total, Duration elapsed) {

    /** Records committed per second. */
    public double rate() {
      double seconds = elapsed.toMillis() / 1000.0;
      return seconds <= 0 ? 0 : sent / seconds;
    }

    /** Estimated time left from the read rate, or {@code null} when unknown. */
    public Duration eta() {
      if (scanned <= 0 || elapsed.isZero()) {
        return null;
      }
      double perOffset = (double) elapsed.toMillis() / scanned;
      return Duration.ofMillis((long) (perOffset * Math.max(0, total - scanned)));
    }
  }
}
