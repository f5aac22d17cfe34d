package io.pulley.controller.server;

import io.grpc.ServerCredentials;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.ServerKeys;
import io.pulley.trust.ServerSslContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;

/**
 * The controller's TLS material in {@code DATA_DIR/tls}: its CA ({@code ca.crt}, {@code ca.key})
 * unless the operator gave one, and its server certificate ({@code server.crt}, {@code server.key})
 * unless the operator gave one. The webhook listener serves the server certificate too, unless the
 * operator gave it one of its own. Keys are written 0600 and never logged.
 */
record ServerTls(
    CertificateAuthority ca,
    Path caFile,
    Path chainFile,
    Path keyFile,
    Path webhookChainFile,
    Path webhookKeyFile) {
  static final String DIR = "tls";

  static ServerTls prepare(Path dataDir, TlsConfig config, Clock clock) throws IOException {
    Path dir = dataDir.resolve(DIR);
    CertificateAuthority ca;
    Path caFile;
    if (config.caCert().isPresent()) {
      caFile = config.caCert().get();
      ca = CertificateAuthority.load(caFile, config.caKey().orElseThrow(), clock);
    } else {
      ca = CertificateAuthority.loadOrCreate(dir, clock);
      caFile = dir.resolve("ca.crt");
    }
    Path chain;
    Path key;
    if (config.tlsCert().isPresent()) {
      chain = config.tlsCert().get();
      key = config.tlsKey().orElseThrow();
    } else {
      ServerKeys keys = ServerKeys.loadOrIssue(dir, ca, config.advertise(), clock);
      chain = keys.certificateChain();
      key = keys.privateKey();
    }
    return new ServerTls(
        ca,
        caFile,
        chain,
        key,
        config.webhookCert().orElse(chain),
        config.webhookKey().orElse(key));
  }

  /** TLS with the server certificate; client certificates from the CA asked for, optional. */
  ServerCredentials credentials() throws IOException {
    return io.pulley.trust.ServerTls.credentials(new ServerKeys(chainFile, keyFile), caFile);
  }

  /**
   * TLS for the webhook listener: its own certificate if the operator gave one, else the server's.
   */
  SSLContext webhookContext() throws IOException {
    return ServerSslContexts.fromPem(webhookChainFile, webhookKeyFile);
  }
}
