package io.pulley.agent.apply.firewall;

import java.util.Collection;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The host's whole ruleset: table {@code inet pulley} (IPv4 and IPv6), replaced in one transaction,
 * made of every application's {@link FirewallPart}. Its input chain, in this order:
 *
 * <ol>
 *   <li>SSH accepted, before anything else, so that no other rule can lock the admin out;
 *   <li>each application's denied networks dropped;
 *   <li>established and related connections accepted (the agent's own to its controller among
 *       them), invalid ones dropped;
 *   <li>loopback, and ICMP and ICMPv6 accepted (IPv6 needs neighbour discovery, and path MTU
 *       discovery needs "too big");
 *   <li>each application's open ports accepted;
 *   <li>everything else dropped (the chain's policy).
 * </ol>
 *
 * Only incoming traffic is filtered: other tables (such as the one a container engine keeps) stay
 * as they are. Forwarded and outgoing packets are not touched.
 */
final class HostRuleset {

  static final String TABLE = "inet pulley";

  /** What deletes the table if it exists and nothing else: a ruleset of no parts. */
  static final String EMPTY = "table " + TABLE + "\ndelete table " + TABLE + "\n";

  private HostRuleset() {}

  /** The ruleset of {@code parts} (in the order given) with {@code sshPorts} first. */
  static String compose(SortedSet<Integer> sshPorts, Collection<FirewallPart> parts) {
    StringBuilder text = new StringBuilder();
    text.append("# Written by pulley-agent from ")
        .append(parts.size())
        .append(" application part(s); loaded at boot by pulley-firewall.service.\n");
    // Declaring the table first makes "delete" succeed when it does not exist yet; the three
    // statements are one transaction, so the host is never without its rules in between.
    text.append(EMPTY);
    text.append("table ").append(TABLE).append(" {\n");
    parts.forEach(part -> text.append(part.text()));
    text.append("  chain input {\n");
    text.append("    type filter hook input priority filter; policy drop;\n");
    text.append("    tcp dport { ")
        .append(sshPorts.stream().map(String::valueOf).collect(Collectors.joining(", ")))
        .append(" } accept comment \"ssh\"\n");
    parts.forEach(part -> text.append("    jump ").append(part.name()).append("_deny\n"));
    text.append("    ct state established,related accept\n");
    text.append("    ct state invalid drop\n");
    text.append("    iif \"lo\" accept\n");
    text.append("    meta l4proto { icmp, ipv6-icmp } accept\n");
    parts.forEach(part -> text.append("    jump ").append(part.name()).append("_allow\n"));
    text.append("  }\n");
    text.append("}\n");
    return text.toString();
  }
}
