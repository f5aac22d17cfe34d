package io.pulley.trust;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The JDK's own match of a server certificate against the host name a client dialled ({@code
 * sun.security.util.HostnameChecker}, RFC 2818 and 6125: subject alternative names, wildcards in
 * the left-most label only, IP addresses as iPAddress names), the very code its trust manager runs.
 *
 * <p>It lives in a package {@code java.base} does not export. The agent's jar opens it to itself
 * ({@code Add-Exports} in its manifest, honoured by {@code java -jar}); anywhere else this match is
 * absent, and {@link CaTrustManager} leaves the name to the JDK's trust manager as before.
 */
final class JdkHostNameMatch {
  private static final String PACKAGE = "sun.security.util";
  private static final Optional<MethodHandle> MATCH = find();

  private JdkHostNameMatch() {}

  static boolean available() {
    return MATCH.isPresent();
  }

  /**
   * Refuses {@code leaf} unless it names {@code host}. The chain is the fleet's own CA's, never one
   * of the JDK's public CAs, so the stricter wildcard rule for those (no wildcard over a public
   * suffix) does not apply.
   */
  static void match(String host, X509Certificate leaf) throws CertificateException {
    MethodHandle match =
        MATCH.orElseThrow(() -> new IllegalStateException(PACKAGE + " is not open to Pulley"));
    try {
      match.invokeExact(host, leaf, false);
    } catch (CertificateException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("the JDK's host-name match failed", e);
    }
  }

  private static Optional<MethodHandle> find() {
    if (!Object.class.getModule().isExported(PACKAGE, JdkHostNameMatch.class.getModule())) {
      return Optional.empty();
    }
    try {
      Class<?> checker = Class.forName(PACKAGE + ".HostnameChecker");
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      byte tls = (byte) lookup.findStaticGetter(checker, "TYPE_TLS", byte.class).invoke();
      Object instance =
          lookup
              .findStatic(checker, "getInstance", MethodType.methodType(checker, byte.class))
              .invoke(tls);
      MethodType match =
          MethodType.methodType(void.class, String.class, X509Certificate.class, boolean.class);
      return Optional.of(lookup.findVirtual(checker, "match", match).bindTo(instance));
    } catch (Throwable e) {
      // Another JDK's internals: the JDK's trust manager checks the name instead.
      return Optional.empty();
    }
  }
}
