package io.pulley.agent.apply.firewall;

import io.pulley.v1.lite.Firewall;
import io.pulley.v1.lite.FirewallAllow;
import io.pulley.wire.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * One application's part of the host's ruleset: two nftables chains, {@code NAME_deny} with the
 * networks it drops and {@code NAME_allow} with the ports it opens, jumped to from the host's input
 * chain. Every value is parsed again here (ports, protocols, networks) before it becomes nftables
 * text, so nothing from the plan reaches nft unchecked.
 *
 * @param name the chains' prefix, unique per application and environment
 * @param text the two chain definitions, one rule per line
 */
record FirewallPart(String name, String text) {

  static final int MAX_RULES = 256;

  /** The first line of a part that only opens ports (Firewall.ports_only). */
  static final String PORTS_ONLY = "  # ports only: open when another part turns the firewall on\n";

  /**
   * The part of {@code application}'s {@code environment}: names are lower-case letters, digits and
   * '-', which nftables does not take in a chain name, so '-' becomes '_' and "__" separates the
   * two ("shop-eu", "prod" and "shop", "eu-prod" stay apart).
   */
  static String nameOf(String application, String environment) {
    return "app_" + application.replace('-', '_') + "__" + environment.replace('-', '_');
  }

  /**
   * Renders {@code spec}.
   *
   * @throws IllegalArgumentException naming the field that is not valid
   */
  static FirewallPart render(String name, Firewall spec) {
    if (spec.getAllowCount() + spec.getDenyFromCount() > MAX_RULES) {
      throw new IllegalArgumentException("more than " + MAX_RULES + " rules");
    }
    if (spec.getPortsOnly() && (spec.getDenyFromCount() > 0 || spec.getSshPortsCount() > 0)) {
      throw new IllegalArgumentException(
          "ports_only: a part that only opens ports has no networks");
    }
    StringBuilder text = new StringBuilder(spec.getPortsOnly() ? PORTS_ONLY : "");
    text.append("  chain ").append(name).append("_deny {\n");
    for (int i = 0; i < spec.getDenyFromCount(); i++) {
      Cidr network = network("deny_from[" + i + "]", spec.getDenyFrom(i));
      text.append("    ").append(match(network)).append(" drop\n");
    }
    text.append("  }\n");
    text.append("  chain ").append(name).append("_allow {\n");
    for (int i = 0; i < spec.getAllowCount(); i++) {
      for (String rule : allowRules("allow[" + i + "]", spec.getAllow(i))) {
        text.append("    ").append(rule).append('\n');
      }
    }
    text.append("  }\n");
    return new FirewallPart(name, text.toString());
  }

  /** "tcp dport 443 accept", one per network the port is open to. */
  private static List<String> allowRules(String field, FirewallAllow allow) {
    int port = port(field + ".port", allow.getPort());
    String protocol = allow.getProtocol().isEmpty() ? "tcp" : allow.getProtocol();
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException(field + ".protocol must be tcp or udp");
    }
    String accept = protocol + " dport " + port + " accept";
    List<String> rules = new ArrayList<>();
    if (allow.getFromCount() == 0) {
      rules.add(accept);
    }
    for (int j = 0; j < allow.getFromCount(); j++) {
      rules.add(match(network(field + ".from[" + j + "]", allow.getFrom(j))) + " " + accept);
    }
    return rules;
  }

  /** True unless it only opens ports: it turns the host's firewall on. */
  boolean enforces() {
    return !text.startsWith(PORTS_ONLY);
  }

  static int port(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " must be between 1 and 65535, got " + port);
    }
    return port;
  }

  private static Cidr network(String field, String text) {
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static String match(Cidr network) {
    return (network.ipv6() ? "ip6 saddr " : "ip saddr ") + network;
  }
}
