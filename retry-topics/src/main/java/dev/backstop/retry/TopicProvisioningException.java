package dev.backstop.retry;

import dev.backstop.core.BackstopException;
import java.util.List;

/**
 * The tier or dead-letter topics of a {@link ReliableConsumer} are missing or unfit (too few
 * partitions, retention shorter than the delay). The message lists every problem, one a line.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicProvisioningException extends BackstopException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final List<String> problems;

  public TopicProvisioningException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem. */
  public List<String> problems() {
    return problems;
  }
}
