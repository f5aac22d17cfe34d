package io.pulley.controller.hosts;

import io.pulley.controller.store.Store;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostHealth;
import io.pulley.v1.HostState;
import io.pulley.v1.PollRequest;
import io.pulley.wire.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every host the controller has heard from: its facts, health, applied plan and last report.
 *
 * <p>Thread-safe. Kept in memory; what polls change is written to the store in batches by {@link
 * #flush()} (the server calls it every second), so a burst of 10,000 connecting agents costs a few
 * transactions, not 10,000 synchronous writes. "Last seen" alone marks a host for writing at most
 * every {@link #LAST_SEEN_WRITE_INTERVAL}. Reports are written through at once.
 */
public final class HostRegistry {
  private static final Logger log = LoggerFactory.getLogger(HostRegistry.class);
  static final Duration LAST_SEEN_WRITE_INTERVAL = Duration.ofMinutes(5);

  private final Store store;
  private final Clock clock;
  private final LabelBinding binding;
  private final Map<String, Entry> hosts = new ConcurrentHashMap<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();

  public HostRegistry(Store store, Clock clock) {
    this(store, clock, LabelBinding.AS_REPORTED);
  }

  /** A registry in which each host's labels are the ones {@code binding} gives, where it does. */
  public HostRegistry(Store store, Clock clock, LabelBinding binding) {
    this.store = store;
    this.clock = clock;
    this.binding = binding;
    for (HostState stored : store.hosts()) {
      HostState host = bounded(stored);
      hosts.put(host.getHostId(), new Entry(host, ProtoTime.instant(host.getLastSeen())));
    }
  }

  /** Records what a poll says about its host. */
  public void recordPoll(PollRequest request) {
    Instant now = clock.instant();
    hosts.compute(
        request.getHostId(),
        (id, entry) -> {
          HostState previous = entry == null ? HostState.getDefaultInstance() : entry.state;
          HostState updated =
              previous.toBuilder()
                  .setHostId(id)
                  .setFacts(bound(id, ReportBounds.bounded(request.getFacts())))
                  .setAppliedPlanId(request.getAppliedPlanId())
                  .setHealth(request.getHealth())
                  .setLastSeen(ProtoTime.timestamp(now))
                  .setPollHoldSeconds(request.getHoldSeconds())
                  .build();
          boolean meaningful =
              entry == null
                  || !previous.getFacts().equals(updated.getFacts())
                  || !previous.getAppliedPlanId().equals(updated.getAppliedPlanId())
                  || previous.getHealth() != updated.getHealth()
                  || previous.getPollHoldSeconds() != updated.getPollHoldSeconds();
          Instant persisted = entry == null ? Instant.EPOCH : entry.persistedAt;
          if (meaningful || now.isAfter(persisted.plus(LAST_SEEN_WRITE_INTERVAL))) {
            dirty.add(id);
            persisted = now;
          }
          return new Entry(updated, persisted);
        });
  }

  /**
   * Records an apply report, its text bounded by {@link ReportBounds#bounded}; the host's health
   * follows the report's outcome. The caller has refused a report over a hard limit.
   */
  public void recordReport(ApplyReport received) {
    ApplyReport report = ReportBounds.bounded(received);
    Instant now = clock.instant();
    hosts.compute(
        report.getHostId(),
        (id, entry) -> {
          HostState previous =
              entry == null ? HostState.newBuilder().setHostId(id).build() : entry.state;
          HostState.Builder updated =
              previous.toBuilder()
                  .setLastReport(report)
                  .setLastReportAt(ProtoTime.timestamp(now))
                  .setLastSeen(ProtoTime.timestamp(now));
          if (report.getOutcome() == ApplyOutcome.APPLY_OUTCOME_SUCCEEDED) {
            updated
                .setHealth(HostHealth.HOST_HEALTH_HEALTHY)
                .setAppliedPlanId(report.getPlanId())
                .clearAppliedRevisions()
                .addAllAppliedRevisions(report.getRevisionsList());
          } else {
            updated.setHealth(HostHealth.HOST_HEALTH_DEGRADED);
          }
          HostState state = updated.build();
          store.putHost(state);
          return new Entry(state, now);
        });
  }

  /** Replaces a host's labels with the ones now bound to it; nothing if it never polled. */
  public void relabel(String hostId, Map<String, String> labels) {
    hosts.computeIfPresent(
        hostId,
        (id, entry) -> {
          HostFacts facts =
              entry.state.getFacts().toBuilder().clearLabels().putAllLabels(labels).build();
          dirty.add(id);
          return new Entry(entry.state.toBuilder().setFacts(facts).build(), entry.persistedAt);
        });
  }

  /** Forgets a host (its stored record is removed by the caller's store transaction). */
  public void forget(String hostId) {
    hosts.remove(hostId);
    dirty.remove(hostId);
  }

  /** One host as last heard of. */
  public Optional<HostState> get(String hostId) {
    Entry entry = hosts.get(hostId);
    return entry == null ? Optional.empty() : Optional.of(entry.state);
  }

  /** Every host, ordered by id. */
  public List<HostState> all() {
    List<HostState> all = new ArrayList<>();
    for (Entry entry : hosts.values()) {
      all.add(entry.state);
    }
    all.sort(Comparator.comparing(HostState::getHostId));
    return all;
  }

  /** Writes the hosts that polls changed since the last flush, in one batch. */
  public void flush() {
    List<String> ids = List.copyOf(dirty);
    List<HostState> batch = new ArrayList<>();
    for (String id : ids) {
      dirty.remove(id);
      Entry entry = hosts.get(id);
      if (entry != null) {
        batch.add(entry.state);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.putHosts(batch);
    } catch (RuntimeException e) {
      dirty.addAll(ids);
      throw e;
    }
  }

  private HostFacts bound(String hostId, HostFacts reported) {
    return binding
        .labelsOf(hostId)
        .map(labels -> reported.toBuilder().clearLabels().putAllLabels(labels).build())
        .orElse(reported);
  }

  /**
   * A host as stored, bounded as if it had just been received: a report stored before the limits
   * existed, or over them, must not fill the heap or every ListHosts answer at each start.
   */
  private static HostState bounded(HostState stored) {
    HostState.Builder host = stored.toBuilder().setFacts(ReportBounds.bounded(stored.getFacts()));
    if (stored.hasLastReport()) {
      Optional<String> refusal = ReportBounds.refusal(stored.getLastReport());
      if (refusal.isPresent()) {
        log.warn(
            "dropping the stored last report of host {}: {}",
            SafeText.line(stored.getHostId()),
            refusal.get());
        host.clearLastReport();
      } else {
        host.setLastReport(ReportBounds.bounded(stored.getLastReport()));
      }
    }
    return host.build();
  }

  private record Entry(HostState state, Instant persistedAt) {}
}
