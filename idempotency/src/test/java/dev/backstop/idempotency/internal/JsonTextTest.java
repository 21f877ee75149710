package dev.backstop.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(JsonText.array(List.of("a", "b\"c", "d\\e", "f\ng", "\u0001")))
        .isEqualTo("[\"a\",\"b\\\"c\",\"d\\\\e\",\"f\\ng\",\"\\u0001\"]");
    assertThat(JsonText.array(List.of())).isEqualTo("[]");
  }
}
