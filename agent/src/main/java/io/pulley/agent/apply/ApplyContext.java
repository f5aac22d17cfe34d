package io.pulley.agent.apply;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a resource executor may know about the application it converges: its name, its secrets,
 * which of its resources changed earlier in this apply, and a directory where executors keep what
 * they must remember between applies (written contents for drift, pending restarts). One per
 * application per apply; used from the apply thread only.
 */
public final class ApplyContext {
  private final String application;
  private final String environment;
  private final long revision;
  private final Map<String, String> secrets;
  private final Set<String> changed = new HashSet<>();
  private final Path stateDir;

  /**
   * @param revision the revision of the manifest the application's part of the plan came from
   * @param secrets the application's secrets by name; values never go into a log or a report
   * @param stateDir where executors keep state between applies; created on first use
   */
  public ApplyContext(
      String application,
      String environment,
      long revision,
      Map<String, String> secrets,
      Path stateDir) {
    this.application = Objects.requireNonNull(application, "application");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.revision = revision;
    this.secrets = Map.copyOf(secrets);
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
  }

  public String application() {
    return application;
  }

  public String environment() {
    return environment;
  }

  /** The manifest revision being applied: a new one is a deliberate change by an admin. */
  public long revision() {
    return revision;
  }

  /** The secret {@code name}, if the controller sent it. */
  public Optional<String> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  /** Every secret value, so that output can be scrubbed of them. */
  public Map<String, String> secrets() {
    return secrets;
  }

  /** Ids of this application's resources that changed earlier in this apply. */
  public Set<String> changedResources() {
    return Collections.unmodifiableSet(changed);
  }

  /** Records that resource {@code id} changed; the {@link Applier} calls this. */
  void markChanged(String id) {
    changed.add(id);
  }

  /**
   * A directory for executor state between applies, kept per application and environment under the
   * agent's data dir (root-only), such as {@code converge/APP/ENV}.
   */
  public Path stateDir() {
    return stateDir;
  }
}
