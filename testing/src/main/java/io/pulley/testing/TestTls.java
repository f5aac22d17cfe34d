package io.pulley.testing;

import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One self-signed certificate for 127.0.0.1 and localhost per test JVM, for in-process HTTPS
 * servers, and a way to make this JVM's {@link HttpsURLConnection}s trust it as if its CA were
 * installed on the machine (they still trust every CA they trusted before).
 */
public final class TestTls {

  private static final char[] PASSWORD = "test".toCharArray();
  private static volatile TestTls instance;

  private final X509Certificate certificate;
  private final SSLContext serverContext;

  private TestTls(X509Certificate certificate, SSLContext serverContext) {
    this.certificate = certificate;
    this.serverContext = serverContext;
  }

  /** The JVM's one test certificate, made on first use. */
  public static synchronized TestTls get() {
    if (instance == null) {
      instance = make();
    }
    return instance;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Serves the certificate. */
  public SSLContext serverContext() {
    return serverContext;
  }

  /**
   * Makes every later {@link HttpsURLConnection} of this JVM (JGit's HTTP transport uses them)
   * trust the test certificate as well as the system's CAs. Idempotent.
   */
  public synchronized void trustInThisJvm() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("test", certificate);
      X509ExtendedTrustManager test = trustManager(store);
      X509ExtendedTrustManager system = trustManager(null);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Either(test, system)}, null);
      HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot trust the test certificate", e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        return extended;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static TestTls make() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=127.0.0.1");
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(2))),
              name,
              keys.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(store, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, null);
      return new TestTls(certificate, context);
    } catch (GeneralSecurityException
        | java.io.IOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot make the test certificate", e);
    }
  }

  /** Trusts what either manager trusts: the test certificate or the system's CAs. */
  private static final class Either extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    Either(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, Socket socket)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, auth, socket);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, auth, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, auth, engine);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, auth, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, auth);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, auth);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, Socket socket)
        throws CertificateException {
      second.checkClientTrusted(chain, auth, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      second.checkClientTrusted(chain, auth, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      second.checkClientTrusted(chain, auth);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return second.getAcceptedIssuers();
    }
  }
}
