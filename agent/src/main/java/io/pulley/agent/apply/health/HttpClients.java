package io.pulley.agent.apply.health;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The two HTTP clients a health check needs, made on first use and kept, because a JDK 17 client
 * cannot be closed and each holds a selector thread until it is collected. Not thread-safe.
 */
final class HttpClients {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private HttpClient verifying;
  private HttpClient trustingAll;

  HttpClient get(boolean insecureTls) {
    if (insecureTls) {
      if (trustingAll == null) {
        trustingAll = builder().sslContext(trustAll()).build();
      }
      return trustingAll;
    }
    if (verifying == null) {
      verifying = builder().build();
    }
    return verifying;
  }

  /** HTTP/1.1 because that is what nginx serves on plain http; a redirect is an answer to check. */
  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(CONNECT_TIMEOUT);
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingAll()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has a TLS context", e);
    }
  }

  /**
   * Accepts any certificate for any name. An extended trust manager, because the JDK checks the
   * host name only in its own: this one is what lets https://127.0.0.1 reach a site's certificate.
   */
  private static final class TrustingAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
