package dev.backstop.core;

import java.util.List;

/**
 * Invalid configuration. Carries every problem found, so a user fixes them all in one go; the
 * message is the problems joined by newlines, each in one of the shapes {@code Invalid value V for
 * KEY: RULE}, {@code Unknown key KEY: did you mean OTHER?} or {@code Missing value for KEY:
 * required}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigException extends BackstopException {
  private static final long serialVersionUID = 1L;

  /** The problems, in the order they were found. */
  @SuppressWarnings("serial")
  private final List<String> problems;

  /** Creates an exception for one or more problems; the list must not be empty. */
  public ConfigException(List<String> problems) {
    super(String.join("\n", requireNonEmpty(problems)));
    this.problems = List.copyOf(problems);
  }

  /** Creates an exception for a single problem. */
  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Creates an exception for a single problem caused by another exception. */
  public ConfigException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Every problem found, in the order found; never empty. */
  public List<String> problems() {
    return problems;
  }

  private static List<String> requireNonEmpty(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return problems;
  }
}
