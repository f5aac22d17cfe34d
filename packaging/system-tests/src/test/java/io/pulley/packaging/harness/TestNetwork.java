package io.pulley.packaging.harness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test servers' network: a host-side bridge {@value #BRIDGE} with {@value #HOST_ADDRESS}/24,
 * and per server a network namespace whose {@code eth0} (a veth whose peer sits on the bridge) has
 * {@code 169.254.77.N/24}.
 *
 * <p>Only link-local addresses (169.254.0.0/16) are used: they never leave this machine's links, so
 * no test can send traffic to a real network, and they cannot collide with a private range the
 * machine may route. The namespaces get no default route, so a server can reach the host side and
 * its peers on the bridge and nothing else. A controller under test listens on {@link
 * #hostAddress()}. Thread-safe; addresses are allocated through {@link Claims}, so several JVMs may
 * share the bridge. The bridge is removed when the last claim on it is released.
 */
public final class TestNetwork {

  public static final String BRIDGE = "pulleybr0";
  public static final String HOST_ADDRESS = "169.254.77.1";
  static final String SUBNET_PREFIX = "169.254.77.";
  static final int PREFIX_LENGTH = 24;
  static final String VETH_PREFIX = "pulley-t-v";
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);
  private static final Logger log = LoggerFactory.getLogger(TestNetwork.class);
  private static final AtomicInteger holds = new AtomicInteger();

  private final Claims claims;

  /** Beside the claims, not among them: one per machine, emptied at boot as the network is. */
  private final Path bridgeLock;

  TestNetwork(HarnessDirs dirs) {
    this.claims = new Claims(dirs.claims());
    this.bridgeLock = dirs.claims().resolveSibling("bridge.lock");
  }

  /** Where servers reach the host: bind a controller here (port 0) while a {@link Hold} is open. */
  public static InetAddress hostAddress() {
    try {
      return InetAddress.getByName(HOST_ADDRESS);
    } catch (UnknownHostException e) {
      throw new AssertionError("a literal address always parses", e);
    }
  }

  /**
   * Brings the bridge up and keeps it up until closed, for a test that binds to {@link
   * #hostAddress()} before booting servers or outlives them.
   */
  public static Hold hold() {
    TestNetwork network = new TestNetwork(HarnessDirs.fromEnvironment());
    Owner owner = Owner.current();
    String key = "hold-" + owner.pid() + "-" + holds.incrementAndGet();
    network.claims.create(key, "hold", owner);
    network.ensureBridge();
    return new Hold(network, key);
  }

  /** Keeps the bridge (and {@link #hostAddress()}) up while open. Close is idempotent. */
  public static final class Hold implements AutoCloseable {
    private final TestNetwork network;
    private final String key;
    private boolean closed;

    private Hold(TestNetwork network, String key) {
      this.network = network;
      this.key = key;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        network.claims.delete(key);
        network.removeBridgeIfUnused();
      }
    }
  }

  /** A server's place on the network. */
  record Attachment(String name, String address, String veth) {}

  /** Claims a free address for {@code name} and builds its namespace and veth pair. */
  Attachment attach(String name, Owner owner) {
    Attachment attachment = claimAddress(name, owner);
    try {
      ensureBridge();
      ip("netns", "add", name);
      ip("link", "add", attachment.veth(), "type", "veth", "peer", "name", "eth0", "netns", name);
      ip("link", "set", attachment.veth(), "master", BRIDGE, "up");
      ip("-n", name, "addr", "add", attachment.address() + "/" + PREFIX_LENGTH, "dev", "eth0");
      ip("-n", name, "link", "set", "eth0", "up");
      ip("-n", name, "link", "set", "lo", "up");
      return attachment;
    } catch (RuntimeException e) {
      detach(name);
      throw e;
    }
  }

  /** Removes {@code name}'s namespace, veth and claim; idempotent. */
  void detach(String name) {
    HostCommand.run(IP_TIMEOUT, List.of("ip", "netns", "delete", name));
    for (Claims.Claim claim : claims.all()) {
      if (claim.name().equals(Optional.of(name)) && claim.key().startsWith(SUBNET_PREFIX)) {
        deleteLink(vethFor(claim.key()));
        claims.delete(claim.key());
      }
    }
    removeBridgeIfUnused();
  }

  /** Addresses claimed by live owners, for {@link Sweeper}. */
  List<Claims.Claim> claims() {
    return claims.all();
  }

  void deleteClaim(String key) {
    claims.delete(key);
  }

  static void deleteLink(String link) {
    HostCommand.run(IP_TIMEOUT, List.of("ip", "link", "delete", link));
  }

  static String vethFor(String address) {
    return VETH_PREFIX + address.substring(SUBNET_PREFIX.length());
  }

  private Attachment claimAddress(String name, Owner owner) {
    for (int n = 2; n <= 254; n++) {
      String address = SUBNET_PREFIX + n;
      if (claims.create(address, name, owner)) {
        return new Attachment(name, address, vethFor(address));
      }
    }
    throw new IllegalStateException("all test addresses " + SUBNET_PREFIX + "2-254 are claimed");
  }

  /**
   * Brings the bridge up. Under the host-wide bridge lock, as its removal is: otherwise another JVM
   * that saw no claim a moment before this one's could delete the bridge this one just checked.
   */
  void ensureBridge() {
    HostLock.holding(
        bridgeLock,
        () -> {
          ExecResult add =
              HostCommand.run(IP_TIMEOUT, List.of("ip", "link", "add", BRIDGE, "type", "bridge"));
          if (!add.ok() && !add.stderr().contains("File exists")) {
            add.orThrow();
          }
          ip("addr", "replace", HOST_ADDRESS + "/" + PREFIX_LENGTH, "dev", BRIDGE);
          ip("link", "set", BRIDGE, "up");
        });
  }

  void removeBridgeIfUnused() {
    HostLock.holding(
        bridgeLock,
        () -> {
          Instant now = Instant.now();
          boolean used = claims.all().stream().anyMatch(claim -> claim.isLive(now));
          if (!used) {
            log.debug("removing bridge {}: no live claims", BRIDGE);
            deleteLink(BRIDGE);
          }
        });
  }

  private static void ip(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    HostCommand.run(IP_TIMEOUT, argv).orThrow();
  }
}
