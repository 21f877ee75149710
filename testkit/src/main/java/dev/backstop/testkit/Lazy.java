package dev.backstop.testkit;

import java.util.function.Supplier;

/** A value computed once, on first use; a failure is remembered and thrown again. Thread-safe. */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private T value;
  private RuntimeException failure;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public synchronized T get() {
    if (value == null && failure == null) {
      try {
        value = factory.get();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }
}
