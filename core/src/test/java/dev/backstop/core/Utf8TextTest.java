package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

  @Test
  void decodesValidUtf8AndRejectsMalformedBytes() {
    assertThat(Utf8Text.decodeOrNull("héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
    assertThat(Utf8Text.decodeOrNull("plain".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("plain");
    assertThat(Utf8Text.decodeOrNull(new byte[] {(byte) 0xC3})).isNull();
    assertThat(Utf8Text.decodeOrNull(new byte[] {(byte) 0xFF, 0x41})).isNull();
  }

  @Test
  void printableAllowsTabsAndLineBreaksButPrintableLineDoesNot() {
    assertThat(Utf8Text.printable("a\tb\r\nc")).isTrue();
    assertThat(Utf8Text.printable("a\u0000b")).isFalse();
    assertThat(Utf8Text.printableLine("a b")).isTrue();
    assertThat(Utf8Text.printableLine("a\nb")).isFalse();
  }

  @Test
  void quotesOneLineTextAndShowsEverythingElseAsHex() {
    assertThat(Utf8Text.quotedOrHex(null)).isEqualTo("null");
    assertThat(Utf8Text.quotedOrHex("order-1".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("'order-1'");
    assertThat(Utf8Text.quotedOrHex("a\nb".getBytes(StandardCharsets.UTF_8))).isEqualTo("0x610a62");
    assertThat(Utf8Text.quotedOrHex(new byte[] {(byte) 0xFF})).isEqualTo("0xff");
    assertThat(Utf8Text.quotedOrHex("x".repeat(70).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("'" + "x".repeat(64) + "…'");
  }
}
