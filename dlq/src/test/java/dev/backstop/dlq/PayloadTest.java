package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadTest {

  @Test
  void prettyPrintsJson() {
    Payload p = Payload.render(utf8("{\"id\":7,\"items\":[1,2]}"), 4096);
    assertThat(p.kind()).isEqualTo(Payload.Kind.JSON);
    assertThat(p.text()).contains("\"id\" : 7").contains("\n");
    assertThat(p.truncated()).isFalse();
  }

  @Test
  void showsUtf8AsText() {
    Payload p = Payload.render(utf8("café order 17"), 4096);
    assertThat(p.kind()).isEqualTo(Payload.Kind.TEXT);
    assertThat(p.text()).isEqualTo("café order 17");
  }

  @Test
  void showsBrokenJsonAsText() {
    assertThat(Payload.render(utf8("{\"id\":"), 4096).kind()).isEqualTo(Payload.Kind.TEXT);
  }

  @Test
  void showsBinaryAsHex() {
    Payload p = Payload.render(new byte[] {0, 1, (byte) 0xfe}, 4096);
    assertThat(p.kind()).isEqualTo(Payload.Kind.HEX);
    assertThat(p.text()).isEqualTo("0001fe");
  }

  @Test
  void cutsToMaxBytesWithoutSplittingACharacter() {
    Payload p = Payload.render(utf8("ééééé"), 5);
    assertThat(p.truncated()).isTrue();
    assertThat(p.text()).isEqualTo("éé");
    assertThat(p.size()).isEqualTo(10);
  }

  @Test
  void cutsHexToHalfTheBytes() {
    Payload p = Payload.render(new byte[100], 10);
    assertThat(p.text()).hasSize(10);
    assertThat(p.truncated()).isTrue();
  }

  @Test
  void nullIsShownAsNull() {
    assertThat(Payload.render(null, 10).kind()).isEqualTo(Payload.Kind.NULL);
  }

  @Test
  void rejectsMaxBytesBelowOne() {
    assertThatThrownBy(() -> Payload.render(utf8("x"), 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid value 0 for --max-bytes: must be at least 1");
  }
}
