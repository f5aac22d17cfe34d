package io.pulley.controller.rollout;

import io.pulley.controller.manifest.BatchSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The order a rollout takes its hosts in: the canary hosts alone first, then batches of {@link
 * BatchSize} until every host has had its turn. The sizes of batches after the canary come from all
 * the rollout's hosts, so "25%" of eight hosts is two hosts a batch whatever the canary took.
 */
public final class Batches {
  private Batches() {}

  /**
   * Splits {@code hosts}, already in rollout order, into batches.
   *
   * @param canary how many hosts go first, alone; at least one when there are hosts
   */
  public static List<List<String>> split(List<String> hosts, int canary, BatchSize size) {
    if (canary < 1) {
      throw new IllegalArgumentException("a rollout starts with at least one canary host");
    }
    List<List<String>> batches = new ArrayList<>();
    if (hosts.isEmpty()) {
      return batches;
    }
    int first = Math.min(canary, hosts.size());
    batches.add(List.copyOf(hosts.subList(0, first)));
    int step = size.of(hosts.size());
    for (int start = first; start < hosts.size(); start += step) {
      batches.add(List.copyOf(hosts.subList(start, Math.min(hosts.size(), start + step))));
    }
    return batches;
  }
}
