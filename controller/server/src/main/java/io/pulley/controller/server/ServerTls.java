package io.pulley.controller.server;

import io.grpc.ServerCredentials;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.ServerKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The controller's TLS material in {@code DATA_DIR/tls}: its CA ({@code ca.crt}, {@code ca.key})
 * unless the operator gave one, and its server certificate ({@code server.crt}, {@code server.key})
 * unless the operator gave one. Keys are written 0600 and never logged.
 */
record ServerTls(CertificateAuthority ca, Path caFile, Path chainFile, Path keyFile) {
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
    if (config.tlsCert().isPresent()) {
      return new ServerTls(ca, caFile, config.tlsCert().get(), config.tlsKey().orElseThrow());
    }
    ServerKeys keys = ServerKeys.loadOrIssue(dir, ca, config.advertise(), clock);
    return new ServerTls(ca, caFile, keys.certificateChain(), keys.privateKey());
  }

  /** TLS with the server certificate; client certificates from the CA asked for, optional. */
  ServerCredentials credentials() throws IOException {
    return io.pulley.trust.ServerTls.credentials(new ServerKeys(chainFile, keyFile), caFile);
  }
}
