package dev.backstop.spring.internal;

import dev.backstop.core.ConfigKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Reads {@code backstop.*} and {@code spring.kafka.*} from the Spring environment with relaxed
 * binding ({@code batch-size}, {@code batchSize}, {@code BACKSTOP_OUTBOX_BATCHSIZE}), YAML lists
 * joined into the comma-separated text the modules parse. Names are matched against the modules'
 * key definitions; a name that matches none is passed on unchanged so that the module rejects it
 * with its usual "did you mean" message. Thread-safety: immutable, safe for concurrent use.
 */
public final class SpringBinding {
  private static final Pattern INDEXED = Pattern.compile("(.*?)(?:\\[(\\d+)]|\\.(\\d+))");
  private static final Bindable<Map<String, String>> FLAT =
      Bindable.mapOf(String.class, String.class);

  private final Binder binder;

  public SpringBinding(Binder binder) {
    this.binder = binder;
  }

  /**
   * Every property under {@code prefix}, names relative to it, list items (YAML lists, {@code
   * tiers[0]}, which the binder reports as {@code tiers.0}) joined with commas in index order.
   */
  public Map<String, String> flat(String prefix) {
    Map<String, String> raw = binder.bind(prefix, FLAT).orElseGet(Map::of);
    Map<String, String> out = new TreeMap<>();
    Map<String, TreeMap<Integer, String>> lists = new TreeMap<>();
    raw.forEach(
        (name, value) -> {
          Matcher m = INDEXED.matcher(name);
          if (m.matches()) {
            lists
                .computeIfAbsent(m.group(1), k -> new TreeMap<>())
                .put(
                    Integer.parseInt(m.group(m.group(2) != null ? 2 : 3)),
                    value == null ? "" : value);
          } else {
            out.put(name, value == null ? "" : value);
          }
        });
    lists.forEach((name, items) -> out.put(name, String.join(",", items.values())));
    return out;
  }

  /** The names of the entries of a map-shaped section such as {@code backstop.consumers}. */
  public List<String> childNames(String prefix) {
    TreeSet<String> names = new TreeSet<>();
    for (String name : flat(prefix).keySet()) {
      int dot = name.indexOf('.');
      names.add(dot < 0 ? name : name.substring(0, dot));
    }
    return new ArrayList<>(names);
  }

  /**
   * Kafka client settings for {@code role} ({@code producer} or {@code consumer}) from {@code
   * spring.kafka.*}: bootstrap servers, client id, security protocol, {@code properties.*}, then
   * the role's {@code properties.*}.
   */
  public Map<String, Object> springKafka(String role) {
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("bootstrap.servers", "localhost:9092");
    binder
        .bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
        .ifBound(servers -> kafka.put("bootstrap.servers", String.join(",", servers)));
    binder
        .bind("spring.kafka." + role + ".bootstrap-servers", Bindable.listOf(String.class))
        .ifBound(servers -> kafka.put("bootstrap.servers", String.join(",", servers)));
    binder.bind("spring.kafka.client-id", String.class).ifBound(id -> kafka.put("client.id", id));
    binder
        .bind("spring.kafka.security.protocol", String.class)
        .ifBound(p -> kafka.put("security.protocol", p));
    kafka.putAll(flat("spring.kafka.properties"));
    kafka.putAll(flat("spring.kafka." + role + ".properties"));
    return kafka;
  }

  /**
   * Routes the entries of a section to module keys, starter keys and Kafka settings.
   *
   * @param entries names relative to the section, as from {@link #flat}
   * @param toFullName maps a relative name to the full key name the module or starter defines
   * @param keys the keys that may appear (module and starter), to match relaxed names
   * @param starterKeys the subset that the starter reads itself
   * @param kafkaBase client settings the section starts from
   */
  public static Section route(
      Map<String, String> entries,
      Function<String, String> toFullName,
      Function<String, String> toRelativeName,
      Collection<ConfigKey<?>> keys,
      Collection<ConfigKey<?>> starterKeys,
      Map<String, Object> kafkaBase) {
    Map<String, ConfigurationPropertyName> known = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys) {
      String relative = toRelativeName.apply(key.name());
      known.put(relative, ConfigurationPropertyName.of(relative));
    }
    List<String> starterNames = starterKeys.stream().map(ConfigKey::name).toList();
    Map<String, String> backstop = new TreeMap<>();
    Map<String, String> starter = new TreeMap<>();
    Map<String, Object> kafka = new LinkedHashMap<>(kafkaBase);
    entries.forEach(
        (name, value) -> {
          if (name.startsWith("kafka.")) {
            kafka.put(name.substring("kafka.".length()), value);
            return;
          }
          String full = toFullName.apply(canonical(name, known).orElse(name));
          (starterNames.contains(full) ? starter : backstop).put(full, value);
        });
    return new Section(backstop, starter, kafka);
  }

  /** The defined relative name that {@code name} is a relaxed form of. */
  static Optional<String> canonical(String name, Map<String, ConfigurationPropertyName> known) {
    ConfigurationPropertyName given;
    try {
      given = ConfigurationPropertyName.adapt(name, '.');
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return known.entrySet().stream()
        .filter(e -> e.getValue().equals(given))
        .map(Map.Entry::getKey)
        .findFirst();
  }
}
