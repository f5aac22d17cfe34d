package io.pulley.controller.http;

import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.PemFiles;
import io.pulley.trust.ServerKeys;
import io.pulley.trust.ServerSslContexts;
import io.pulley.trust.TrustManagers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A CA and a server certificate for localhost and 127.0.0.1, made in a test's folder the way the
 * controller makes its own, and clients that trust that CA only.
 */
public record LocalTls(CertificateAuthority ca, ServerKeys keys) {
  public static LocalTls issue(Path dir) throws IOException {
    // The real clock: the JDK's checks on both ends use it, whatever a test's clock says.
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    ServerKeys keys =
        ServerKeys.loadOrIssue(dir, ca, List.of("localhost", "127.0.0.1"), Clock.systemUTC());
    return new LocalTls(ca, keys);
  }

  /** What a listener serves. */
  public SSLContext server() throws IOException {
    return ServerSslContexts.fromPem(keys.certificateChain(), keys.privateKey());
  }

  /** The certificate a listener presents. */
  public X509Certificate certificate() throws IOException {
    return PemFiles.certificate(keys.certificateChain());
  }

  /** A client context that trusts this CA only, as a forge given the CA would. */
  public static SSLContext trusting(X509Certificate ca) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {TrustManagers.forCa(ca)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP client that trusts {@code ca} only, offering {@code protocols} (all when none). */
  public static HttpClient client(X509Certificate ca, String... protocols) {
    HttpClient.Builder builder =
        HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(60));
    if (protocols.length > 0) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(protocols);
      builder.sslParameters(parameters);
    }
    return builder.build();
  }
}
