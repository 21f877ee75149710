package dev.backstop.spring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backstop.core.ConfigKey;
import dev.backstop.spring.StarterKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Spring Boot's configuration metadata ({@code META-INF/spring-configuration-metadata.json})
 * from the key definitions of the modules and of the starter, so IDEs complete every {@code
 * backstop.*} key with its documentation and default. Run by the build after compiling. The outbox
 * keys are properties of their own; a consumer's keys sit under a name the user picks, so they are
 * offered as hints for the keys of the {@code backstop.consumers} map ({@code NAME.retry.tiers}).
 * Thread-safe.
 */
public final class MetadataWriter {
  private static final String NAME = "NAME.";

  private MetadataWriter() {}

  /** Writes the metadata to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args[0]);
    Files.createDirectories(target.getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(target.toFile(), metadata());
  }

  /** The metadata document. */
  public static Map<String, Object> metadata() {
    List<Map<String, Object>> properties = new ArrayList<>();
    for (ConfigKey<?> key : ModuleKeys.outbox()) {
      properties.add(property(key.name(), key));
    }
    for (ConfigKey<?> key : StarterKeys.outbox()) {
      properties.add(property(key.name(), key));
    }
    properties.add(
        map(
            "backstop.outbox.kafka",
            "java.util.Map<java.lang.String,java.lang.String>",
            "Kafka producer settings of the relay; override spring.kafka.* and backstop.kafka.*."));
    properties.add(
        map(
            "backstop.kafka",
            "java.util.Map<java.lang.String,java.lang.String>",
            "Kafka client settings of every Backstop client; override spring.kafka.*."));
    properties.add(
        map(
            "backstop.consumers",
            "java.util.Map<java.lang.String,java.lang.String>",
            "Consumers by name: backstop.consumers.NAME.topics, .retry.tiers, .handler and the"
                + " other keys offered for this map; NAME.kafka.* are client settings."));
    List<Map<String, Object>> values = new ArrayList<>();
    List<ConfigKey<?>> consumerKeys = new ArrayList<>(StarterKeys.consumer());
    consumerKeys.addAll(ModuleKeys.retry());
    consumerKeys.addAll(ModuleKeys.idempotency());
    for (ConfigKey<?> key : consumerKeys) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("value", NAME + ConsumerNames.relativeName(key.name()));
      value.put("description", consumerDoc(key));
      values.add(value);
    }
    Map<String, Object> hint = new LinkedHashMap<>();
    hint.put("name", "backstop.consumers.keys");
    hint.put("values", values);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("groups", List.of(group("backstop.outbox"), group("backstop.consumers")));
    document.put("properties", properties);
    document.put("hints", List.of(hint));
    return document;
  }

  private static String consumerDoc(ConfigKey<?> key) {
    String doc = sentence(key.doc());
    if (key.name().equals("backstop.consumer.group-id")) {
      return doc + " Default: the consumer's name.";
    }
    if (key.name().equals("backstop.idempotency.group")) {
      return doc + " Default: the consumer's group id.";
    }
    if (key.isRequired()) {
      return doc + " Required.";
    }
    return key.defaultValue() == null ? doc : doc + " Default: " + render(key) + ".";
  }

  private static Map<String, Object> property(String name, ConfigKey<?> key) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", name);
    property.put("type", type(key.defaultValue()));
    property.put("description", sentence(key.doc()));
    if (key.defaultValue() != null && !key.isSecret()) {
      Object value = key.defaultValue();
      property.put(
          "defaultValue",
          value instanceof Number || value instanceof Boolean ? value : render(key));
    }
    return property;
  }

  @SuppressWarnings("unchecked")
  private static <T> String render(ConfigKey<T> key) {
    return key.render(key.defaultValue());
  }

  private static Map<String, Object> map(String name, String type, String description) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", name);
    property.put("type", type);
    property.put("description", description);
    return property;
  }

  private static Map<String, Object> group(String name) {
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", name);
    group.put("description", "Backstop (" + name + ").");
    return group;
  }

  private static String type(Object defaultValue) {
    if (defaultValue instanceof Duration) {
      return "java.time.Duration";
    }
    if (defaultValue instanceof List<?> list) {
      return !list.isEmpty() && list.get(0) instanceof Duration
          ? "java.util.List<java.time.Duration>"
          : "java.util.List<java.lang.String>";
    }
    return defaultValue == null ? "java.lang.String" : defaultValue.getClass().getName();
  }

  private static String sentence(String doc) {
    if (doc.isEmpty()) {
      return doc;
    }
    String text = Character.toUpperCase(doc.charAt(0)) + doc.substring(1);
    return text.endsWith(".") ? text : text + ".";
  }
}
