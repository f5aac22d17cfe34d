package io.pulley.controller.store;

import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A store in memory, for unit tests that are about something else. Thread-safe. */
public final class InMemoryStore implements Store {
  private final Map<String, List<Revision>> revisions = new TreeMap<>();
  private final Map<String, HostState> hosts = new TreeMap<>();
  private final Map<String, Map<String, String>> secrets = new TreeMap<>();
  private int hostWrites;

  @Override
  public synchronized Revision appendRevision(Revision revision) {
    List<Revision> history =
        revisions.computeIfAbsent(
            key(revision.getApplication(), revision.getEnvironment()), k -> new ArrayList<>());
    Revision stored = revision.toBuilder().setNumber(history.size() + 1).build();
    history.add(stored);
    return stored;
  }

  @Override
  public synchronized Optional<Revision> currentRevision(String application, String environment) {
    List<Revision> history = revisions.getOrDefault(key(application, environment), List.of());
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  @Override
  public synchronized Optional<Revision> revision(
      String application, String environment, long number) {
    List<Revision> history = revisions.getOrDefault(key(application, environment), List.of());
    return number < 1 || number > history.size()
        ? Optional.empty()
        : Optional.of(history.get((int) number - 1));
  }

  @Override
  public synchronized List<Revision> listRevisions(
      String application, String environment, int limit) {
    List<Revision> newestFirst =
        new ArrayList<>(revisions.getOrDefault(key(application, environment), List.of()));
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
  public synchronized Map<String, String> secrets(String application, String environment) {
    return java.util.Collections.unmodifiableMap(
        new TreeMap<>(secrets.getOrDefault(key(application, environment), Map.of())));
  }

  @Override
  public synchronized boolean putSecretIfAbsent(
      String application, String environment, String name, String value) {
    return secrets
            .computeIfAbsent(key(application, environment), k -> new TreeMap<>())
            .putIfAbsent(name, value)
        == null;
  }

  @Override
  public synchronized void putSecret(
      String application, String environment, String name, String value) {
    secrets.computeIfAbsent(key(application, environment), k -> new TreeMap<>()).put(name, value);
  }

  @Override
  public void close() {}

  private static String key(String application, String environment) {
    return application + "\u0000" + environment;
  }
}
