package io.pulley.agent.apply.wiring;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.ApplyJournal;
import io.pulley.agent.apply.RunBytes;
import io.pulley.agent.apply.firewall.TcpControllerReach;
import io.pulley.agent.apply.git.JGitThreads;
import io.pulley.agent.config.HostPort;
import io.pulley.v1.HostPlan;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * One apply with the real executors, called by name from a class loader of its own (see
 * io.pulley.agent.apply.unloading): only types of the Java platform cross in and out, the plan and
 * the run as bytes.
 */
public final class LoadedApply implements BiFunction<byte[], BooleanSupplier, byte[]> {
  private final Applier applier;

  /**
   * @param allowedRoots where the executors may write
   * @param dataDir the agent's own directory (its journal and the executors' state)
   * @param controller the controller's host:port, which a firewall change must still reach
   * @param clock the agent's clock, for the report's times
   */
  public LoadedApply(List<Path> allowedRoots, Path dataDir, String controller, Clock clock) {
    this.applier =
        new Applier(
            Executors.forRoots(
                allowedRoots, new TcpControllerReach(HostPort.parse(controller, "controller"))),
            dataDir.resolve("converge"),
            new ApplyJournal(dataDir),
            clock);
  }

  @Override
  public byte[] apply(byte[] plan, BooleanSupplier stop) {
    try {
      return RunBytes.encode(applier.apply(HostPlan.parseFrom(plan), stop));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new UncheckedIOException("the plan did not cross intact", e);
    } finally {
      JGitThreads.stop();
    }
  }
}
