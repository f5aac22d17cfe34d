package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A store in memory, for unit tests that are about something else. Thread-safe. */
public final class InMemoryStore implements Store {
  private final Map<AppEnv, List<Revision>> revisions = new TreeMap<>();
  private final Map<String, HostState> hosts = new TreeMap<>();
  private final Map<AppEnv, Map<String, Secret>> secrets = new TreeMap<>();
  private final Map<AppEnv, TreeMap<Long, Rollout>> rollouts = new TreeMap<>();
  private final Map<AppEnv, List<AuditEvent>> events = new TreeMap<>();
  private final Map<AppEnv, Set<Release>> quarantine = new TreeMap<>();
  private final Map<String, String> hostKeys = new TreeMap<>();
  private final Map<String, CommandDone> commandsDone = new TreeMap<>();
  private int hostWrites;

  @Override
  public synchronized boolean recordCommandDone(CommandDone done) {
    String key =
        done.app().application() + "\0" + done.app().environment() + "\0" + done.resourceId();
    return commandsDone.putIfAbsent(key, done) == null;
  }

  @Override
  public synchronized List<CommandDone> commandsDone() {
    return List.copyOf(commandsDone.values());
  }

  @Override
  public synchronized void putRollout(Rollout rollout) {
    rollouts
        .computeIfAbsent(AppEnv.of(rollout), k -> new TreeMap<>())
        .put(rollout.getRevision(), rollout);
  }

  @Override
  public synchronized List<Rollout> latestRollouts() {
    return rollouts.values().stream().map(byRevision -> byRevision.lastEntry().getValue()).toList();
  }

  @Override
  public synchronized List<Rollout> rollouts(AppEnv app, long fromRevision) {
    TreeMap<Long, Rollout> byRevision = rollouts.get(app);
    if (byRevision == null) {
      return List.of();
    }
    return List.copyOf(byRevision.tailMap(fromRevision, true).descendingMap().values());
  }

  @Override
  public synchronized void appendEvent(AuditEvent event) {
    events
        .computeIfAbsent(
            new AppEnv(event.getApplication(), event.getEnvironment()), k -> new ArrayList<>())
        .add(0, event);
  }

  @Override
  public synchronized List<AuditEvent> events(AppEnv app, int limit) {
    List<AuditEvent> all = events.getOrDefault(app, List.of());
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  @Override
  public synchronized void quarantine(AppEnv app, Release release, Instant at) {
    quarantine.computeIfAbsent(app, k -> new HashSet<>()).add(release);
  }

  @Override
  public synchronized Set<Release> quarantined(AppEnv app) {
    return Set.copyOf(quarantine.getOrDefault(app, Set.of()));
  }

  @Override
  public synchronized Optional<String> sshHostKey(String hostPort) {
    return Optional.ofNullable(hostKeys.get(hostPort));
  }

  @Override
  public synchronized void putSshHostKey(String hostPort, String key, Instant at) {
    hostKeys.put(hostPort, key);
  }

  @Override
  public synchronized Revision appendRevision(Revision revision) {
    List<Revision> history = revisions.computeIfAbsent(AppEnv.of(revision), k -> new ArrayList<>());
    Revision stored = revision.toBuilder().setNumber(history.size() + 1).build();
    history.add(stored);
    return stored;
  }

  @Override
  public synchronized Optional<Revision> currentRevision(AppEnv app) {
    List<Revision> history = revisions.getOrDefault(app, List.of());
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  @Override
  public synchronized Optional<Revision> revision(AppEnv app, long number) {
    List<Revision> history = revisions.getOrDefault(app, List.of());
    return number < 1 || number > history.size()
        ? Optional.empty()
        : Optional.of(history.get((int) number - 1));
  }

  @Override
  public synchronized List<Revision> listRevisions(AppEnv app, int limit) {
    List<Revision> newestFirst = new ArrayList<>(revisions.getOrDefault(app, List.of()));
    newestFirst.sort(Comparator.comparingLong(Revision::getNumber).reversed());
    return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
  }

  @Override
  public synchronized List<Revision> currentRevisions() {
    List<Revision> current = new ArrayList<>();
    for (List<Revision> history : revisions.values()) {
      current.add(history.get(history.size() - 1));
    }
    return current;
  }

  @Override
  public synchronized void putHost(HostState host) {
    hostWrites++;
    hosts.put(host.getHostId(), host);
  }

  @Override
  public synchronized Optional<HostState> host(String hostId) {
    return Optional.ofNullable(hosts.get(hostId));
  }

  @Override
  public synchronized List<HostState> hosts() {
    return List.copyOf(hosts.values());
  }

  /** How many host records were written, to check that polls are batched. */
  public synchronized int hostWrites() {
    return hostWrites;
  }

  @Override
  public synchronized Map<String, String> secrets(AppEnv app) {
    Map<String, String> values = new TreeMap<>();
    secrets.getOrDefault(app, Map.of()).forEach((name, secret) -> values.put(name, secret.value()));
    return Collections.unmodifiableMap(values);
  }

  @Override
  public synchronized List<SecretEntry> secretEntries(AppEnv app) {
    return secrets.getOrDefault(app, Map.of()).values().stream().map(Secret::entry).toList();
  }

  @Override
  public synchronized boolean putSecretIfAbsent(
      AppEnv app, String name, String value, Instant generatedAt) {
    Secret secret =
        new Secret(new SecretEntry(name, true, generatedAt, SecretEntry.CONTROLLER), value);
    return secretsOf(app).putIfAbsent(name, secret) == null;
  }

  @Override
  public synchronized boolean putSecret(
      AppEnv app, String name, String value, Instant setAt, String setBy) {
    Secret secret = new Secret(new SecretEntry(name, false, setAt, setBy), value);
    return secretsOf(app).put(name, secret) == null;
  }

  /** Stores a secret as an admin would set it, at the epoch, for tests about something else. */
  public void putSecret(AppEnv app, String name, String value) {
    putSecret(app, name, value, Instant.EPOCH, "test");
  }

  private Map<String, Secret> secretsOf(AppEnv app) {
    return secrets.computeIfAbsent(app, k -> new TreeMap<>());
  }

  @Override
  public void close() {}

  private record Secret(SecretEntry entry, String value) {}
}
