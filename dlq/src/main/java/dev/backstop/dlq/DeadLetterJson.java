package dev.backstop.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.dlq.internal.DeadLetterDecoder;
import dev.backstop.dlq.internal.Json;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The JSON forms of dead letters and groups, one object per line. Field names are API: they are
 * listed in {@code docs/dlq.md} and only ever added to. Stateless and thread-safe.
 */
public final class DeadLetterJson {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64_IN = Base64.getDecoder();

  private DeadLetterJson() {}

  /** One line of {@code dlq list --format json}. */
  public static String summary(DeadLetter letter) {
    return write(summaryNode(letter));
  }

  /**
   * {@code dlq show --format json}: the summary plus every header, the stack trace and the value.
   */
  public static String detail(DeadLetter letter, int maxBytes) {
    ObjectNode node = summaryNode(letter);
    FailureInfo f = letter.failure();
    node.put("originalTimestamp", text(f.originalTimestamp()));
    node.put("firstFailedAt", text(f.firstFailedAt()));
    node.put("attempt", f.attempt());
    node.put("replayedAt", text(f.replayedAt()));
    node.put("stacktrace", f.stacktrace());
    ArrayNode headers = node.putArray("headers");
    for (DecodedHeader h : letter.headers()) {
      ObjectNode header = headers.addObject();
      header.put("name", h.name());
      header.put("value", h.display());
      header.put("problem", h.problem());
      header.put("raw", base64(h.raw()));
    }
    Payload value = Payload.render(letter.value(), maxBytes);
    ObjectNode payload = node.putObject("value");
    payload.put("kind", value.kind().name().toLowerCase(java.util.Locale.ROOT));
    payload.put("text", value.text());
    payload.put("size", value.size());
    payload.put("truncated", value.truncated());
    return write(node);
  }

  /** One line of {@code dlq held --format json}. */
  public static String held(HeldKey key) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("group", key.group());
    node.put("key", key.key());
    node.put("status", key.status());
    node.put("headMessageId", key.headMessageId());
    node.put("partition", key.partition());
    var held = node.putArray("held");
    for (HeldKey.HeldRecord record : key.held()) {
      held.addObject().put("messageId", record.messageId()).put("address", record.toString());
    }
    return write(node);
  }

  /** One line of {@code dlq stats --format json}. */
  public static String group(DeadLetterGroup group) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("by", group.by().label());
    node.put("key", group.key());
    node.put("count", group.count());
    node.put("firstSeen", text(group.firstSeen()));
    node.put("lastSeen", text(group.lastSeen()));
    node.put("sample", group.sample().toString());
    node.put("sampleError", group.sampleError());
    return write(node);
  }

  /**
   * One dry-run line of {@code dlq replay --format json}: {@code address}, {@code target}, {@code
   * messageId} and the {@code replayCount} the record would carry.
   */
  public static String wouldSend(DeadLetter letter, String target) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("address", letter.address().toString());
    node.put("target", target);
    node.put("messageId", letter.failure().messageId());
    node.put("replayCount", letter.failure().replayCount() + 1);
    return write(node);
  }

  /** The summary line of {@code dlq replay --format json}. */
  public static String replayResult(ReplayResult r) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("checkpoint", r.checkpoint());
    node.put("resumed", r.resumed());
    node.put("alreadyDone", r.alreadyDone());
    node.put("selected", r.selected());
    node.put("sent", r.sent());
    ArrayNode refused = node.putArray("refused");
    r.refused()
        .forEach(
            x ->
                refused
                    .addObject()
                    .put("address", x.address().toString())
                    .put("reason", x.reason()));
    node.put("dryRun", r.dryRun());
    node.put("complete", r.complete());
    node.put("failure", r.failure());
    node.put("elapsedMs", r.elapsed().toMillis());
    return write(node);
  }

  /**
   * One line of {@code dlq export}: the record exactly (key, value and every header value in
   * base64, headers in stored order), plus the decoded summary under {@code failure} for reading
   * with jq.
   */
  public static String export(DeadLetter letter) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("topic", letter.address().topic());
    node.put("partition", letter.address().partition());
    node.put("offset", letter.address().offset());
    node.put("timestamp", letter.timestamp().toEpochMilli());
    node.put("key", base64(letter.key()));
    node.put("value", base64(letter.value()));
    ArrayNode headers = node.putArray("headers");
    for (DecodedHeader h : letter.headers()) {
      headers.addObject().put("name", h.name()).put("value", base64(h.raw()));
    }
    node.set("failure", summaryNode(letter));
    return write(node);
  }

  /**
   * Reads a line written by {@link #export(DeadLetter)} back into the dead letter it came from.
   *
   * @throws InvalidInputException when the line is not such an object
   */
  public static DeadLetter readExport(String line) {
    try {
      JsonNode node = Json.MAPPER.readTree(line);
      RecordHeaders headers = new RecordHeaders();
      for (JsonNode h : node.withArray("headers")) {
        headers.add(h.get("name").asText(), bytes(h.get("value")));
      }
      ConsumerRecord<byte[], byte[]> record =
          new ConsumerRecord<>(
              node.get("topic").asText(),
              node.get("partition").asInt(),
              node.get("offset").asLong(),
              node.get("timestamp").asLong(),
              TimestampType.CREATE_TIME,
              -1,
              -1,
              bytes(node.get("key")),
              bytes(node.get("value")),
              headers,
              Optional.empty());
      return DeadLetterDecoder.decode(record);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new InvalidInputException("Invalid export line: " + e.getMessage());
    }
  }

  private static ObjectNode summaryNode(DeadLetter letter) {
    FailureInfo f = letter.failure();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("address", letter.address().toString());
    node.put("topic", letter.address().topic());
    node.put("partition", letter.address().partition());
    node.put("offset", letter.address().offset());
    node.put("timestamp", text(letter.timestamp()));
    node.put("key", letter.keyText());
    node.put("source", f.source().name().toLowerCase(java.util.Locale.ROOT));
    node.put("originalTopic", f.originalTopic());
    node.put("originalPartition", f.originalPartition());
    node.put("originalOffset", f.originalOffset());
    node.put("consumerGroup", f.consumerGroup());
    node.put("errorClass", f.errorClass());
    node.put("rootCause", f.rootCause());
    node.put("errorMessage", f.errorMessage());
    node.put("fingerprint", f.fingerprint());
    node.put("messageId", f.messageId());
    node.put("failedAt", text(f.failedAt()));
    node.put("replayCount", f.replayCount());
    node.put("valueSize", letter.valueSize());
    return node;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? null : B64.encodeToString(bytes);
  }

  private static byte[] bytes(JsonNode node) {
    return node == null || node.isNull() ? null : B64_IN.decode(node.asText());
  }

  private static String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new DlqException("Could not write JSON: " + e.getMessage(), e);
    }
  }
}
