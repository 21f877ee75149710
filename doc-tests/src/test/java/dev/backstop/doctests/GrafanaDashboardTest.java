package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.idempotency.IdempotencyMetricNames;
import dev.backstop.retry.RetryMetricNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/grafana/backstop.json imports into Grafana and asks Prometheus only for meters Backstop
 * registers: every metric it names is one of the metric-name constants (outbox, consumer,
 * idempotency) as Micrometer's Prometheus registry writes it.
 */
class GrafanaDashboardTest {
  private static final Path DOCS = Path.of("..", "docs");
  private static final Pattern METRIC = Pattern.compile("\\bbackstop_[a-z0-9_]+");
  private static final Pattern CONSTANT =
      Pattern.compile("public static final String [A-Z_]+ = \"(backstop\\.[^\"]+)\"");
  private static final List<String> SUFFIXES =
      List.of(
          "",
          "_total",
          "_seconds",
          "_seconds_count",
          "_seconds_sum",
          "_seconds_max",
          "_count",
          "_sum",
          "_max");

  private static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(DOCS.resolve("grafana/backstop.json").toFile());
  }

  @Test
  void hasAPrometheusDatasourceVariableThatEveryPanelUses() throws IOException {
    JsonNode dashboard = dashboard();
    assertThat(dashboard.path("templating").path("list"))
        .anySatisfy(
            v -> {
              assertThat(v.path("name").asText()).isEqualTo("datasource");
              assertThat(v.path("type").asText()).isEqualTo("datasource");
              assertThat(v.path("query").asText()).isEqualTo("prometheus");
            });
    assertThat(dashboard.path("panels")).isNotEmpty();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
    }
  }

  @Test
  void namesOnlyMetricsThatBackstopRegisters() throws IOException {
    Set<String> known = new HashSet<>();
    for (String name : metricNames()) {
      String base = name.replace('.', '_').replace('-', '_');
      SUFFIXES.forEach(suffix -> known.add(base + suffix));
    }
    Set<String> referenced = new TreeSet<>();
    Matcher matcher = METRIC.matcher(dashboard().toString());
    while (matcher.find()) {
      referenced.add(matcher.group());
    }
    assertThat(referenced).isNotEmpty();
    assertThat(known).containsAll(referenced);
    assertThat(referenced)
        .contains(
            "backstop_consumer_lag_seconds",
            "backstop_outbox_oldest_pending_age_seconds",
            "backstop_consumer_end_to_end_latency_seconds",
            "backstop_consumer_circuit_state",
            "backstop_consumer_dead_lettered_total",
            "backstop_idempotency_duplicates_total");
  }

  /** The metric names of the consumer, idempotency and outbox constants classes. */
  private static Set<String> metricNames() throws IOException {
    Set<String> names = new HashSet<>();
    names.addAll(constants(RetryMetricNames.class));
    names.addAll(constants(IdempotencyMetricNames.class));
    // the outbox is not a dependency of this module: read its constants class
    String outbox =
        Files.readString(
            Path.of("..", "outbox/src/main/java/dev/backstop/outbox/OutboxMetricNames.java"));
    Matcher matcher = CONSTANT.matcher(outbox);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    assertThat(names).contains("backstop.outbox.oldest.pending.age");
    return names;
  }

  private static Set<String> constants(Class<?> type) {
    Set<String> names = new HashSet<>();
    for (Field field : type.getFields()) {
      try {
        if (Modifier.isStatic(field.getModifiers())
            && field.get(null) instanceof String value
            && value.startsWith("backstop.")) {
          names.add(value);
        }
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    return names;
  }
}
