package io.pulley.wire;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A network in CIDR notation, IPv4 or IPv6, as the firewall takes it ("203.0.113.0/24",
 * "2001:db8::/32", or one address). The controller checks a manifest's networks with it and the
 * agent parses them again before they reach nftables, so both agree on what a network is. Parsing
 * never resolves a name: only literal addresses are accepted.
 */
public record Cidr(InetAddress address, int prefix) {

  /** Longer than any IPv6 literal with its prefix. */
  public static final int MAX_LENGTH = 64;

  public Cidr {
    int bits = address.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix /" + prefix + " is not between 0 and " + bits);
    }
  }

  /**
   * Parses {@code text}: an address, or an address and a prefix length. The address must have no
   * bits set past the prefix, since a rule for "10.0.0.1/8" is a mistake for one address or for
   * 10.0.0.0/8.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String text) {
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a network is an address with an optional /prefix, at most "
              + MAX_LENGTH
              + " characters");
    }
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (host.indexOf('%') >= 0 || !InetAddresses.isInetAddress(host)) {
      throw new IllegalArgumentException("\"" + host + "\" is not an IPv4 or IPv6 address");
    }
    InetAddress address = InetAddresses.forString(host);
    int bits = address.getAddress().length * 8;
    int prefix = slash < 0 ? bits : prefixLength(text.substring(slash + 1));
    Cidr cidr = new Cidr(address, prefix);
    if (!cidr.hostBitsClear()) {
      throw new IllegalArgumentException(
          text + " has bits set past its /" + prefix + " prefix; the network is " + cidr.network());
    }
    return cidr;
  }

  /** True for an IPv6 network, which nftables matches with {@code ip6 saddr}. */
  public boolean ipv6() {
    return address instanceof Inet6Address;
  }

  @Override
  public String toString() {
    return InetAddresses.toAddrString(address) + "/" + prefix;
  }

  private static int prefixLength(String digits) {
    if (digits.isEmpty() || digits.length() > 3) {
      throw new IllegalArgumentException("the prefix length \"" + digits + "\" is not a number");
    }
    int value = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("the prefix length \"" + digits + "\" is not a number");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private boolean hostBitsClear() {
    return masked().equals(address);
  }

  private String network() {
    return InetAddresses.toAddrString(masked()) + "/" + prefix;
  }

  private InetAddress masked() {
    byte[] bytes = address.getAddress();
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(bytes); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
    }
  }
}
