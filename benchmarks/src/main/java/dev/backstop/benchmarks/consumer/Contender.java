package dev.backstop.benchmarks.consumer;

import dev.backstop.testkit.KafkaBroker;

/** One way to consume the benchmark topic: started, awaited until every record was handled. */
interface Contender {

  /** The name in the results table. */
  String name();

  /**
   * Consumes {@code topic} as group {@code group} with {@code work} as the handler; returns once
   * the work is done, having stopped its consumers.
   *
   * @return seconds from the start until every record was handled
   */
  double run(KafkaBroker broker, String topic, String group, Work work) throws Exception;

  /** Fails a run that did not finish. */
  static IllegalStateException unfinished(String name, Work work) {
    return new IllegalStateException(name + ": " + work.remaining() + " records unhandled");
  }
}
