package io.pulley.trust;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/** The TLS a Pulley gRPC server offers: the controller's, and the test servers that stand in. */
public final class ServerTls {
  private ServerTls() {}

  /**
   * TLS with the server certificate chain and key in {@code keys}; client certificates from the CA
   * in {@code caFile} are asked for but optional, because Enrol is called before a client has one
   * (the server's interceptor requires them everywhere else).
   */
  public static ServerCredentials credentials(ServerKeys keys, Path caFile) throws IOException {
    return TlsServerCredentials.newBuilder()
        .keyManager(keys.certificateChain().toFile(), keys.privateKey().toFile())
        .trustManager(caFile.toFile())
        .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
        .build();
  }
}
