package io.pulley.controller.bench;

import io.pulley.trust.Credentials;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers one host's certificate and key. The agent's key manager goes through a PKCS#12 key store,
 * which encrypts the key with 10,000 rounds of PBKDF2: a few milliseconds that, times 10,000
 * simulated hosts, would dwarf the benchmark. Thread-safe (immutable).
 */
final class FixedKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "host";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  FixedKeyManager(Credentials credentials) {
    this.key = credentials.key();
    this.chain = new X509Certificate[] {credentials.certificate(), credentials.ca()};
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
