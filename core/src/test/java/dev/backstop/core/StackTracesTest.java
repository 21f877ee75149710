package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.internal.StackTraces;
import org.junit.jupiter.api.Test;

class StackTracesTest {

  @Test
  void showsEveryCauseWithLimitedFrames() {
    IllegalStateException root =
        ErrorFingerprintTest.withFrames(
            new IllegalStateException("root"), ErrorFingerprintTest.frame("com.example.A", "a", 1));
    RuntimeException outer = new RuntimeException("outer", root);
    StackTraceElement[] many = new StackTraceElement[100];
    java.util.Arrays.setAll(many, i -> ErrorFingerprintTest.frame("com.example.F" + i, "m", i));
    outer.setStackTrace(many);

    String trace = StackTraces.render(outer);

    assertThat(trace)
        .startsWith(
            "java.lang.RuntimeException: outer\n\tat com.example.F0.m(com.example.F0.java:0)\n")
        .contains("\tat com.example.F23.m(")
        .doesNotContain("com.example.F24.")
        .contains("\t... 76 more\n")
        .endsWith(
            "Caused by: java.lang.IllegalStateException: root\n\tat com.example.A.a(com.example.A.java:1)\n");
  }

  @Test
  void stopsAtCauseCycles() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertThat(StackTraces.render(a))
        .contains("Caused by: [circular reference: java.lang.RuntimeException: a]");
  }
}
