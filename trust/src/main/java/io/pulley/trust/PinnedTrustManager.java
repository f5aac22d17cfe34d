package io.pulley.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server only if its chain includes the CA a token pins, and then checks the chain and the
 * host name against that CA as usual. Used for the first contact, before the CA is known.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
  private final CaPin pin;

  public PinnedTrustManager(CaPin pin) {
    this.pin = pin;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    TrustManagers.forCa(pinned(chain)).checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    TrustManagers.forCa(pinned(chain)).checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    TrustManagers.forCa(pinned(chain)).checkServerTrusted(chain, authType);
  }

  /** The certificate in {@code chain} that the pin names. */
  public X509Certificate pinned(X509Certificate[] chain) throws CertificateException {
    for (X509Certificate certificate : chain) {
      if (pin.matches(certificate)) {
        return certificate;
      }
    }
    throw new CertificateException(
        "the controller's certificate does not chain to the CA the token pins (" + pin + ")");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a pinned trust manager checks servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a pinned trust manager checks servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a pinned trust manager checks servers only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
