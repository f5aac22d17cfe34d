package io.pulley.controller.e2e;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pulley.agent.Agent;
import io.pulley.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real agents in this JVM, each with its own channel to a controller, closed together. */
public final class Fleet implements AutoCloseable {
  private final List<Agent> agents = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** Starts an agent for {@code hostId} with label role=web, writing only under {@code root}. */
  public Agent start(String controller, String hostId, Path dataDir, Path root) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(controller).usePlaintext().build();
    channels.add(channel);
    AgentConfig config =
        AgentConfig.builder(hostId)
            .controller(controller)
            .hostId(hostId)
            .dataDir(dataDir)
            .label("role", "web")
            .allowedRoots(List.of(root))
            .build();
    Agent agent = new Agent(config, channel, Clock.systemUTC());
    agent.start();
    agents.add(agent);
    return agent;
  }

  @Override
  public void close() {
    for (Agent agent : agents) {
      agent.close();
    }
    for (ManagedChannel channel : channels) {
      try {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
