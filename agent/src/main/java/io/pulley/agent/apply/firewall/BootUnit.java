package io.pulley.agent.apply.firewall;

import java.nio.file.Path;

/**
 * pulley-firewall.service: loads the last confirmed ruleset at boot, before the network comes up,
 * so a server is never reachable without its firewall. Ordered after Debian's nftables.service,
 * whose /etc/nftables.conf starts with "flush ruleset": loaded first, the table would be flushed.
 */
final class BootUnit {
  static final String NAME = "pulley-firewall.service";
  static final Path PATH = Path.of("/etc/systemd/system", NAME);

  private BootUnit() {}

  static String render(Path nft, Path ruleset) {
    return "# Written by pulley-agent; docs/stack.md#firewall.\n"
        + "[Unit]\n"
        + "Description=Pulley firewall (table inet pulley, as the agent last confirmed it)\n"
        + "DefaultDependencies=no\n"
        + "Wants=network-pre.target\n"
        + "Before=network-pre.target shutdown.target\n"
        + "After=nftables.service\n"
        + "Conflicts=shutdown.target\n"
        + "ConditionPathExists="
        + ruleset
        + "\n\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "RemainAfterExit=yes\n"
        + "ExecStart="
        + nft
        + " --file "
        + ruleset
        + "\n\n"
        + "[Install]\n"
        + "WantedBy=sysinit.target\n";
  }
}
