package io.pulley.controller.grpc;

import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.access.Access;
import io.pulley.controller.access.AccessException;
import io.pulley.controller.access.Caller;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.ApproveHostRequest;
import io.pulley.v1.CreateTokenRequest;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.DeleteTokenRequest;
import io.pulley.v1.DeleteTokenResponse;
import io.pulley.v1.Enrolment;
import io.pulley.v1.InviteAdminRequest;
import io.pulley.v1.LabelHostRequest;
import io.pulley.v1.ListAccessEventsRequest;
import io.pulley.v1.ListAccessEventsResponse;
import io.pulley.v1.ListAdminsRequest;
import io.pulley.v1.ListAdminsResponse;
import io.pulley.v1.ListEnrolmentsRequest;
import io.pulley.v1.ListEnrolmentsResponse;
import io.pulley.v1.ListTokensRequest;
import io.pulley.v1.ListTokensResponse;
import io.pulley.v1.RemoveHostRequest;
import io.pulley.v1.RemoveHostResponse;
import io.pulley.v1.RevokeAdminRequest;
import io.pulley.v1.RevokeHostRequest;
import io.pulley.v1.WhoAmIRequest;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The gRPC face of {@link Access}: tokens, hosts' enrolments, admins. Admins only (interceptor).
 */
public final class AccessGrpcService extends AccessServiceGrpc.AccessServiceImplBase {
  private static final int DEFAULT_EVENTS = 50;
  private static final int MAX_EVENTS = 1000;

  private final Access access;

  public AccessGrpcService(Access access) {
    this.access = access;
  }

  @Override
  public void createToken(
      CreateTokenRequest request, StreamObserver<CreateTokenResponse> observer) {
    answer(observer, () -> access.tokens().createHostToken(request, actor()));
  }

  @Override
  public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> observer) {
    answer(
        observer,
        () -> ListTokensResponse.newBuilder().addAllTokens(access.tokens().list()).build());
  }

  @Override
  public void deleteToken(
      DeleteTokenRequest request, StreamObserver<DeleteTokenResponse> observer) {
    answer(
        observer,
        () -> {
          access.tokens().delete(request.getId(), actor());
          return DeleteTokenResponse.getDefaultInstance();
        });
  }

  @Override
  public void listEnrolments(
      ListEnrolmentsRequest request, StreamObserver<ListEnrolmentsResponse> observer) {
    answer(
        observer,
        () -> ListEnrolmentsResponse.newBuilder().addAllEnrolments(access.hosts().list()).build());
  }

  @Override
  public void approveHost(ApproveHostRequest request, StreamObserver<Enrolment> observer) {
    answer(
        observer,
        () ->
            access
                .hosts()
                .approve(
                    request.getHostId(),
                    request.getKeyFingerprint(),
                    request.getLabelsMap(),
                    request.getReplaceLabels(),
                    actor()));
  }

  @Override
  public void revokeHost(RevokeHostRequest request, StreamObserver<Enrolment> observer) {
    answer(observer, () -> access.hosts().revoke(request.getHostId(), actor()));
  }

  @Override
  public void removeHost(RemoveHostRequest request, StreamObserver<RemoveHostResponse> observer) {
    answer(
        observer,
        () -> {
          access.hosts().remove(request.getHostId(), actor());
          return RemoveHostResponse.getDefaultInstance();
        });
  }

  @Override
  public void labelHost(LabelHostRequest request, StreamObserver<Enrolment> observer) {
    answer(
        observer,
        () ->
            access
                .hosts()
                .label(request.getHostId(), request.getSetMap(), request.getRemoveList(), actor()));
  }

  @Override
  public void inviteAdmin(
      InviteAdminRequest request, StreamObserver<CreateTokenResponse> observer) {
    answer(
        observer,
        () ->
            access
                .admins()
                .invite(
                    request.getName(),
                    request.getRole(),
                    request.getScopesList(),
                    Duration.ofSeconds(request.getTtlSeconds()),
                    actor()));
  }

  @Override
  public void listAdmins(ListAdminsRequest request, StreamObserver<ListAdminsResponse> observer) {
    answer(
        observer,
        () -> ListAdminsResponse.newBuilder().addAllAdmins(access.admins().list()).build());
  }

  @Override
  public void revokeAdmin(RevokeAdminRequest request, StreamObserver<AdminAccount> observer) {
    answer(observer, () -> access.admins().revoke(request.getName(), actor()));
  }

  @Override
  public void whoAmI(WhoAmIRequest request, StreamObserver<AdminAccount> observer) {
    answer(observer, () -> access.admins().whoAmI(Callers.current().orElse(Caller.insecure())));
  }

  @Override
  public void listAccessEvents(
      ListAccessEventsRequest request, StreamObserver<ListAccessEventsResponse> observer) {
    int limit = request.getLimit() <= 0 ? DEFAULT_EVENTS : Math.min(request.getLimit(), MAX_EVENTS);
    answer(
        observer,
        () -> ListAccessEventsResponse.newBuilder().addAllEvents(access.events(limit)).build());
  }

  private static String actor() {
    return Callers.current().orElse(Caller.insecure()).actor();
  }

  private static <T extends Message> void answer(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (AccessException e) {
      observer.onError(GrpcErrors.refused(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
