package io.pulley.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's own certificate checks, trusting one CA only; a server's name is matched by the JDK's
 * own code too, without its list of public CAs where that code is open to us ({@link
 * CaTrustManager}).
 */
public final class TrustManagers {
  private TrustManagers() {}

  public static X509ExtendedTrustManager forCa(X509Certificate ca) {
    return forCa(ca, JdkHostNameMatch.available());
  }

  /** As above, with the name matched beside the chain check or by the JDK's trust manager. */
  static X509ExtendedTrustManager forCa(X509Certificate ca, boolean matchNamesHere) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new CaTrustManager(x509, matchNamesHere);
        }
      }
      throw new IllegalStateException("the Java runtime offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }
}
