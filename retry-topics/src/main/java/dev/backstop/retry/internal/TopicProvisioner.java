package dev.backstop.retry.internal;

import dev.backstop.core.Durations;
import dev.backstop.core.Sleeper;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.TopicProvisioningException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that every tier and dead-letter topic exists with at least the source's partition
 * count and (for tiers) a retention longer than the delay; creates missing ones when configured to.
 * Never creates or alters a source topic. Stateless; thread-safe.
 */
final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_CREATED_RETENTION = Duration.ofDays(7);
  private static final Duration LEADER_CHECK_INTERVAL = Duration.ofMillis(50);

  /** A topic the wrapper needs: partitions at least, retention longer than a delay (or null). */
  private record Need(
      String topic, String purpose, int partitions, Duration delay, boolean compacted) {
    Need(String topic, String purpose, int partitions, Duration delay) {
      this(topic, purpose, partitions, delay, false);
    }
  }

  private TopicProvisioner() {}

  /**
   * Checks the topics, creating the missing ones when configured to; returns once every created
   * topic has a leader for each partition, so the first forwards do not race the broker's metadata.
   */
  static void ensure(
      Admin admin, ReliableConsumerConfig config, TopicNames names, Sleeper sleeper) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> sources = partitions(admin, config.topics());
    for (String source : config.topics()) {
      if (!sources.containsKey(source)) {
        problems.add("Source topic " + source + " does not exist");
      }
    }
    if (!problems.isEmpty()) {
      throw new TopicProvisioningException(problems);
    }
    Map<String, Need> needs = needs(config, names, sources);
    Set<String> existing = get(admin.listTopics().names());
    List<Need> missing =
        needs.values().stream().filter(n -> !existing.contains(n.topic())).toList();
    if (config.createTopics()) {
      create(admin, config, missing);
      awaitLeaders(admin, missing.stream().map(Need::topic).toList(), sleeper);
    } else {
      for (Need need : missing) {
        problems.add(
            "Topic "
                + need.topic()
                + " ("
                + need.purpose()
                + ") does not exist: create it with at least "
                + need.partitions()
                + " partitions, or set "
                + ReliableConsumerConfig.CREATE_TOPICS.name()
                + "=true");
      }
    }
    List<String> present = needs.keySet().stream().filter(existing::contains).toList();
    Map<String, Integer> counts = partitions(admin, present);
    Map<String, Long> retentions = retentions(admin, present);
    for (String topic : present) {
      Need need = needs.get(topic);
      if (counts.getOrDefault(topic, 0) < need.partitions()) {
        problems.add(
            "Topic "
                + topic
                + " ("
                + need.purpose()
                + ") has "
                + counts.get(topic)
                + " partitions, fewer than the "
                + need.partitions()
                + " of its source");
      }
      if (need.compacted() && !compacted(admin, topic)) {
        problems.add(
            "Topic "
                + topic
                + " ("
                + need.purpose()
                + ") must be compacted (cleanup.policy=compact): with deletion, held keys are lost");
      }
      long retention = retentions.getOrDefault(topic, -1L);
      if (need.delay() != null && retention >= 0 && retention <= need.delay().toMillis()) {
        problems.add(
            "Topic "
                + topic
                + " keeps records "
                + retention
                + " ms (retention.ms), not longer than its delay "
                + Durations.format(need.delay()));
      }
    }
    if (!problems.isEmpty()) {
      throw new TopicProvisioningException(problems);
    }
  }

  private static Map<String, Need> needs(
      ReliableConsumerConfig config, TopicNames names, Map<String, Integer> sources) {
    Map<String, Need> needs = new LinkedHashMap<>();
    for (TopicNames.Tier tier : names.tiers()) {
      needs.put(
          tier.topic(),
          new Need(
              tier.topic(),
              "tier " + Durations.format(tier.delay()) + " of " + tier.source(),
              sources.get(tier.source()),
              tier.delay()));
    }
    for (String source : config.topics()) {
      String dlq = names.dlqTopic(source);
      int partitions =
          Math.max(
              sources.get(source),
              Optional.ofNullable(needs.get(dlq)).map(Need::partitions).orElse(0));
      needs.put(dlq, new Need(dlq, "dead letters of " + source, partitions, null));
      if (config.preservesKeyOrder()) {
        String held = names.heldTopic(source);
        needs.put(held, new Need(held, "held keys of " + source, sources.get(source), null, true));
      }
    }
    return needs;
  }

  private static void create(Admin admin, ReliableConsumerConfig config, List<Need> missing) {
    if (missing.isEmpty()) {
      return;
    }
    List<NewTopic> topics = new ArrayList<>();
    for (Need need : missing) {
      Optional<Short> replication =
          config.replicationFactor() < 0
              ? Optional.empty()
              : Optional.of((short) config.replicationFactor());
      NewTopic topic = new NewTopic(need.topic(), Optional.of(need.partitions()), replication);
      if (need.delay() != null) {
        Duration retention = need.delay().multipliedBy(2);
        retention =
            retention.compareTo(MIN_CREATED_RETENTION) < 0 ? MIN_CREATED_RETENTION : retention;
        topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
      }
      if (need.compacted()) {
        topic.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(topic);
    }
    admin
        .createTopics(topics)
        .values()
        .forEach(
            (name, future) -> {
              try {
                future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created topic {}", name);
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                  throw new TopicProvisioningException(
                      List.of("Cannot create topic " + name + ": " + e.getCause()));
                }
              } catch (InterruptedException | TimeoutException e) {
                throw interrupted("creating topic " + name, e);
              }
            });
  }

  private static void awaitLeaders(Admin admin, List<String> topics, Sleeper sleeper) {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (!topics.isEmpty() && !allLed(admin, topics)) {
      if (System.nanoTime() > deadline) {
        throw new TopicProvisioningException(
            List.of("Created topics " + topics + " have no leader after " + ADMIN_TIMEOUT));
      }
      try {
        sleeper.sleep(LEADER_CHECK_INTERVAL);
      } catch (InterruptedException e) {
        throw interrupted("waiting for the leaders of " + topics, e);
      }
    }
  }

  private static boolean allLed(Admin admin, List<String> topics) {
    try {
      Collection<TopicDescription> described =
          admin
              .describeTopics(topics)
              .allTopicNames()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .values();
      return described.stream()
              .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))
          && leadersAnswer(admin, described);
    } catch (ExecutionException e) {
      return false; // not visible yet
    } catch (InterruptedException | TimeoutException e) {
      throw interrupted("describing topics " + topics, e);
    }
  }

  /**
   * Whether the leader of every partition answers for it: a broker named leader by the controller
   * can still refuse a produce with NOT_LEADER_OR_FOLLOWER for a moment, and an idempotent
   * producer's first forwards that meet it can end in a loop of out-of-order sequence errors.
   * Reading the latest offset goes to the leader, so it succeeds only once the leader is ready.
   */
  private static boolean leadersAnswer(Admin admin, Collection<TopicDescription> described)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription d : described) {
      d.partitions()
          .forEach(
              p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  private static Map<String, Integer> partitions(Admin admin, Collection<String> topics) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    admin
        .describeTopics(topics)
        .topicNameValues()
        .forEach(
            (name, future) -> {
              try {
                TopicDescription description =
                    future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                counts.put(name, description.partitions().size());
              } catch (ExecutionException e) {
                LOG.debug("Cannot describe topic {}: {}", name, e.getCause().toString());
              } catch (InterruptedException | TimeoutException e) {
                throw interrupted("describing topic " + name, e);
              }
            });
    return counts;
  }

  private static Map<String, Long> retentions(Admin admin, Collection<String> topics) {
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all());
    Map<String, Long> retentions = new LinkedHashMap<>();
    configs.forEach(
        (resource, config) -> {
          ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
          if (entry != null && entry.value() != null) {
            retentions.put(resource.name(), Long.parseLong(entry.value()));
          }
        });
    return retentions;
  }

  private static boolean compacted(Admin admin, String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    return policy != null
        && policy.value() != null
        && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicProvisioningException(
          List.of("Cannot check the retry topics: " + e.getCause()));
    } catch (InterruptedException | TimeoutException e) {
      throw interrupted("checking the retry topics", e);
    }
  }

  private static TopicProvisioningException interrupted(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new TopicProvisioningException(List.of("Gave up " + what + ": " + e));
  }
}
