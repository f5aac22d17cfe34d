package io.pulley.trust;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * Who a certificate speaks for: a host (its name is the host id) or an admin. Written into the
 * certificate as its common name and as a URI such as {@code pulley://host/web-1}.
 */
public record Identity(Kind kind, String name) {
  /** Longest name: a DNS name's length, so a host id is always a valid host name. */
  public static final int MAX_NAME = 253;

  /** A subject alternative name's tag for a URI (RFC 5280's uniformResourceIdentifier). */
  private static final int URI_NAME = 6;

  public enum Kind {
    HOST,
    ADMIN;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Identity {
    String problem = problem(name);
    if (problem != null) {
      throw new TrustException(problem);
    }
  }

  /**
   * The identity a client certificate of ours speaks for (from its URI name). Read with the JDK
   * alone, so that an agent checking its own certificate at start loads none of BouncyCastle.
   */
  public static Identity of(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(URI_NAME).equals(name.get(0))) {
            return fromUri((String) name.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new TrustException("unreadable certificate names", e);
    }
    throw new TrustException("the certificate names no Pulley identity");
  }

  public static Identity host(String hostId) {
    return new Identity(Kind.HOST, hostId);
  }

  public static Identity admin(String name) {
    return new Identity(Kind.ADMIN, name);
  }

  /**
   * Why {@code name} cannot name an identity, or null: letters, digits, '.', '_' and '-', starting
   * with a letter or digit. Checked by scanning, so any input costs linear time.
   */
  public static String problem(String name) {
    if (name.isEmpty()) {
      return "a name is required";
    }
    if (name.length() > MAX_NAME) {
      return "a name is at most " + MAX_NAME + " characters, got " + name.length();
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return "a name holds letters, digits, '.', '_' and '-' and starts with a letter or digit";
      }
    }
    return null;
  }

  /** The URI in the certificate's subject alternative names. */
  public URI uri() {
    return URI.create("pulley://" + kind.word() + "/" + name);
  }

  /** The identity a {@link #uri()} names, or a TrustException. */
  public static Identity fromUri(String uri) {
    String prefix = "pulley://";
    if (!uri.startsWith(prefix)) {
      throw new TrustException("not a Pulley identity: " + Printable.of(uri));
    }
    String rest = uri.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new TrustException("not a Pulley identity: " + Printable.of(uri));
    }
    String kind = rest.substring(0, slash);
    for (Kind k : Kind.values()) {
      if (k.word().equals(kind)) {
        return new Identity(k, rest.substring(slash + 1));
      }
    }
    throw new TrustException("not a Pulley identity: " + Printable.of(uri));
  }

  @Override
  public String toString() {
    return kind.word() + " " + name;
  }
}
