package dev.backstop.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a run, in order, each with the write progress that triggers it. Derived from the
 * seed only, so the same options give the same plan. Immutable and thread-safe.
 *
 * @param faults the faults in trigger order
 */
public record FaultPlan(List<Fault> faults) {

  /**
   * One fault.
   *
   * @param kind what is injected
   * @param afterMessages written messages that trigger it
   * @param duration how long it lasts (outages and stopped brokers)
   * @param choice a seeded number for the fault's own choices (which broker, how far back)
   */
  public record Fault(FaultKind kind, int afterMessages, Duration duration, int choice) {}

  public FaultPlan {
    faults = List.copyOf(faults);
  }

  /**
   * Every fault kind {@code rounds} times, shuffled, at random points of the first 90 % of the
   * messages.
   */
  public static FaultPlan of(RunOptions options) {
    Random random = new Random(options.seed());
    List<FaultKind> kinds = new ArrayList<>();
    for (int round = 0; round < options.faultRounds(); round++) {
      kinds.addAll(List.of(FaultKind.values()));
    }
    Collections.shuffle(kinds, random);
    List<Integer> points = new ArrayList<>();
    int span = Math.max(1, options.messages() * 9 / 10);
    for (int i = 0; i < kinds.size(); i++) {
      points.add(random.nextInt(span));
    }
    Collections.sort(points);
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      Duration duration = Duration.ofMillis(1000 + random.nextInt(2000));
      faults.add(new Fault(kinds.get(i), points.get(i), duration, random.nextInt(1 << 20)));
    }
    return new FaultPlan(faults);
  }
}
