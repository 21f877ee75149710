package dev.backstop.doctests.context;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the prose around the Java blocks of docs/dlq.md takes as given: the service's own objects
 * and types.
 */
@SuppressWarnings("unused")
public abstract class DlqDocContext {
  /** The application's logger. */
  protected final Logger log = LoggerFactory.getLogger(getClass());
}
