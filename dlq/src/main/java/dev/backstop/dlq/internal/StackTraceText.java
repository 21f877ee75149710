package dev.backstop.dlq.internal;

import dev.backstop.core.ErrorFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Java stack trace read back from the text another tool recorded ({@code printStackTrace} format:
 * a header line, tab-indented {@code at} frames and {@code ... N more}, {@code Caused by:}
 * sections; {@code Suppressed:} sections, indented further, are skipped). Knows the root cause (the
 * last {@code Caused by:}) and its frames, with the frames a {@code ... N more} line leaves out
 * taken from the enclosing trace, as the JVM printed them. Never throws on odd text: what it cannot
 * read it leaves out. Immutable and thread-safe.
 */
final class StackTraceText {
  private static final String CAUSED_BY = "Caused by: ";
  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+");
  private static final Pattern MORE = Pattern.compile("\\.\\.\\. (\\d+) more");

  /** One exception of the chain: its class and its frames, complete. */
  private record Level(String className, List<StackTraceElement> frames) {}

  private final List<Level> chain;

  private StackTraceText(List<Level> chain) {
    this.chain = chain;
  }

  /** Reads {@code text}; a text without a recognisable exception gives an empty chain. */
  static StackTraceText parse(String text) {
    List<Level> chain = new ArrayList<>();
    if (text == null) {
      return new StackTraceText(chain);
    }
    boolean started = false;
    String className = null;
    List<StackTraceElement> frames = new ArrayList<>();
    int omitted = 0;
    for (String raw : text.split("\r?\n")) {
      int indent = 0;
      while (indent < raw.length() && raw.charAt(indent) == '\t') {
        indent++;
      }
      String line = raw.strip();
      if (!started) {
        started = !line.isEmpty();
        className = exceptionClass(line);
      } else if (indent == 0 && line.startsWith(CAUSED_BY)) {
        add(chain, className, frames, omitted);
        className = exceptionClass(line.substring(CAUSED_BY.length()));
        frames = new ArrayList<>();
        omitted = 0;
      } else if (indent == 1 && line.startsWith("at ")) {
        StackTraceElement frame = frame(line.substring(3));
        if (frame != null) {
          frames.add(frame);
        }
      } else if (indent == 1 && MORE.matcher(line).matches()) {
        omitted = Integer.parseInt(line.replaceAll("\\D", ""));
      }
    }
    add(chain, className, frames, omitted);
    return new StackTraceText(chain);
  }

  /** The class of the innermost cause, or {@code null} when the text named none. */
  String rootCause() {
    return chain.isEmpty() ? null : chain.get(chain.size() - 1).className();
  }

  /** {@link ErrorFingerprint} of the innermost cause, or {@code null} when there is none. */
  String fingerprint() {
    if (chain.isEmpty()) {
      return null;
    }
    Level root = chain.get(chain.size() - 1);
    return ErrorFingerprint.of(root.className(), root.frames().toArray(StackTraceElement[]::new));
  }

  /**
   * Adds a level once its frames are read; its {@code omitted} last frames are those of the
   * enclosing level. A header that names no class adds nothing.
   */
  private static void add(
      List<Level> chain, String className, List<StackTraceElement> frames, int omitted) {
    if (className == null) {
      return;
    }
    List<StackTraceElement> all = new ArrayList<>(frames);
    if (omitted > 0 && !chain.isEmpty()) {
      List<StackTraceElement> enclosing = chain.get(chain.size() - 1).frames();
      all.addAll(enclosing.subList(Math.max(0, enclosing.size() - omitted), enclosing.size()));
    }
    chain.add(new Level(className, List.copyOf(all)));
  }

  /** The class name at the start of a header line ({@code a.b.C: message}), or null. */
  private static String exceptionClass(String header) {
    int colon = header.indexOf(':');
    String name = (colon < 0 ? header : header.substring(0, colon)).strip();
    return CLASS_NAME.matcher(name).matches() ? name : null;
  }

  /** {@code [loader/][module@version/]a.b.C.method(File.java:12)} as a frame, or null. */
  private static StackTraceElement frame(String text) {
    int paren = text.indexOf('(');
    String qualified = (paren < 0 ? text : text.substring(0, paren)).strip();
    qualified = qualified.substring(qualified.lastIndexOf('/') + 1);
    int dot = qualified.lastIndexOf('.');
    if (dot <= 0 || dot == qualified.length() - 1) {
      return null;
    }
    return new StackTraceElement(
        qualified.substring(0, dot), qualified.substring(dot + 1), null, -1);
  }
}
