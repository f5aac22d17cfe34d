package io.pulley.agent.config;

/**
 * A {@code host:port} address; IPv6 hosts are written in brackets ({@code [::1]:7400}).
 *
 * @param host host name or address, without brackets
 * @param port TCP port, 0 to 65535 (0: any free port, for listening)
 */
public record HostPort(String host, int port) {

  /** Parses {@code value}; {@code what} names the setting in the error message. */
  public static HostPort parse(String value, String what) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(what + " must be host:port, got '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " has a bad port in '" + value + "'", e);
    }
    if (port < 0 || port > 65535 || host.isEmpty()) {
      throw new IllegalArgumentException(what + " must be host:port, got '" + value + "'");
    }
    return new HostPort(host, port);
  }

  /**
   * Parses a listen address: {@code HOST:PORT}, or a bare {@code PORT} or {@code :PORT}, which mean
   * {@code 127.0.0.1:PORT}: a listener reaches beyond the host only when an address says so.
   */
  public static HostPort parseListen(String value, String what) {
    String port = value.startsWith(":") ? value.substring(1) : value;
    if (!port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return parse("127.0.0.1:" + port, what);
    }
    return parse(value, what);
  }

  /** As written in a configuration: {@code host:port}, an IPv6 host in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
