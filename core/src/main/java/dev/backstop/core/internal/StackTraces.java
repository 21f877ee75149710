package dev.backstop.core.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a stack trace that keeps the whole cause chain readable within a small byte budget: each
 * exception of the chain is printed like {@link Throwable#printStackTrace()}, but with at most
 * {@link #FRAMES_PER_CAUSE} frames, so deep framework stacks do not push the root cause out.
 * Suppressed exceptions are left out.
 *
 * <p>Thread-safety: stateless.
 */
public final class StackTraces {
  /** Frames printed per exception of the chain. */
  public static final int FRAMES_PER_CAUSE = 24;

  private StackTraces() {}

  /** The compact trace of {@code error} and its causes. */
  public static String render(Throwable error) {
    StringBuilder out = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (!seen.add(t)) {
        out.append("Caused by: [circular reference: ").append(t).append("]\n");
        break;
      }
      out.append(t == error ? "" : "Caused by: ").append(t).append('\n');
      appendFrames(out, t.getStackTrace());
    }
    return out.toString();
  }

  private static void appendFrames(StringBuilder out, StackTraceElement[] frames) {
    int shown = Math.min(frames.length, FRAMES_PER_CAUSE);
    for (int i = 0; i < shown; i++) {
      out.append("\tat ").append(frames[i]).append('\n');
    }
    if (shown < frames.length) {
      out.append("\t... ").append(frames.length - shown).append(" more\n");
    }
  }
}
