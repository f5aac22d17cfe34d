package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.PollRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stock gRPC tools and Prometheus see of a running controller. */
class ControllerServerTest {
  @TempDir Path temp;
  private ControllerServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
    server =
        ControllerServer.start(
            ControllerConfig.insecure(temp, local).withMetrics(local),
            new JGitRefResolver(),
            Clock.systemUTC());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void healthService_reportsServing() {
    HealthCheckResponse response =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void reflection_listsThePulleyServices() throws Exception {
    CompletableFuture<List<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<ServerReflectionResponse>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    services.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    services.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();

    assertThat(services.get(10, TimeUnit.SECONDS))
        .contains("pulley.v1.AdminService", "pulley.v1.AgentService", "grpc.health.v1.Health");
  }

  @Test
  void metrics_countTheHeldPollAsAConnectedHost() throws Exception {
    // A poll whose plan the host already has is held; the gauge counts it.
    String emptyPlan = io.pulley.controller.plan.PlanRenderer.EMPTY_PLAN_ID;
    AgentServiceGrpc.newStub(channel)
        .poll(
            PollRequest.newBuilder().setHostId("web-1").setAppliedPlanId(emptyPlan).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(io.pulley.v1.PollResponse value) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });

    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics");
    String body = "";
    for (int attempt = 0;
        attempt < 100 && !body.contains("pulley_controller_connected_hosts 1.0");
        attempt++) {
      body =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      Thread.sleep(50);
    }
    assertThat(body)
        .contains("pulley_controller_connected_hosts 1.0")
        .contains("jvm_memory_used_bytes");
  }
}
