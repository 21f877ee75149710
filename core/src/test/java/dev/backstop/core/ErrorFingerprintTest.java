package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ErrorFingerprintTest {

  @Test
  void hashesRootCauseClassAndFirstApplicationFrame() throws Exception {
    IllegalStateException root =
        withFrames(
            new IllegalStateException("x"),
            frame("java.util.HashMap", "get", 10),
            frame("org.apache.kafka.clients.Foo", "poll", 20),
            frame("com.example.Orders", "place", 42),
            frame("com.example.Main", "main", 7));
    RuntimeException wrapper = new RuntimeException("outer", root);

    String expected =
        sha256("java.lang.IllegalStateException@com.example.Orders.place").substring(0, 12);
    assertThat(ErrorFingerprint.of(wrapper))
        .isEqualTo(expected)
        .hasSize(12)
        .matches("[0-9a-f]{12}");
  }

  @Test
  void ignoresLineNumbersAndMessages() {
    Throwable a =
        withFrames(new IllegalStateException("a"), frame("com.example.Orders", "place", 1));
    Throwable b =
        withFrames(new IllegalStateException("b"), frame("com.example.Orders", "place", 99));

    assertThat(ErrorFingerprint.of(a)).isEqualTo(ErrorFingerprint.of(b));
  }

  @Test
  void differsByClassAndByFrame() {
    Throwable base =
        withFrames(new IllegalStateException(), frame("com.example.Orders", "place", 1));
    Throwable otherClass =
        withFrames(new IllegalArgumentException(), frame("com.example.Orders", "place", 1));
    Throwable otherFrame =
        withFrames(new IllegalStateException(), frame("com.example.Orders", "cancel", 1));

    assertThat(ErrorFingerprint.of(base))
        .isNotEqualTo(ErrorFingerprint.of(otherClass))
        .isNotEqualTo(ErrorFingerprint.of(otherFrame));
  }

  @Test
  void usesFirstFrameWhenAllAreLibraryFramesAndCopesWithNone() {
    Throwable libraryOnly =
        withFrames(new IllegalStateException(), frame("java.util.List", "of", 1));
    Throwable noFrames = withFrames(new IllegalStateException());

    assertThat(ErrorFingerprint.of(libraryOnly))
        .isEqualTo(sha256("java.lang.IllegalStateException@java.util.List.of").substring(0, 12));
    assertThat(ErrorFingerprint.of(noFrames))
        .isEqualTo(sha256("java.lang.IllegalStateException@").substring(0, 12));
  }

  @Test
  void survivesCauseCycles() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertThat(ErrorFingerprint.of(a)).hasSize(12);
    assertThat(ErrorFingerprint.rootCause(a)).isIn(a, b);
  }

  static <T extends Throwable> T withFrames(T t, StackTraceElement... frames) {
    t.setStackTrace(frames);
    return t;
  }

  static StackTraceElement frame(String cls, String method, int line) {
    return new StackTraceElement(cls, method, cls + ".java", line);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRootCauseKnownByNameAndFramesHasTheFingerprintOfTheThrowable() {
    Exception root = new java.net.SocketTimeoutException("slow");
    Exception wrapped = new IllegalStateException("outer", root);

    assertThat(ErrorFingerprint.of(root.getClass().getName(), root.getStackTrace()))
        .isEqualTo(ErrorFingerprint.of(wrapped));
  }
}
