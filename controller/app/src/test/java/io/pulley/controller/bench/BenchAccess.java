package io.pulley.controller.bench;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pulley.controller.access.Access;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CaPin;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.Credentials;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.CreateTokenRequest;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's admin: over plaintext, anyone; over mTLS, the first admin, enrolled with the
 * token the controller wrote at its first start, exactly as `pulley login` does. Makes the host
 * tokens the simulated fleet enrols with. Not thread-safe.
 */
final class BenchAccess implements AutoCloseable {
  static final String LABEL = "bench";
  static final String LABEL_VALUE = "yes";

  private static final long DEADLINE_SECONDS = 60;
  private static final long TOKEN_TTL_SECONDS = 3_600;

  private final ManagedChannel admin;
  private final CaPin pin;

  private BenchAccess(ManagedChannel admin, CaPin pin) {
    this.admin = admin;
    this.pin = pin;
  }

  /**
   * @param address the controller's gRPC address
   * @param dataDir its data directory, where the first admin's token is (mTLS only)
   */
  static BenchAccess open(InetSocketAddress address, Path dataDir, Transport transport)
      throws IOException {
    if (transport == Transport.PLAINTEXT) {
      return new BenchAccess(channel(address, InsecureChannelCredentials.create()), null);
    }
    String text = Files.readString(dataDir.resolve(Access.FIRST_ADMIN_FILE)).strip();
    BootstrapToken token = BootstrapToken.parse(text);
    KeyPair keys = KeyPairs.generate();
    ManagedChannel pinned = channel(address, ClientTls.pinned(token.pin()));
    try {
      EnrolResponse response =
          EnrolServiceGrpc.newBlockingStub(pinned)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .enrol(
                  EnrolRequest.newBuilder()
                      .setToken(token.secretPart())
                      .setCertificateRequest(
                          ByteString.copyFrom(CertificateRequests.create(keys, "bench-admin")))
                      .build());
      Credentials credentials =
          new Credentials(
              keys.getPrivate(),
              Pem.certificate(response.getCertificate().toByteArray()),
              Pem.certificate(response.getCaCertificate().toByteArray()));
      return new BenchAccess(channel(address, ClientTls.mutual(credentials)), token.pin());
    } finally {
      pinned.shutdownNow();
    }
  }

  /** Admin calls go here. */
  ManagedChannel admin() {
    return admin;
  }

  /** The CA pin host tokens carry; only for mTLS. */
  CaPin pin() {
    if (pin == null) {
      throw new IllegalStateException("a plaintext controller has no CA");
    }
    return pin;
  }

  /**
   * Host tokens whose uses add up to {@code hosts}, each labelled bench=yes so that the benchmark's
   * manifest selects every host enrolled with them. A token allows at most 10,000 uses.
   */
  List<String> hostTokens(int hosts) {
    List<String> tokens = new ArrayList<>();
    for (int left = hosts; left > 0; left -= FleetEnrolment.USES_PER_TOKEN) {
      tokens.add(
          AccessServiceGrpc.newBlockingStub(admin)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .createToken(
                  CreateTokenRequest.newBuilder()
                      .putLabels(LABEL, LABEL_VALUE)
                      .setUses(Math.min(left, FleetEnrolment.USES_PER_TOKEN))
                      .setTtlSeconds(TOKEN_TTL_SECONDS)
                      .setDescription("fan-out benchmark")
                      .build())
              .getToken());
    }
    return tokens;
  }

  @Override
  public void close() {
    admin.shutdownNow();
    try {
      admin.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A socket address (not a name) skips name resolution; TLS checks it as an IP address. */
  static ManagedChannel channel(InetSocketAddress address, ChannelCredentials credentials) {
    return NettyChannelBuilder.forAddress(address, credentials).build();
  }
}
