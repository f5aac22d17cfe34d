package io.pulley.controller.stack;

import io.pulley.v1.Firewall;
import io.pulley.v1.FirewallAllow;
import io.pulley.v1.Stack;
import io.pulley.v1.StackFirewall;

/**
 * The stack's part of the host's firewall: the site's ports open to all (HTTP, and HTTPS when the
 * site has TLS), then the section's own ports, networks and SSH ports as written. The agent puts
 * SSH first and drops the rest (docs/stack.md#firewall).
 */
final class StackFirewallRules {

  private StackFirewallRules() {}

  /** {@code filled}'s firewall; call only when it has one. */
  static Firewall of(Stack filled) {
    StackFirewall section = filled.getFirewall();
    Firewall.Builder firewall = Firewall.newBuilder();
    firewall.addAllow(FirewallAllow.newBuilder().setPort(filled.getSite().getHttpPort()));
    if (filled.getSite().hasTls()) {
      firewall.addAllow(FirewallAllow.newBuilder().setPort(filled.getSite().getTls().getPort()));
    }
    return firewall
        .addAllAllow(section.getAllowList())
        .addAllDenyFrom(section.getDenyFromList())
        .addAllSshPorts(section.getSshPortsList())
        .setConfirmSeconds(section.getConfirmSeconds())
        .build();
  }
}
