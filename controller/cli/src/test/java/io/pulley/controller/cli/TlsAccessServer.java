package io.pulley.controller.cli;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Identity;
import io.pulley.trust.ServerKeys;
import io.pulley.trust.ServerTls;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.EnrolStatus;
import io.pulley.v1.RenewRequest;
import io.pulley.v1.RenewResponse;
import io.pulley.v1.Role;
import io.pulley.v1.WhoAmIRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A real TLS gRPC server on localhost with its own CA: Enrol issues an admin certificate for {@link
 * #ADMIN} to whoever brings {@link #token} (the name comes from the token, as on the controller),
 * Renew re-issues for the presented certificate's admin, WhoAmI names it. Records the requests and
 * the certificates presented. A fake for unit tests only.
 */
final class TlsAccessServer implements AutoCloseable {
  static final String ADMIN = "alice";

  final CertificateAuthority ca;
  final BootstrapToken token;
  final List<EnrolRequest> enrolments = new CopyOnWriteArrayList<>();
  final List<X509Certificate> presented = new CopyOnWriteArrayList<>();
  private final Server server;
  private volatile Duration lifetime = Duration.ofHours(1);

  TlsAccessServer(Path dir) throws IOException {
    ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    token = BootstrapToken.create(ca.pin());
    ServerKeys keys =
        ServerKeys.loadOrIssue(dir, ca, List.of("localhost", "127.0.0.1"), Clock.systemUTC());
    server =
        Grpc.newServerBuilderForPort(0, ServerTls.credentials(keys, dir.resolve("ca.crt")))
            .addService(new Enrol())
            .addService(ServerInterceptors.intercept(new Access(), new PeerInterceptor()))
            .build()
            .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  X509Certificate issue(java.security.PublicKey key, Duration lifetime) {
    return ca.issueClient(key, Identity.admin(ADMIN), lifetime);
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ByteString der(X509Certificate certificate) {
    try {
      return ByteString.copyFrom(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }

  private final class Enrol extends EnrolServiceGrpc.EnrolServiceImplBase {
    @Override
    public void enrol(EnrolRequest request, StreamObserver<EnrolResponse> response) {
      enrolments.add(request);
      if (!request.getToken().equals(token.secretPart())) {
        response.onError(Status.UNAUTHENTICATED.withDescription("token used").asException());
        return;
      }
      CertificateRequests.Checked checked =
          CertificateRequests.check(request.getCertificateRequest().toByteArray());
      response.onNext(
          EnrolResponse.newBuilder()
              .setStatus(EnrolStatus.ENROL_STATUS_ISSUED)
              .setCertificate(der(issue(checked.publicKey(), lifetime)))
              .setCaCertificate(der(ca.certificate()))
              .setName(ADMIN)
              .build());
      response.onCompleted();
    }

    @Override
    public void renew(RenewRequest request, StreamObserver<RenewResponse> response) {
      CertificateRequests.Checked checked =
          CertificateRequests.check(request.getCertificateRequest().toByteArray());
      response.onNext(
          RenewResponse.newBuilder()
              .setCertificate(der(issue(checked.publicKey(), lifetime)))
              .setCaCertificate(der(ca.certificate()))
              .build());
      response.onCompleted();
    }
  }

  private final class Access extends AccessServiceGrpc.AccessServiceImplBase {
    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<AdminAccount> response) {
      response.onNext(AdminAccount.newBuilder().setName(ADMIN).setRole(Role.ROLE_ADMIN).build());
      response.onCompleted();
    }
  }

  /** Records the client certificate each AccessService call presents; refuses calls without. */
  private final class PeerInterceptor implements io.grpc.ServerInterceptor {
    @Override
    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
        io.grpc.ServerCall<Q, R> call,
        io.grpc.Metadata headers,
        io.grpc.ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        presented.add((X509Certificate) session.getPeerCertificates()[0]);
      } catch (SSLPeerUnverifiedException | NullPointerException e) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("no certificate"), new io.grpc.Metadata());
        return new io.grpc.ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
