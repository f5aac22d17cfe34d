package io.pulley.controller.cli;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Pem;
import io.pulley.trust.TrustException;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.RenewRequest;
import io.pulley.v1.RenewResponse;
import io.pulley.wire.WireLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One CLI invocation's channel to the controller: mutual TLS with the admin's credentials (renewed
 * first when two thirds of their life have passed), or plaintext with {@code --insecure}.
 */
final class ControllerConnection implements AutoCloseable {
  /** Applies resolve Git refs on the controller, which may take a while on a slow remote. */
  private static final long DEADLINE_SECONDS = 60;

  /** Who runs the CLI; the controller believes it only with --insecure (no certificates). */
  private static final Metadata.Key<String> ACTOR =
      Metadata.Key.of("pulley-actor", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;

  ControllerConnection(ClientSettings settings, Clock clock, PrintWriter err) {
    ChannelCredentials credentials =
        settings.insecure()
            ? InsecureChannelCredentials.create()
            : ClientTls.mutual(credentials(settings, clock, err));
    this.channel =
        Grpc.newChannelBuilder(settings.controller(), credentials)
            .maxInboundMessageSize(WireLimits.MAX_CLIENT_INBOUND_BYTES)
            .build();
  }

  AdminServiceGrpc.AdminServiceBlockingStub admin() {
    Metadata headers = new Metadata();
    headers.put(ACTOR, actor());
    return AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  AccessServiceGrpc.AccessServiceBlockingStub access() {
    return AccessServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    shutDown(channel);
  }

  /** The saved credentials, renewed first if due; a clear error if there are none. */
  static Credentials credentials(ClientSettings settings, Clock clock, PrintWriter err) {
    CredentialFiles files = new CredentialFiles(settings.credentials());
    if (!files.exist()) {
      throw new CliException(
          "no credentials in " + files.dir() + ": run `pulley login`", ExitCodes.DENIED);
    }
    Credentials credentials;
    try {
      credentials = files.load();
    } catch (IOException | TrustException e) {
      throw new CliException(
          "cannot read the credentials in " + files.dir() + ": " + e.getMessage(),
          ExitCodes.DENIED);
    }
    Instant now = clock.instant();
    if (credentials.expired(now)) {
      throw new CliException(
          "your certificate expired at "
              + credentials.expires()
              + ": ask an admin for a new invitation (`pulley admins invite`) and run `pulley"
              + " login` again",
          ExitCodes.DENIED);
    }
    if (!credentials.renewalDue(now)) {
      return credentials;
    }
    try {
      return renew(settings.controller(), files, credentials);
    } catch (StatusRuntimeException | TrustException | IOException e) {
      err.println(
          "pulley: warning: cannot renew your certificate (it expires at "
              + credentials.expires()
              + "): "
              + e.getMessage());
      err.flush();
      return credentials;
    }
  }

  /** A new certificate for the same key, saved over the old one. */
  private static Credentials renew(String controller, CredentialFiles files, Credentials current)
      throws IOException {
    KeyPair keys = new KeyPair(current.certificate().getPublicKey(), current.key());
    byte[] request = CertificateRequests.create(keys, current.identity().name());
    RenewResponse response =
        call(
            controller,
            ClientTls.mutual(current),
            channel ->
                EnrolServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .renew(
                        RenewRequest.newBuilder()
                            .setCertificateRequest(ByteString.copyFrom(request))
                            .build()));
    X509Certificate renewed = Pem.certificate(response.getCertificate().toByteArray());
    checkIssued(renewed, current.ca(), keys);
    files.saveCertificate(renewed);
    return new Credentials(current.key(), renewed, current.ca());
  }

  /** One call on a channel of its own, closed after it. */
  static <T> T call(
      String controller, ChannelCredentials credentials, Function<ManagedChannel, T> call) {
    ManagedChannel channel = Grpc.newChannelBuilder(controller, credentials).build();
    try {
      return call.apply(channel);
    } finally {
      shutDown(channel);
    }
  }

  /** Refuses a certificate not signed by {@code ca} or not for {@code keys}. */
  static void checkIssued(X509Certificate certificate, X509Certificate ca, KeyPair keys) {
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new TrustException("the certificate is not signed by the controller's CA");
    }
    if (!certificate.getPublicKey().equals(keys.getPublic())) {
      throw new TrustException("the certificate is not for this key");
    }
  }

  static void shutDown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "user@host": what an insecure controller records as the actor. */
  private static String actor() {
    String user = System.getProperty("user.name", "unknown");
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    StringBuilder printable = new StringBuilder();
    for (char c : (user + "@" + host).toCharArray()) {
      printable.append(c > 0x20 && c < 0x7f ? c : '?');
    }
    return printable.toString();
  }
}
