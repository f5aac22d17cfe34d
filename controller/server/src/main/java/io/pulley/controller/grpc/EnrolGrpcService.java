package io.pulley.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.pulley.controller.access.AccessException;
import io.pulley.controller.access.EnrolDesk;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.RenewRequest;
import io.pulley.v1.RenewResponse;

/** The gRPC face of the enrolment desk: certificates for hosts and admins. */
public final class EnrolGrpcService extends EnrolServiceGrpc.EnrolServiceImplBase {
  private final EnrolDesk desk;

  public EnrolGrpcService(EnrolDesk desk) {
    this.desk = desk;
  }

  @Override
  public void enrol(EnrolRequest request, StreamObserver<EnrolResponse> observer) {
    EnrolResponse response;
    try {
      response = desk.enrol(request, Callers.peer());
    } catch (AccessException e) {
      observer.onError(GrpcErrors.refused(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<RenewResponse> observer) {
    EnrolResponse issued;
    try {
      issued =
          desk.renew(
              Callers.authenticated()
                  .orElseThrow(
                      () ->
                          new AccessException(
                              AccessException.Reason.UNAUTHENTICATED,
                              "Renew needs the caller's certificate")),
              request.getCertificateRequest().toByteArray());
    } catch (AccessException e) {
      observer.onError(GrpcErrors.refused(e));
      return;
    }
    observer.onNext(
        RenewResponse.newBuilder()
            .setCertificate(issued.getCertificate())
            .setCaCertificate(issued.getCaCertificate())
            .build());
    observer.onCompleted();
  }
}
