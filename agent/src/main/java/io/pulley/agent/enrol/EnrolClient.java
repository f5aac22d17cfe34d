package io.pulley.agent.enrol;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulley.trust.Pem;
import io.pulley.trust.TrustException;
import io.pulley.v1.lite.EnrolRequest;
import io.pulley.v1.lite.EnrolResponse;
import io.pulley.v1.lite.EnrolServiceGrpc;
import io.pulley.v1.lite.EnrolStatus;
import io.pulley.v1.lite.RenewRequest;
import io.pulley.v1.lite.RenewResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC adapter for {@code EnrolService}: the one place where its status codes become results.
 * Thread-safe (the stub is).
 */
public final class EnrolClient {
  /** Answers that mean "asking again the same way will not help until an admin acts". */
  private static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.UNAUTHENTICATED,
          Status.Code.PERMISSION_DENIED,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.NOT_FOUND,
          Status.Code.ALREADY_EXISTS);

  /** How a call ended. */
  public enum Kind {
    /** {@code certificate} and {@code ca} are set. */
    ISSUED,
    /** Waiting for an admin's approval. */
    PENDING,
    /** The controller said no (token expired or used, host revoked, request refused). */
    REFUSED,
    /** The controller could not be reached, or its answer was unusable. */
    FAILED
  }

  /** A call's answer; {@code error} says why for REFUSED and FAILED. */
  public record Answer(Kind kind, X509Certificate certificate, X509Certificate ca, String error) {
    static Answer issued(X509Certificate certificate, X509Certificate ca) {
      return new Answer(Kind.ISSUED, certificate, ca, "");
    }

    static Answer of(Kind kind, String error) {
      return new Answer(kind, null, null, error);
    }
  }

  private final EnrolServiceGrpc.EnrolServiceBlockingStub stub;
  private final Duration deadline;

  public EnrolClient(Channel channel, Duration deadline) {
    this.stub = EnrolServiceGrpc.newBlockingStub(channel);
    this.deadline = deadline;
  }

  /** Asks for a certificate with a token's secret part, or with none to wait for approval. */
  public Answer enrol(String token, byte[] certificateRequest, Map<String, String> labels) {
    EnrolRequest request =
        EnrolRequest.newBuilder()
            .setToken(token)
            .setCertificateRequest(ByteString.copyFrom(certificateRequest))
            .putAllRequestedLabels(labels)
            .build();
    try {
      EnrolResponse response = withDeadline().enrol(request);
      if (response.getStatus() == EnrolStatus.ENROL_STATUS_PENDING) {
        return Answer.of(Kind.PENDING, "");
      }
      if (response.getStatus() != EnrolStatus.ENROL_STATUS_ISSUED) {
        return Answer.of(Kind.FAILED, "unexpected enrolment answer " + response.getStatus());
      }
      return issued(response.getCertificate(), response.getCaCertificate());
    } catch (StatusRuntimeException e) {
      return failure(e.getStatus());
    }
  }

  /** A new certificate for the caller's own identity; the channel presents the current one. */
  public Answer renew(byte[] certificateRequest) {
    try {
      RenewResponse response =
          withDeadline()
              .renew(
                  RenewRequest.newBuilder()
                      .setCertificateRequest(ByteString.copyFrom(certificateRequest))
                      .build());
      return issued(response.getCertificate(), response.getCaCertificate());
    } catch (StatusRuntimeException e) {
      return failure(e.getStatus());
    }
  }

  private EnrolServiceGrpc.EnrolServiceBlockingStub withDeadline() {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Answer issued(ByteString certificate, ByteString ca) {
    try {
      return Answer.issued(
          Pem.certificate(certificate.toByteArray()), Pem.certificate(ca.toByteArray()));
    } catch (TrustException e) {
      return Answer.of(Kind.FAILED, "the controller sent an unreadable certificate");
    }
  }

  private static Answer failure(Status status) {
    return Answer.of(
        REFUSALS.contains(status.getCode()) ? Kind.REFUSED : Kind.FAILED, describe(status));
  }

  /**
   * The status and its innermost cause: a TLS handshake refused by the pin shows up as UNAVAILABLE
   * whose cause says why.
   */
  static String describe(Status status) {
    StringBuilder out = new StringBuilder(status.getCode().toString());
    if (status.getDescription() != null) {
      out.append(": ").append(status.getDescription());
    }
    Throwable cause = status.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause != null && cause.getMessage() != null) {
      out.append(" (").append(cause.getMessage()).append(')');
    }
    return out.toString();
  }
}
