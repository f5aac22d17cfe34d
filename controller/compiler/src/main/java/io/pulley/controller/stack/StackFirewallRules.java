package io.pulley.controller.stack;

import io.pulley.v1.Firewall;
import io.pulley.v1.FirewallAllow;
import io.pulley.v1.Stack;
import io.pulley.v1.StackFirewall;

/**
 * The stack's part of the host's firewall: the site's ports open to all (HTTP, and HTTPS when the
 * site has TLS), then the section's own ports, networks and SSH ports as written. The agent puts
 * SSH first and drops the rest (docs/stack.md#firewall). Every stack has one.
 */
final class StackFirewallRules {

  private StackFirewallRules() {}

  /**
   * {@code filled}'s firewall. Without a firewall section, only its site's ports (ports_only): they
   * are open when another stack on the host turns the firewall on, and when the section is removed
   * the agent takes the stack's part back.
   */
  static Firewall of(Stack filled) {
    StackFirewall section = filled.getFirewall();
    Firewall.Builder firewall = Firewall.newBuilder();
    firewall.addAllow(FirewallAllow.newBuilder().setPort(filled.getSite().getHttpPort()));
    if (filled.getSite().hasTls()) {
      firewall.addAllow(FirewallAllow.newBuilder().setPort(filled.getSite().getTls().getPort()));
    }
    if (!filled.hasFirewall()) {
      return firewall.setPortsOnly(true).build();
    }
    return firewall
        .addAllAllow(section.getAllowList())
        .addAllDenyFrom(section.getDenyFromList())
        .addAllSshPorts(section.getSshPortsList())
        .setConfirmSeconds(section.getConfirmSeconds())
        .build();
  }
}
