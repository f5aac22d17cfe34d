package io.pulley.controller.manifest;

import io.pulley.v1.Firewall;
import io.pulley.v1.FirewallAllow;
import io.pulley.v1.StackFirewall;
import io.pulley.wire.Cidr;
import java.util.List;

/**
 * Checks a firewall, written as a resource or as the stack's section: ports, protocols, networks
 * (literal CIDR, no host bits) and the confirmation time. Not thread-safe: one per compilation.
 */
final class FirewallChecks {
  static final int MAX_RULES = 256;
  static final int MIN_CONFIRM_SECONDS = 10;
  static final int MAX_CONFIRM_SECONDS = 600;

  private final Checks checks;
  private final ConfigText text;

  FirewallChecks(Checks checks) {
    this.checks = checks;
    this.text = new ConfigText(checks);
  }

  void resource(Firewall firewall, String path) {
    if (firewall.getPortsOnly()
        && (firewall.getDenyFromCount() > 0 || firewall.getSshPortsCount() > 0)) {
      checks.fail(
          path + ".ports_only",
          "a ports_only part only opens ports; drop deny_from and ssh_ports, or ports_only");
    }
    check(
        firewall.getAllowList(),
        firewall.getDenyFromList(),
        firewall.getSshPortsList(),
        firewall.getConfirmSeconds(),
        path);
  }

  void stack(StackFirewall firewall, String path) {
    check(
        firewall.getAllowList(),
        firewall.getDenyFromList(),
        firewall.getSshPortsList(),
        firewall.getConfirmSeconds(),
        path);
  }

  private void check(
      List<FirewallAllow> allow,
      List<String> denyFrom,
      List<Integer> sshPorts,
      int confirmSeconds,
      String path) {
    if (allow.size() + denyFrom.size() > MAX_RULES) {
      checks.fail(path, "more than " + MAX_RULES + " rules in allow and deny_from together");
      return;
    }
    for (int i = 0; i < allow.size(); i++) {
      String field = path + ".allow[" + i + "]";
      FirewallAllow rule = allow.get(i);
      port(field + ".port", rule.getPort());
      String protocol = rule.getProtocol();
      if (!protocol.isEmpty() && !protocol.equals("tcp") && !protocol.equals("udp")) {
        checks.fail(
            field + ".protocol",
            "protocol " + ProtoNodeReader.quote(protocol) + " is not valid; use tcp or udp");
      }
      for (int j = 0; j < rule.getFromCount(); j++) {
        network(field + ".from[" + j + "]", rule.getFrom(j));
      }
    }
    for (int i = 0; i < denyFrom.size(); i++) {
      network(path + ".deny_from[" + i + "]", denyFrom.get(i));
    }
    for (int i = 0; i < sshPorts.size(); i++) {
      port(path + ".ssh_ports[" + i + "]", sshPorts.get(i));
    }
    text.range(
        path + ".confirm_seconds", confirmSeconds, MIN_CONFIRM_SECONDS, MAX_CONFIRM_SECONDS, "30");
  }

  private void port(String field, int port) {
    if (port < 1 || port > 65535) {
      checks.fail(field, "port " + port + " is not valid; use 1 to 65535");
    }
  }

  private void network(String field, String value) {
    try {
      Cidr.parse(value);
    } catch (IllegalArgumentException e) {
      checks.fail(field, e.getMessage());
    }
  }
}
