package io.pulley.trust;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;

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
    return KeyManagers.of(credentials.key(), List.of(credentials.certificate(), credentials.ca()));
  }
}
