package io.pulley.agent.apply.firewall;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.lite.Firewall;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Converges an application's part of the host's nftables firewall, so that no change can lock the
 * admin or the agent out:
 *
 * <ol>
 *   <li>the host's ruleset is made of every application's part, SSH first ({@link HostRuleset});
 *   <li>it is checked by {@code nft --check} before anything changes;
 *   <li>a revert to the last confirmed ruleset is armed with systemd, then the new one is loaded;
 *   <li>the agent must open a new connection to its controller through it: if it does, the revert
 *       is cancelled and the ruleset confirmed (loaded again at boot); if not, the previous ruleset
 *       is loaded at once. Had the agent died in between, systemd's timer loads it.
 * </ol>
 *
 * The ruleset is loaded again when nftables no longer lists what was confirmed (someone flushed or
 * changed it).
 */
public final class FirewallExecutor implements ResourceExecutor<Firewall> {
  static final int DEFAULT_CONFIRM_SECONDS = 30;
  static final int SSH_PORT = 22;

  private final HostFirewall host;
  private final ControllerReach controller;
  private final FirewallFiles files;

  public FirewallExecutor(ControllerReach controller) {
    this(new NftablesHost(), controller, new FirewallFiles(FirewallFiles.DEFAULT_DIR));
  }

  FirewallExecutor(HostFirewall host, ControllerReach controller, FirewallFiles files) {
    this.host = host;
    this.controller = controller;
    this.files = files;
  }

  @Override
  public Convergence converge(Firewall spec, ApplyContext context) throws IOException {
    try {
      return apply(spec, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted while the firewall was being changed");
    }
  }

  private Convergence apply(Firewall spec, ApplyContext context)
      throws IOException, InterruptedException {
    FirewallPart mine;
    try {
      mine =
          FirewallPart.render(
              FirewallPart.nameOf(context.application(), context.environment()), spec);
    } catch (IllegalArgumentException e) {
      return Convergence.failed("firewall." + e.getMessage());
    }
    List<FirewallPart> parts = files.partsWith(mine);
    Optional<String> listing = host.listing();
    if (parts.stream().noneMatch(FirewallPart::enforces)) {
      // Most stacks' case, at every apply: no sshd -T, no ruleset to compose.
      return off(mine, listing);
    }
    SortedSet<Integer> ssh;
    try {
      ssh = sshPorts(spec);
    } catch (IllegalArgumentException e) {
      return Convergence.failed("firewall." + e.getMessage());
    }
    String ruleset = HostRuleset.compose(ssh, parts);
    boolean confirmed =
        files.part(mine.name()).equals(Optional.of(mine.text()))
            && files.ruleset().equals(Optional.of(ruleset));
    if (confirmed && listing.isPresent() && listing.equals(files.listed())) {
      return atBoot(Convergence.unchanged(new Summary(ssh, spec, parts.size()).toString()));
    }
    Convergence outcome = change(mine, ruleset, new Summary(ssh, spec, parts.size()));
    return confirmed && !outcome.failed()
        ? outcome.withDrift(
            listing.isEmpty()
                ? "table " + HostRuleset.TABLE + " was gone"
                : "table " + HostRuleset.TABLE + " was changed outside Pulley")
        : outcome;
  }

  private Convergence change(FirewallPart mine, String ruleset, Summary summary)
      throws IOException, InterruptedException {
    Firewall spec = summary.spec();
    Path candidate = files.candidate();
    files.writeWorking(candidate, ruleset);
    Optional<String> invalid = host.check(candidate);
    if (invalid.isPresent()) {
      return Convergence.failed(
          "the ruleset does not load, nothing changed: nft --check: " + invalid.get());
    }
    Path revert = files.revert();
    files.writeWorking(revert, files.ruleset().orElse(HostRuleset.EMPTY));
    Duration confirm = confirmWindow(spec);
    Optional<String> unarmed = host.armRevert(revert, confirm);
    if (unarmed.isPresent()) {
      return Convergence.failed(
          "nothing changed: the revert could not be armed with systemd: " + unarmed.get());
    }
    Optional<String> unloaded = host.load(candidate);
    if (unloaded.isPresent()) {
      host.disarmRevert();
      return Convergence.failed("nft refused the ruleset, nothing changed: " + unloaded.get());
    }
    Optional<String> unreachable = controller.reach(reachWindow(confirm));
    if (unreachable.isPresent()) {
      Optional<String> notBack = host.load(revert);
      host.disarmRevert();
      return Convergence.failed(
          "the new ruleset cut this host off from its controller ("
              + unreachable.get()
              + "); "
              + (notBack.isEmpty()
                  ? "the previous ruleset is back"
                  : "loading the previous ruleset failed (" + notBack.get() + ")"));
    }
    host.disarmRevert();
    files.commit(mine, ruleset, host.listing().orElse(""));
    return atBoot(
        Convergence.changed("loaded, and the controller answered through it: " + summary));
  }

  /**
   * No part on the host turns the firewall on: {@code mine} is recorded (its ports open once one
   * does), and a table left from a part that did is removed. Opening everything cannot cut the
   * agent off, so no revert is armed.
   */
  private Convergence off(FirewallPart mine, Optional<String> listing)
      throws IOException, InterruptedException {
    String why = "no application on this host turns the firewall on; this one's ports are recorded";
    boolean recorded = files.part(mine.name()).equals(Optional.of(mine.text()));
    if (recorded && listing.isEmpty() && files.ruleset().isEmpty()) {
      return Convergence.unchanged(why);
    }
    if (listing.isPresent()) {
      Path empty = files.candidate();
      files.writeWorking(empty, HostRuleset.EMPTY);
      Optional<String> notRemoved = host.load(empty);
      if (notRemoved.isPresent()) {
        return Convergence.failed(
            "cannot remove table " + HostRuleset.TABLE + ": " + notRemoved.get());
      }
    }
    files.commitOff(mine);
    return Convergence.changed(
        listing.isPresent() ? "removed table " + HostRuleset.TABLE + ": " + why : why);
  }

  /** {@code outcome}, unless the confirmed ruleset cannot be made to load at boot. */
  private Convergence atBoot(Convergence outcome) throws IOException, InterruptedException {
    Optional<String> notAtBoot = host.loadAtBoot(files.confirmedPath());
    return notAtBoot.isEmpty()
        ? outcome
        : Convergence.failed(
            "the ruleset is loaded but would not be after a reboot: " + notAtBoot.get());
  }

  private SortedSet<Integer> sshPorts(Firewall spec) throws InterruptedException {
    SortedSet<Integer> ports = new TreeSet<>(host.sshdPorts());
    ports.add(SSH_PORT);
    for (int i = 0; i < spec.getSshPortsCount(); i++) {
      ports.add(FirewallPart.port("ssh_ports[" + i + "]", spec.getSshPorts(i)));
    }
    return ports;
  }

  static Duration confirmWindow(Firewall spec) {
    int seconds =
        spec.getConfirmSeconds() == 0 ? DEFAULT_CONFIRM_SECONDS : spec.getConfirmSeconds();
    return Duration.ofSeconds(Math.max(10, Math.min(600, seconds)));
  }

  /** The agent decides a third before systemd would, so that the two never race. */
  static Duration reachWindow(Duration confirm) {
    return confirm.minus(confirm.dividedBy(3));
  }

  /** What a report says of the ruleset. */
  private record Summary(SortedSet<Integer> ssh, Firewall spec, int parts) {
    @Override
    public String toString() {
      return "ssh "
          + ssh
          + ", "
          + spec.getAllowCount()
          + " open port(s), "
          + spec.getDenyFromCount()
          + " denied network(s), "
          + parts
          + " application part(s) on this host";
    }
  }
}
