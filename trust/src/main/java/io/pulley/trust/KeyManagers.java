package io.pulley.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** The JDK's key managers, offering one key and its certificate chain. */
public final class KeyManagers {
  private KeyManagers() {}

  /** A key manager that offers {@code chain} (the certificate first) for {@code key}. */
  public static KeyManager of(PrivateKey key, List<X509Certificate> chain) {
    try {
      // An in-memory store only: the password protects nothing, the key never touches a disk here.
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager", e);
    }
  }
}
