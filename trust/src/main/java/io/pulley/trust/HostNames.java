package io.pulley.trust;

/** Whether a name in a server certificate is an IP address (written as an iPAddress name). */
final class HostNames {
  private HostNames() {}

  static boolean isIpLiteral(String name) {
    if (name.indexOf(':') >= 0) {
      return true; // IPv6; a DNS name never holds ':'
    }
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
