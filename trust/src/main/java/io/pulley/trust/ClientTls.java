package io.pulley.trust;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** How agents and the CLI reach the controller over TLS. */
public final class ClientTls {
  private ClientTls() {}

  /** First contact: no client certificate, and only the CA {@code pin} names is trusted. */
  public static ChannelCredentials pinned(CaPin pin) {
    return TlsChannelCredentials.newBuilder().trustManager(new PinnedTrustManager(pin)).build();
  }

  /** Mutual TLS with fixed credentials (the CLI: one call, one certificate). */
  public static ChannelCredentials mutual(Credentials credentials) {
    return mutual(keyManager(credentials), credentials.ca());
  }

  /**
   * Mutual TLS with a key manager the caller may update in place (the agent swaps in a renewed
   * certificate without rebuilding its channel; new connections use it).
   */
  public static ChannelCredentials mutual(KeyManager keyManager, X509Certificate ca) {
    return TlsChannelCredentials.newBuilder()
        .keyManager(keyManager)
        .trustManager(TrustManagers.forCa(ca))
        .build();
  }

  /** A key manager that offers {@code credentials}' certificate. */
  public static KeyManager keyManager(Credentials credentials) {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "client",
          credentials.key(),
          password,
          new X509Certificate[] {credentials.certificate(), credentials.ca()});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager", e);
    }
  }
}
