package dev.backstop.dlq.internal;

import dev.backstop.core.Utf8Text;
import java.util.HexFormat;

/** Header bytes as text: printable UTF-8 as it is, anything else as hex. Stateless, thread-safe. */
public final class HeaderText {
  private static final HexFormat HEX = HexFormat.of();

  private HeaderText() {}

  /** {@code hex:} and the bytes in lowercase hex. */
  public static String hex(byte[] raw) {
    return raw == null ? "(null)" : "hex:" + HEX.formatHex(raw);
  }

  /** Shows bytes of an unknown header: as text when they are printable UTF-8, else as hex. */
  public static String raw(byte[] raw) {
    if (raw == null) {
      return "(null)";
    }
    String text = Utf8Text.decodeOrNull(raw);
    return text != null && Utf8Text.printable(text) ? text : hex(raw);
  }
}
