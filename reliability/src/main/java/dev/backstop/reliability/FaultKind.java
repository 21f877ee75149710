package dev.backstop.reliability;

/** The faults a run injects on a schedule. */
public enum FaultKind {
  /** The relay's process dies in the middle of its work; a new relay instance starts. */
  RELAY_KILLED,
  /** Every broker of the cluster stops, then starts again on the same address. */
  CLUSTER_RESTARTED,
  /** One broker of the three stops, then starts again. */
  BROKER_KILLED,
  /** Every PostgreSQL session of the pipeline is terminated (a failover). */
  DATABASE_CONNECTIONS_TERMINATED,
  /** The consumer dies after its database transaction committed, before its offset commit. */
  CONSUMER_KILLED_BEFORE_COMMIT,
  /** The handler's dependency fails every call for a while, so the circuit opens. */
  DEPENDENCY_OUTAGE,
  /** The group's offsets are moved back, so already applied records are delivered again. */
  OFFSETS_RESET
}
