package io.pulley.controller.grpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnexpectedErrorsTest {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aBugInAServiceMethod_becomesInternalWithoutItsDetails() throws Exception {
    AdminServiceGrpc.AdminServiceImplBase broken =
        new AdminServiceGrpc.AdminServiceImplBase() {
          @Override
          public void listHosts(
              ListHostsRequest request, StreamObserver<ListHostsResponse> observer) {
            throw new IllegalStateException("secret-token-123 leaked in a bug");
          }
        };
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(broken, new UnexpectedErrors()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();

    assertThatThrownBy(
            () ->
                AdminServiceGrpc.newBlockingStub(channel)
                    .listHosts(ListHostsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode())
                  .isEqualTo(Status.Code.INTERNAL);
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getDescription())
                  .doesNotContain("secret")
                  .contains("controller");
            });
  }
}
