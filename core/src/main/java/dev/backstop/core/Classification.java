package dev.backstop.core;

/**
 * What an {@link ErrorClassifier} decided for one exception.
 *
 * <p>Thread-safety: immutable if {@code A} is.
 *
 * @param action the action of the matching rule, or the fallback ({@code null} when none was set)
 * @param rule name of the matching rule, or {@code "default"} when no rule matched
 * @param matched the exception in the cause chain that matched, or the classified exception itself
 *     when no rule matched
 * @param <A> action type
 */
public record Classification<A>(A action, String rule, Throwable matched) {
  /** Rule name reported when no rule matched. */
  public static final String DEFAULT_RULE = "default";
}
