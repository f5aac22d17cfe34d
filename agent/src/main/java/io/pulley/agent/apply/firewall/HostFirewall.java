package io.pulley.agent.apply.firewall;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What the firewall executor asks of the host: sshd's ports, nftables, and a revert that happens
 * even if the agent dies. The seam between {@link FirewallExecutor} and the system: {@link
 * NftablesHost} runs the real programs, unit tests record the calls instead. Each method that can
 * fail returns why, in a few words, or empty when it succeeded.
 */
interface HostFirewall {

  /** The ports sshd is configured to listen on; empty when sshd is not installed. */
  Set<Integer> sshdPorts() throws InterruptedException;

  /** Checks the ruleset in {@code file} without loading it ({@code nft -c}). */
  Optional<String> check(Path file) throws InterruptedException;

  /** Loads the ruleset in {@code file}, in one transaction. */
  Optional<String> load(Path file) throws InterruptedException;

  /** Table {@code inet pulley} as nftables lists it now; empty when it does not exist. */
  Optional<String> listing() throws InterruptedException;

  /**
   * Has the ruleset in {@code file} loaded after {@code delay} by systemd, unless {@link
   * #disarmRevert()} comes first: it happens even if the agent is killed meanwhile.
   */
  Optional<String> armRevert(Path file, Duration delay) throws InterruptedException;

  /**
   * Has systemd load {@code ruleset} at every boot, before the network is up (writes and enables
   * pulley-firewall.service once).
   */
  Optional<String> loadAtBoot(Path ruleset) throws InterruptedException;

  /** Cancels a revert armed earlier; nothing happens when none is armed. */
  void disarmRevert() throws InterruptedException;
}
