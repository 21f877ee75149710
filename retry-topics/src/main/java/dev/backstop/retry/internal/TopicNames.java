package dev.backstop.retry.internal;

import dev.backstop.core.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Names of tier and dead-letter topics and of tier consumer groups, from the templates. Immutable
 * and thread-safe.
 */
public final class TopicNames {

  /** A tier topic: the source topic it retries and its delay. */
  public record Tier(String topic, String source, Duration delay) {}

  private final String group;
  private final String tierTemplate;
  private final String dlqTemplate;
  private final String heldTemplate;
  private final Map<String, Tier> tiersByTopic = new LinkedHashMap<>();

  /**
   * @param delays every tier delay in use (the configured tiers and every rule's own)
   */
  public TopicNames(
      String group,
      List<String> sources,
      Collection<Duration> delays,
      String tierTemplate,
      String dlqTemplate) {
    this(group, sources, delays, tierTemplate, dlqTemplate, "{topic}.held");
  }

  /**
   * @param delays every tier delay in use (the configured tiers and every rule's own)
   * @param heldTemplate the name template of held-keys topics
   */
  public TopicNames(
      String group,
      List<String> sources,
      Collection<Duration> delays,
      String tierTemplate,
      String dlqTemplate,
      String heldTemplate) {
    this.heldTemplate = heldTemplate;
    this.group = group;
    this.tierTemplate = tierTemplate;
    this.dlqTemplate = dlqTemplate;
    for (String source : sources) {
      for (Duration delay : new TreeSet<>(delays)) {
        String topic = tierTopic(source, delay);
        tiersByTopic.put(topic, new Tier(topic, source, delay));
      }
    }
  }

  /** {@code {topic}.retry.{delay}} → {@code orders.retry.1s}. */
  public String tierTopic(String source, Duration delay) {
    return tierTemplate
        .replace("{topic}", source)
        .replace("{delay}", Durations.format(delay))
        .replace("{group}", group);
  }

  /** {@code {topic}.dlq} → {@code orders.dlq}. */
  public String dlqTopic(String source) {
    return dlqTemplate.replace("{topic}", source).replace("{group}", group);
  }

  /**
   * {@code {topic}.held} → {@code orders.held}: which keys of the source are held, and behind what.
   */
  public String heldTopic(String source) {
    return heldTemplate.replace("{topic}", source).replace("{group}", group);
  }

  /** The consumer group of the tier consumer that serves {@code delay}. */
  public String tierGroup(Duration delay) {
    return group + ".retry." + Durations.format(delay);
  }

  /** The tier a topic is, or empty for a source topic. */
  public Optional<Tier> tier(String topic) {
    return Optional.ofNullable(tiersByTopic.get(topic));
  }

  /** Every tier topic, by delay then source. */
  public Map<Duration, List<String>> tierTopicsByDelay() {
    Map<Duration, List<String>> byDelay = new java.util.TreeMap<>();
    for (Tier tier : tiersByTopic.values()) {
      byDelay.computeIfAbsent(tier.delay(), d -> new java.util.ArrayList<>()).add(tier.topic());
    }
    return byDelay;
  }

  public Collection<Tier> tiers() {
    return tiersByTopic.values();
  }
}
