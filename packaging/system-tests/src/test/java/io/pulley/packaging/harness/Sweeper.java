package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes leftovers of earlier, interrupted runs: every {@value #PREFIX}… server, namespace,
 * cgroup, copy or claim whose owner process is gone. Servers of live owners (another JVM's tests, a
 * server booted by {@code pristine.sh}) are left alone. Idempotent; safe to run at any time.
 */
final class Sweeper {

  static final String PREFIX = "pulley-t-";
  private static final Duration POWEROFF = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  private final HarnessDirs dirs;
  private final TestNetwork network;

  Sweeper(HarnessDirs dirs) {
    this.dirs = dirs;
    this.network = new TestNetwork(dirs);
  }

  /** Returns the names of the servers it removed. */
  Set<String> sweep() {
    Instant now = Instant.now();
    List<Claims.Claim> claims = network.claims();
    Set<String> live =
        claims.stream()
            .filter(claim -> claim.isLive(now))
            .flatMap(claim -> claim.name().stream())
            .collect(Collectors.toSet());
    Set<String> seen = new TreeSet<>();
    claims.forEach(claim -> claim.name().filter(n -> n.startsWith(PREFIX)).ifPresent(seen::add));
    seen.addAll(netnsNames());
    seen.addAll(Cgroups.names(PREFIX));
    seen.addAll(NspawnProcesses.machines(PREFIX));
    seen.addAll(serverDirs());
    seen.removeAll(live);
    ServerTeardown teardown = new ServerTeardown(dirs);
    for (String name : seen) {
      log.info("sweeping leftover server {}", name);
      teardown.remove(name, POWEROFF);
    }
    for (Claims.Claim claim : network.claims()) {
      if (!claim.isLive(now)) {
        network.deleteClaim(claim.key());
      }
    }
    removeStrayVeths(live);
    network.removeBridgeIfUnused();
    return seen;
  }

  /** Removes every server {@code owner} claimed, booted or still booting. */
  void removeOwnedBy(Owner owner) {
    ServerTeardown teardown = new ServerTeardown(dirs);
    for (Claims.Claim claim : network.claims()) {
      if (claim.owner().equals(java.util.Optional.of(owner))
          && claim.key().startsWith(TestNetwork.SUBNET_PREFIX)) {
        claim.name().ifPresent(name -> teardown.remove(name, POWEROFF));
      }
    }
  }

  private static List<String> netnsNames() {
    ExecResult list = HostCommand.run(Duration.ofSeconds(20), List.of("ip", "netns", "list"));
    return list.stdout()
        .lines()
        .map(line -> line.split(" ")[0])
        .filter(name -> name.startsWith(PREFIX))
        .toList();
  }

  private List<String> serverDirs() {
    if (!Files.isDirectory(dirs.servers())) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dirs.servers())) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .map(file -> file.endsWith(".console") ? file.substring(0, file.length() - 8) : file)
          .filter(name -> name.startsWith(PREFIX))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A host-side veth outlives its namespace only if deleting the namespace failed half-way. */
  private void removeStrayVeths(Set<String> live) {
    Set<String> liveVeths =
        network.claims().stream()
            .filter(claim -> claim.key().startsWith(TestNetwork.SUBNET_PREFIX))
            .filter(claim -> claim.name().map(live::contains).orElse(false))
            .map(claim -> TestNetwork.vethFor(claim.key()))
            .collect(Collectors.toSet());
    ExecResult links = HostCommand.run(Duration.ofSeconds(20), List.of("ip", "-o", "link", "show"));
    links
        .stdout()
        .lines()
        .map(line -> line.split(": ")[1].split("@")[0])
        .filter(link -> link.startsWith(TestNetwork.VETH_PREFIX) && !liveVeths.contains(link))
        .forEach(TestNetwork::deleteLink);
  }
}
