package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderValueTest {

  @Test
  void presentValue() {
    HeaderValue<String> v = HeaderValue.present("x");

    assertThat(v.isPresent()).isTrue();
    assertThat(v.value()).isEqualTo("x");
    assertThat(v.problem()).isNull();
    assertThat(v.orElse("y")).isEqualTo("x");
    assertThat(v.toOptional()).contains("x");
  }

  @Test
  void corruptShowsAtMost64Characters() {
    byte[] raw = "a".repeat(100).getBytes(StandardCharsets.UTF_8);

    HeaderValue<Long> v = HeaderValue.corrupt("n", raw, "not a number");

    assertThat(v.problem()).isEqualTo("corrupt: not a number: '" + "a".repeat(64) + "...'");
  }

  @Test
  void corruptShowsAtMost32BytesInHex() {
    byte[] raw = new byte[40];
    raw[0] = (byte) 0xFF;

    assertThat(HeaderValue.corrupt("n", raw, "not valid UTF-8").problem())
        .isEqualTo("corrupt: not valid UTF-8: 0xff" + "00".repeat(31) + "...");
  }

  @Test
  void needsExactlyOneOfValueAndProblem() {
    assertThatThrownBy(() -> new HeaderValue<>("x", "missing", "n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderValue<>(null, null, "n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
