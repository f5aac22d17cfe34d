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

  /**
   * Returns the names of the servers it removed. Another JVM may boot a server meanwhile: it claims
   * the server's address before it makes anything of it, so what is live is read after what is
   * there (a server seen is then one whose claim is already written).
   */
  Set<String> sweep() {
    Set<String> seen = new TreeSet<>();
    network
        .claims()
        .forEach(claim -> claim.name().filter(n -> n.startsWith(PREFIX)).ifPresent(seen::add));
    seen.addAll(netnsNames());
    seen.addAll(Cgroups.names(PREFIX));
    seen.addAll(NspawnProcesses.machines(PREFIX));
    seen.addAll(serverDirs());
    seen.removeAll(liveNames());
    ServerTeardown teardown = new ServerTeardown(dirs);
    for (String name : seen) {
      log.info("sweeping leftover server {}", name);
      teardown.remove(name, POWEROFF);
    }
    Instant now = Instant.now();
    for (Claims.Claim claim : network.claims()) {
      if (!claim.isLive(now)) {
        network.deleteClaim(claim.key());
      }
    }
    removeStrayVeths();
    network.removeBridgeIfUnused();
    return seen;
  }

  /** The servers whose claims are live now. */
  private Set<String> liveNames() {
    Instant now = Instant.now();
    return network.claims().stream()
        .filter(claim -> claim.isLive(now))
        .flatMap(claim -> claim.name().stream())
        .collect(Collectors.toSet());
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

  /**
   * A host-side veth outlives its namespace only if deleting the namespace failed half-way. The
   * links are listed before the claims are read: a veth made by a server booting meanwhile has its
   * claim written first, so it is never taken for a stray (which cut such a server off its
   * network).
   */
  private void removeStrayVeths() {
    ExecResult links = HostCommand.run(Duration.ofSeconds(20), List.of("ip", "-o", "link", "show"));
    Set<String> live = liveNames();
    Set<String> liveVeths =
        network.claims().stream()
            .filter(claim -> claim.key().startsWith(TestNetwork.SUBNET_PREFIX))
            .filter(claim -> claim.name().map(live::contains).orElse(false))
            .map(claim -> TestNetwork.vethFor(claim.key()))
            .collect(Collectors.toSet());
    links
        .stdout()
        .lines()
        .map(line -> line.split(": ")[1].split("@")[0])
        .filter(link -> link.startsWith(TestNetwork.VETH_PREFIX) && !liveVeths.contains(link))
        .forEach(TestNetwork::deleteLink);
  }
}
