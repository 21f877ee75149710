package dev.backstop.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A short, stable name for "the same failure": the first 12 hex characters of the SHA-256 of the
 * root cause's class name and its first application stack frame ({@code class.method}, no line
 * number, so a recompile keeps the fingerprint). Frames of {@code java.}, {@code javax.}, {@code
 * jdk.}, {@code sun.} and {@code org.apache.kafka.} are skipped.
 *
 * <p>Thread-safety: stateless.
 */
public final class ErrorFingerprint {
  private static final int HEX_CHARS = 12;
  private static final List<String> SKIPPED =
      List.of("java.", "javax.", "jdk.", "sun.", "org.apache.kafka.");

  private ErrorFingerprint() {}

  /** The fingerprint of {@code error}. */
  public static String of(Throwable error) {
    Throwable root = rootCause(error);
    return of(root.getClass().getName(), root.getStackTrace());
  }

  /**
   * The fingerprint of a root cause known only by its class name and stack frames, such as one read
   * back from a stack trace another tool recorded as text; equal to {@link #of(Throwable)} for the
   * same root cause.
   */
  public static String of(String rootCauseClass, StackTraceElement[] frames) {
    StackTraceElement frame = applicationFrame(frames);
    String where = frame == null ? "" : frame.getClassName() + "." + frame.getMethodName();
    return sha256Hex(rootCauseClass + "@" + where).substring(0, HEX_CHARS);
  }

  /** The innermost cause of {@code error} (itself when it has no cause); safe on cause cycles. */
  public static Throwable rootCause(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable current = error;
    while (current.getCause() != null && seen.add(current)) {
      current = current.getCause();
    }
    return current;
  }

  private static StackTraceElement applicationFrame(StackTraceElement[] frames) {
    for (StackTraceElement frame : frames) {
      if (SKIPPED.stream().noneMatch(frame.getClassName()::startsWith)) {
        return frame;
      }
    }
    return frames.length == 0 ? null : frames[0];
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every Java platform", e);
    }
  }
}
