package io.pulley.agent.enrol;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Identity;
import io.pulley.trust.ServerKeys;
import io.pulley.trust.ServerTls;
import io.pulley.v1.lite.EnrolRequest;
import io.pulley.v1.lite.EnrolResponse;
import io.pulley.v1.lite.EnrolServiceGrpc;
import io.pulley.v1.lite.EnrolStatus;
import io.pulley.v1.lite.IdentityKind;
import io.pulley.v1.lite.RenewRequest;
import io.pulley.v1.lite.RenewResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A real TLS gRPC server on localhost with its own CA and a small EnrolService: it issues for one
 * token, holds requests without a token as pending until {@link #approve}, and renews for the
 * certificate the caller presents. It records every request and every client certificate presented.
 * A fake for unit tests only, behind the real gRPC and TLS seams.
 */
final class TlsEnrolServer implements AutoCloseable {
  static final Duration LIFETIME = Duration.ofHours(1);

  final CertificateAuthority ca;
  final List<EnrolRequest> requests = new CopyOnWriteArrayList<>();
  final List<X509Certificate> presented = new CopyOnWriteArrayList<>();
  private final Set<String> approved = new CopyOnWriteArraySet<>();
  private volatile String token = "";
  private final Server server;

  /** Serves with a CA kept in {@code dir}. */
  TlsEnrolServer(Path dir) throws IOException {
    this.ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    ServerKeys keys =
        ServerKeys.loadOrIssue(dir, ca, List.of("localhost", "127.0.0.1"), Clock.systemUTC());
    server =
        Grpc.newServerBuilderForPort(0, ServerTls.credentials(keys, dir.resolve("ca.crt")))
            .addService(ServerInterceptors.intercept(new Service(), new PeerRecorder()))
            .build()
            .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  /** The token secret part ("ID.SECRET") it issues for. */
  void accept(String secretPart) {
    token = secretPart;
  }

  void approve(String fingerprint) {
    approved.add(fingerprint);
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private EnrolResponse issue(byte[] request) {
    CertificateRequests.Checked checked = CertificateRequests.check(request);
    X509Certificate certificate =
        ca.issueClient(checked.publicKey(), Identity.host(checked.commonName()), LIFETIME);
    try {
      return EnrolResponse.newBuilder()
          .setStatus(EnrolStatus.ENROL_STATUS_ISSUED)
          .setCertificate(com.google.protobuf.ByteString.copyFrom(certificate.getEncoded()))
          .setCaCertificate(com.google.protobuf.ByteString.copyFrom(ca.certificate().getEncoded()))
          .setKind(IdentityKind.IDENTITY_KIND_HOST)
          .setName(checked.commonName())
          .setKeyFingerprint(checked.fingerprint())
          .build();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private final class Service extends EnrolServiceGrpc.EnrolServiceImplBase {
    @Override
    public void enrol(EnrolRequest request, StreamObserver<EnrolResponse> response) {
      requests.add(request);
      String fingerprint =
          CertificateRequests.check(request.getCertificateRequest().toByteArray()).fingerprint();
      if (request.getToken().isEmpty() && !approved.contains(fingerprint)) {
        response.onNext(
            EnrolResponse.newBuilder()
                .setStatus(EnrolStatus.ENROL_STATUS_PENDING)
                .setKeyFingerprint(fingerprint)
                .build());
        response.onCompleted();
      } else if (request.getToken().isEmpty()
          || (!token.isEmpty() && request.getToken().equals(token))) {
        response.onNext(issue(request.getCertificateRequest().toByteArray()));
        response.onCompleted();
      } else {
        response.onError(
            Status.UNAUTHENTICATED.withDescription("token expired or used").asException());
      }
    }

    @Override
    public void renew(RenewRequest request, StreamObserver<RenewResponse> response) {
      Optional<X509Certificate> caller = Optional.ofNullable(PeerRecorder.CALLER.get());
      if (caller.isEmpty()) {
        response.onError(Status.UNAUTHENTICATED.withDescription("no certificate").asException());
        return;
      }
      EnrolResponse issued = issue(request.getCertificateRequest().toByteArray());
      response.onNext(
          RenewResponse.newBuilder()
              .setCertificate(issued.getCertificate())
              .setCaCertificate(issued.getCaCertificate())
              .build());
      response.onCompleted();
    }
  }

  /** Records the client certificate of each call and hands it to the service. */
  private final class PeerRecorder implements ServerInterceptor {
    static final io.grpc.Context.Key<X509Certificate> CALLER = io.grpc.Context.key("caller");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      X509Certificate peer = null;
      try {
        if (session != null) {
          peer = (X509Certificate) session.getPeerCertificates()[0];
          presented.add(peer);
        }
      } catch (SSLPeerUnverifiedException e) {
        peer = null; // Enrol comes without a certificate
      }
      return io.grpc.Contexts.interceptCall(
          io.grpc.Context.current().withValue(CALLER, peer), call, headers, next);
    }
  }
}
