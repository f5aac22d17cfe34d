package io.pulley.packaging.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS clients that trust a controller's own CA and nothing else, as a forge given that CA does:
 * what posts the push webhooks. The controller runs on this machine, so its CA is read from its
 * data dir.
 */
final class ControllerCa {
  private ControllerCa() {}

  /** A client that trusts the CA certificate (PEM) in {@code caFile} only. */
  static HttpClient trustingClient(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("controller-ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(context).build();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the controller's CA in " + caFile, e);
    }
  }
}
