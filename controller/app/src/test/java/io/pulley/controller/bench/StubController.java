package io.pulley.controller.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.AppPlan;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyManifestResponse;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.PollStatus;
import io.pulley.v1.Revision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in controller that speaks the wire contract the benchmark uses and nothing more: every
 * host gets one shared plan, polls for the current plan are held, and ApplyManifest replaces the
 * plan with one holding the benchmark's application. It checks the benchmark's own side, not the
 * real controller. Thread-safe.
 */
final class StubController implements AutoCloseable {
  private final Object lock = new Object();
  private final List<Held> held = new ArrayList<>();
  private final Server server;
  private HostPlan plan = HostPlan.newBuilder().setPlanId("plan-0").build();
  private long revision;

  private record Held(PollRequest request, StreamObserver<PollResponse> observer) {}

  StubController(int port) throws IOException {
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port))
            .addService(new Agents())
            .addService(new Admin())
            .build()
            .start();
  }

  /** {@code serve --listen 127.0.0.1:0 --port-file FILE}, like the real controller's CLI. */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path portFile = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port-file")) {
        portFile = Path.of(args[i + 1]);
      }
    }
    StubController stub = new StubController(0);
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
    if (portFile != null) {
      Path temp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(temp, stub.port() + "\n", StandardCharsets.UTF_8);
      Files.move(temp, portFile, StandardCopyOption.ATOMIC_MOVE);
    }
    stub.server.awaitTermination();
  }

  int port() {
    return server.getPort();
  }

  /** Polls held now. */
  int heldCount() {
    synchronized (lock) {
      return held.size();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Agents extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public void poll(PollRequest request, StreamObserver<PollResponse> observer) {
      HostPlan current;
      synchronized (lock) {
        current = plan;
        if (request.getAppliedPlanId().equals(current.getPlanId())) {
          held.add(new Held(request, observer));
          return;
        }
      }
      answer(observer, current);
    }
  }

  private final class Admin extends AdminServiceGrpc.AdminServiceImplBase {
    @Override
    public void applyManifest(
        ApplyManifestRequest request, StreamObserver<ApplyManifestResponse> observer) {
      long number = publishNewPlan();
      observer.onNext(
          ApplyManifestResponse.newBuilder()
              .setChanged(true)
              .setRevision(Revision.newBuilder().setNumber(number))
              .build());
      observer.onCompleted();
    }
  }

  /** Replaces the plan with a new revision of the benchmark's application; returns its number. */
  long publishNewPlan() {
    List<Held> released;
    HostPlan current;
    long number;
    synchronized (lock) {
      number = ++revision;
      AppPlan app =
          AppPlan.newBuilder()
              .setApplication(FanoutRun.APPLICATION)
              .setEnvironment("fanout")
              .setRevision(number)
              .build();
      plan = HostPlan.newBuilder().setPlanId("plan-" + number).addApps(app).build();
      current = plan;
      released = new ArrayList<>(held);
      held.clear();
    }
    released.forEach(h -> answer(h.observer(), current));
    return number;
  }

  private static void answer(StreamObserver<PollResponse> observer, HostPlan plan) {
    observer.onNext(
        PollResponse.newBuilder().setStatus(PollStatus.POLL_STATUS_NEW_PLAN).setPlan(plan).build());
    observer.onCompleted();
  }
}
