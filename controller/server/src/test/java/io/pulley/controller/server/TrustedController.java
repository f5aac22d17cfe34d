package io.pulley.controller.server;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.pulley.controller.access.Access;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.testing.ManualClock;
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
import io.pulley.v1.InviteAdminRequest;
import io.pulley.v1.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real controller serving TLS on a free localhost port, and clients that enrol with it as a host
 * or admin would: a key made here, a certificate request, a token.
 */
final class TrustedController implements AutoCloseable {
  final ManualClock clock = new ManualClock(Instant.now());
  final Path dataDir;
  final ControllerServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private CaPin pin;
  private String firstAdminToken;

  TrustedController(Path dataDir) throws IOException {
    this(dataDir, config -> config);
  }

  /** As {@link #TrustedController(Path)}, with the config changed by {@code more} first. */
  TrustedController(Path dataDir, UnaryOperator<ControllerConfig> more) throws IOException {
    this.dataDir = dataDir;
    this.server =
        ControllerServer.start(
            more.apply(
                ControllerConfig.of(dataDir, new InetSocketAddress("127.0.0.1", 0))
                    .withPollHold(java.time.Duration.ofSeconds(30), java.time.Duration.ZERO)),
            new JGitRefResolver(),
            clock);
  }

  /** The first admin's token, as written at the first start. */
  String firstAdminToken() throws IOException {
    return Files.readString(dataDir.resolve(Access.FIRST_ADMIN_FILE)).strip();
  }

  /** Enrols with the first admin's token: an admin with the admin role. */
  Credentials firstAdmin() throws IOException {
    firstAdminToken = firstAdminToken();
    return enrol(firstAdminToken, "admin");
  }

  /** The first admin's token, after {@link #firstAdmin()} used it. */
  String firstAdminTokenUsed() {
    return firstAdminToken;
  }

  /** An admin of {@code role}, invited by {@code inviter} and enrolled. */
  Credentials admin(Credentials inviter, String name, Role role, String... scopes) {
    String token =
        AccessServiceGrpc.newBlockingStub(mutual(inviter))
            .inviteAdmin(
                InviteAdminRequest.newBuilder()
                    .setName(name)
                    .setRole(role)
                    .addAllScopes(List.of(scopes))
                    .build())
            .getToken();
    return enrol(token, name);
  }

  /** A host token with {@code labels}, made by {@code admin}. */
  String hostToken(Credentials admin, Map<String, String> labels, int uses) {
    return AccessServiceGrpc.newBlockingStub(mutual(admin))
        .createToken(
            CreateTokenRequest.newBuilder()
                .putAllLabels(labels)
                .setUses(uses)
                .setTtlSeconds(3600)
                .build())
        .getToken();
  }

  /** Enrols {@code name} with {@code token} and a key made here. */
  Credentials enrol(String token, String name) {
    KeyPair keys = KeyPairs.generate();
    EnrolResponse response = enrolResponse(token, CertificateRequests.create(keys, name));
    return new Credentials(
        keys.getPrivate(),
        Pem.certificate(response.getCertificate().toByteArray()),
        Pem.certificate(response.getCaCertificate().toByteArray()));
  }

  /** Renews {@code credentials} for {@code name} with a key made here; the new credentials. */
  Credentials renewWithNewKey(Credentials credentials, String name) {
    KeyPair fresh = KeyPairs.generate();
    io.pulley.v1.RenewResponse renewed =
        EnrolServiceGrpc.newBlockingStub(mutual(credentials))
            .renew(
                io.pulley.v1.RenewRequest.newBuilder()
                    .setCertificateRequest(
                        com.google.protobuf.ByteString.copyFrom(
                            CertificateRequests.create(fresh, name)))
                    .build());
    return new Credentials(
        fresh.getPrivate(),
        Pem.certificate(renewed.getCertificate().toByteArray()),
        credentials.ca());
  }

  EnrolResponse enrolResponse(String token, byte[] certificateRequest) {
    BootstrapToken parsed = BootstrapToken.parse(token);
    pin = parsed.pin();
    return EnrolServiceGrpc.newBlockingStub(pinned())
        .enrol(
            EnrolRequest.newBuilder()
                .setToken(parsed.secretPart())
                .setCertificateRequest(com.google.protobuf.ByteString.copyFrom(certificateRequest))
                .build());
  }

  /** What {@code host} gets from a poll that is answered at once. */
  io.pulley.v1.HostPlan planOf(Credentials host) {
    return io.pulley.v1.AgentServiceGrpc.newBlockingStub(mutual(host))
        .poll(io.pulley.v1.PollRequest.newBuilder().setNoHold(true).build())
        .getPlan();
  }

  /** TLS that trusts the controller's CA only, without a client certificate. */
  ManagedChannel pinned() {
    if (pin == null) {
      try {
        pin = BootstrapToken.parse(firstAdminToken()).pin();
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("no pin known yet", e);
      }
    }
    return channel(ClientTls.pinned(pin));
  }

  ManagedChannel mutual(Credentials credentials) {
    return channel(ClientTls.mutual(credentials));
  }

  ManagedChannel channel(ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("localhost", server.port(), credentials).build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    server.close();
  }
}
