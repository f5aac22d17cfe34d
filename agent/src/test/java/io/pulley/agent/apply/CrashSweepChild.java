package io.pulley.agent.apply;

import io.pulley.agent.apply.wiring.Executors;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What {@link ApplyCrashSweepTest} kills: one apply of a host plan through the real {@link Applier}
 * and executors, as the agent runs it, in a process of its own. Arguments: the allowed root, the
 * agent's data dir, the plan file (HostPlan bytes), the report file it writes at the end; then
 * optionally a resource id and a file: before that resource the apply creates the file and waits
 * for a byte on its standard input, so that the test can kill it at that step.
 */
public final class CrashSweepChild {
  private CrashSweepChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path dataDir = Path.of(args[1]);
    HostPlan plan = HostPlan.parseFrom(Files.readAllBytes(Path.of(args[2])));
    ResourceExecutor<Resource> executors = Executors.forRoots(List.of(root));
    if (args.length > 4) {
      executors = heldAt(executors, args[4], Path.of(args[5]));
    }
    Applier.Run run = applier(executors, dataDir).apply(plan, () -> false);
    Files.write(Path.of(args[3]), run.report().toByteArray());
  }

  /** The applier the agent makes, over {@code executors}, with its journal in {@code dataDir}. */
  static Applier applier(ResourceExecutor<Resource> executors, Path dataDir) {
    return new Applier(
        executors, dataDir.resolve("converge"), new ApplyJournal(dataDir), Clock.systemUTC());
  }

  /**
   * The executors, waiting before resource {@code id} (when the journal already names it) until the
   * test says go: the test's seam to kill at a step however short it is.
   */
  private static ResourceExecutor<Resource> heldAt(
      ResourceExecutor<Resource> executors, String id, Path held) {
    return (resource, context) -> {
      if (resource.getId().equals(id)) {
        Files.createFile(held);
        if (System.in.read() < 0) {
          throw new IOException("the test went away");
        }
      }
      return executors.converge(resource, context);
    };
  }
}
