package dev.backstop.dlq;

/** A topic named by the caller (the dead-letter topic or a replay target) does not exist. */
public final class UnknownTopicException extends DlqException {
  private static final long serialVersionUID = 1L;
  private final String topic;

  /** The topic {@code topic} does not exist on the cluster. */
  public UnknownTopicException(String topic) {
    super("Topic " + topic + " does not exist: check the name (topics are case-sensitive)");
    this.topic = topic;
  }

  /** The topic that was not found. */
  public String topic() {
    return topic;
  }
}
