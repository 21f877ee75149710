package dev.backstop.reliability;

import dev.backstop.core.Sleeper;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline for {@link RunOptions#messages()} messages written at {@link
 * RunOptions#writeRate()} while the {@link FaultPlan} injects its faults, waits until every
 * committed message was applied or dead-lettered (or {@code settleLimit} passed), then checks the
 * invariants. Needs a three-broker cluster for the broker faults. Not thread-safe: one run at a
 * time per broker and database.
 */
public final class ReliabilityRun {
  private static final Logger LOG = LoggerFactory.getLogger(ReliabilityRun.class);

  /** Concurrent writer threads, each writing one message per business transaction. */
  static final int WRITERS = 3;

  private ReliabilityRun() {}

  /** Runs and checks; the report says whether the invariants hold. */
  public static Report run(
      RunOptions options, KafkaBroker broker, TestDatabase db, Duration settleLimit)
      throws Exception {
    Sleeper sleeper = Sleeper.system();
    long started = System.nanoTime();
    FaultPlan plan = FaultPlan.of(options);
    AtomicLong written = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2);
    try (Pipeline pipeline = new Pipeline(options, broker, db, sleeper)) {
      pipeline.start();
      AtomicLong next = new AtomicLong();
      long begin = System.nanoTime();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(
            threads.submit(
                () -> {
                  for (long seq = next.getAndIncrement();
                      seq < options.messages();
                      seq = next.getAndIncrement()) {
                    long wait =
                        begin + seq * 1_000_000_000L / options.writeRate() - System.nanoTime();
                    if (wait > 0) {
                      sleeper.sleep(Duration.ofNanos(wait));
                    }
                    pipeline.write(seq);
                    written.incrementAndGet();
                  }
                  return null;
                }));
      }
      BooleanSupplier writesDone = () -> writers.stream().allMatch(Future::isDone);
      Future<?> faults =
          threads.submit(
              () -> {
                for (FaultPlan.Fault fault : plan.faults()) {
                  while (written.get() < fault.afterMessages() && !writesDone.getAsBoolean()) {
                    sleeper.sleep(Duration.ofMillis(20));
                  }
                  pipeline.inject(fault);
                }
                return null;
              });
      Future<?> supervisor =
          threads.submit(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  pipeline.supervise();
                  sleeper.sleep(Duration.ofMillis(250));
                }
                return null;
              });
      for (Future<?> writer : writers) {
        writer.get();
      }
      faults.get();
      LOG.info("writes and faults done after {} s; settling", seconds(started));
      boolean settled =
          pipeline.await(
              settleLimit,
              () -> {
                pipeline.supervise();
                return pipeline.settled();
              });
      if (!settled) {
        LOG.error("not settled within {}: the checker will count what is missing", settleLimit);
      }
      supervisor.cancel(true);
      Report report =
          InvariantChecker.check(
              broker, Jdbi.create(db.dataSource()), options, pipeline, seconds(started));
      LOG.info("reliability run:\n{}", report.toMarkdown());
      return report;
    } finally {
      threads.shutdownNow();
    }
  }

  private static long seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000_000L;
  }
}
