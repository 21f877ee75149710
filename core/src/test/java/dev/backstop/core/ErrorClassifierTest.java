package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
  enum Action {
    RETRY,
    DEAD_LETTER,
    SKIP
  }

  private final ErrorClassifier<Action> classifier =
      ErrorClassifier.<Action>builder()
          .on(IllegalArgumentException.class, Action.DEAD_LETTER)
          .on("transient-sql", t -> t instanceof SQLTransientException, Action.RETRY)
          .onClassName("java.io.IOException", Action.RETRY)
          .orElse(Action.SKIP)
          .build();

  @Test
  void matchesByTypeIncludingSubclasses() {
    NumberFormatException nfe = new NumberFormatException("x");

    Classification<Action> c = classifier.classify(nfe);

    assertThat(c.action()).isEqualTo(Action.DEAD_LETTER);
    assertThat(c.rule()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(c.matched()).isSameAs(nfe);
  }

  @Test
  void walksCausesOutermostFirst() {
    IOException io = new IOException("disk");
    RuntimeException outer = new RuntimeException("wrap", new UncheckedIOException(io));

    Classification<Action> c = classifier.classify(outer);

    assertThat(c.action()).isEqualTo(Action.RETRY);
    assertThat(c.rule()).isEqualTo("java.io.IOException");
    assertThat(c.matched()).isSameAs(io);
  }

  @Test
  void outerLevelWinsOverInnerEvenWhenInnerRuleIsDeclaredFirst() {
    IllegalArgumentException inner = new IllegalArgumentException("bad");
    SQLTransientException outer = new SQLTransientException("deadlock", inner);

    Classification<Action> c = classifier.classify(outer);

    assertThat(c.rule()).isEqualTo("transient-sql");
    assertThat(c.matched()).isSameAs(outer);
  }

  @Test
  void firstDeclaredRuleWinsAtOneLevel() {
    ErrorClassifier<Action> c =
        ErrorClassifier.<Action>builder()
            .on(RuntimeException.class, Action.RETRY)
            .on(IllegalStateException.class, Action.DEAD_LETTER)
            .build();

    assertThat(c.classify(new IllegalStateException()).action()).isEqualTo(Action.RETRY);
  }

  @Test
  void fallsBackWhenNothingMatches() {
    IllegalStateException e = new IllegalStateException();

    assertThat(classifier.classify(e)).isEqualTo(new Classification<>(Action.SKIP, "default", e));
    assertThat(ErrorClassifier.<Action>builder().build().classify(e).action()).isNull();
  }

  @Test
  void survivesCauseCycles() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertThat(classifier.classify(a).action()).isEqualTo(Action.SKIP);
  }

  @Test
  void unknownClassNameIsAConfigExceptionNamingTheClass() {
    assertThatThrownBy(
            () ->
                ErrorClassifier.<Action>builder()
                    .onClassName("com.example.NoSuchError", Action.RETRY))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid exception class com.example.NoSuchError: not found on the class path");
  }

  @Test
  void nonThrowableClassNameIsAConfigException() {
    assertThatThrownBy(
            () -> ErrorClassifier.<Action>builder().onClassName("java.lang.String", Action.RETRY))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid exception class java.lang.String: java.lang.String is not a Throwable");
  }
}
