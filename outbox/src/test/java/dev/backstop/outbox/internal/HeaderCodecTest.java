package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {

  @Test
  void keepsOrderRepeatedNamesAndNullValues() {
    List<Header> headers =
        List.of(
            new RecordHeader("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("x", null),
            new RecordHeader("x", new byte[] {1, 2, 3}),
            new RecordHeader("ünïcode", new byte[0]));
    List<Header> decoded = HeaderCodec.decode(HeaderCodec.encode(headers));
    assertThat(decoded).extracting(Header::key).containsExactly("traceparent", "x", "x", "ünïcode");
    assertThat(decoded.get(0).value()).isEqualTo(headers.get(0).value());
    assertThat(decoded.get(1).value()).isNull();
    assertThat(decoded.get(2).value()).containsExactly(1, 2, 3);
    assertThat(decoded.get(3).value()).isEmpty();
  }

  @Test
  void decodesNothingAsNoHeaders() {
    assertThat(HeaderCodec.decode(null)).isEmpty();
    assertThat(HeaderCodec.decode(HeaderCodec.encode(List.of()))).isEmpty();
  }
}
