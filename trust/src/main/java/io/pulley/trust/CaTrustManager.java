package io.pulley.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager for one CA, with a server's chain and its name checked in two steps.
 *
 * <p>Why: asked to check a name, the JDK's trust manager first asks whether the chain ends at one
 * of the JDK's public CAs, and to answer it reads and parses its whole CA list (about 150
 * certificates), which its certificate cache keeps. In the agent, which holds one connection for as
 * long as it runs, that was about 1 MB of resident memory for a list it never trusts
 * (docs/benchmarks.md). So, where {@link JdkHostNameMatch} is available, the chain goes to the JDK
 * without the connection (its path to the CA, key usage and extended key usage for a TLS server,
 * and the configured algorithm constraints), and then the name to the JDK's own match. Elsewhere
 * (the CLI, the controller) the JDK's trust manager does both, as before.
 */
final class CaTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager jdk;
  private final boolean matchNamesHere;

  CaTrustManager(X509ExtendedTrustManager jdk, boolean matchNamesHere) {
    this.jdk = jdk;
    this.matchNamesHere = matchNamesHere;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (!matchNamesHere || engine == null) {
      jdk.checkServerTrusted(chain, authType, engine);
      return;
    }
    jdk.checkServerTrusted(chain, authType);
    matchName(chain[0], engine.getSSLParameters(), engine.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (!matchNamesHere || !(socket instanceof SSLSocket ssl)) {
      jdk.checkServerTrusted(chain, authType, socket);
      return;
    }
    jdk.checkServerTrusted(chain, authType);
    matchName(chain[0], ssl.getSSLParameters(), ssl.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    jdk.checkServerTrusted(chain, authType);
  }

  /**
   * As the JDK does: only when the connection asks for a name check ("HTTPS", what gRPC sets), the
   * name the client sent in SNI first, then the host it dialled.
   */
  private static void matchName(X509Certificate leaf, SSLParameters parameters, SSLSession session)
      throws CertificateException {
    String algorithm = parameters.getEndpointIdentificationAlgorithm();
    if (algorithm == null || algorithm.isEmpty()) {
      return;
    }
    if (!algorithm.equalsIgnoreCase("HTTPS")) {
      throw new CertificateException("unknown identification algorithm: " + algorithm);
    }
    List<String> names = dialledNames(session);
    if (names.isEmpty()) {
      throw new CertificateException("no host name to check the server's certificate against");
    }
    CertificateException refusal = null;
    for (String name : names) {
      try {
        JdkHostNameMatch.match(name, leaf);
        return;
      } catch (CertificateException e) {
        refusal = e;
      }
    }
    throw refusal;
  }

  private static List<String> dialledNames(SSLSession session) {
    List<String> names = new ArrayList<>(2);
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          names.add(host.getAsciiName());
        }
      }
    }
    String peer = session == null ? null : session.getPeerHost();
    if (peer != null && !peer.isEmpty()) {
      // An IPv6 literal may come in brackets.
      String host =
          peer.startsWith("[") && peer.endsWith("]") ? peer.substring(1, peer.length() - 1) : peer;
      if (!names.contains(host)) {
        names.add(host);
      }
    }
    return names;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    jdk.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    jdk.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    jdk.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return jdk.getAcceptedIssuers();
  }
}
