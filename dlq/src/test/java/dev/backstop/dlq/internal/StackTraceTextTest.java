package dev.backstop.dlq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.ErrorFingerprint;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StackTraceTextTest {
  private static String printed(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static Exception nested() {
    return new IllegalStateException("outer", new java.io.IOException("middle", inner()));
  }

  private static Exception inner() {
    return new java.net.SocketTimeoutException("inner");
  }

  @Test
  void readsTheRootCauseAndItsFingerprintFromAPrintedTrace() {
    Exception error = nested();
    error.addSuppressed(new IllegalArgumentException("suppressed", new ArithmeticException()));

    StackTraceText trace = StackTraceText.parse(printed(error));

    assertThat(trace.rootCause()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(trace.fingerprint()).isEqualTo(ErrorFingerprint.of(error));
  }

  @Test
  void takesTheFramesACauseSharesWithItsEnclosingTraceFromThatTrace() {
    // created on one line: the cause's trace is all "... N more"
    Exception error = new RuntimeException("outer", new UnsupportedOperationException("x"));
    String text = printed(error);
    assertThat(text)
        .containsPattern(
            "Caused by: java.lang.UnsupportedOperationException: x\\R\\t\\.\\.\\. \\d+ more");

    assertThat(StackTraceText.parse(text).fingerprint()).isEqualTo(ErrorFingerprint.of(error));
  }

  @Test
  void readsWindowsLineEndingsAndModuleQualifiedFrames() {
    Exception error = nested();
    String text = printed(error).replace("\n", "\r\n");

    assertThat(StackTraceText.parse(text).fingerprint()).isEqualTo(ErrorFingerprint.of(error));
    assertThat(
            StackTraceText.parse(
                    "a.B: boom\n\tat app//com.acme.Handler.handle(Handler.java:3)\n"
                        + "\tat java.base/java.lang.Thread.run(Thread.java:840)")
                .fingerprint())
        .isEqualTo(
            ErrorFingerprint.of(
                "a.B",
                new StackTraceElement[] {
                  new StackTraceElement("com.acme.Handler", "handle", null, -1)
                }));
  }

  @Test
  void textThatIsNoStackTraceHasNoRootCauseAndNoFingerprint() {
    assertThat(StackTraceText.parse(null).rootCause()).isNull();
    assertThat(StackTraceText.parse("something went wrong\n\tsee logs").fingerprint()).isNull();
    assertThat(StackTraceText.parse("").rootCause()).isNull();
  }
}
