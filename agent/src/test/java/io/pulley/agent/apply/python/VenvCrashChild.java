package io.pulley.agent.apply.python;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.agent.facts.HostPython;
import io.pulley.v1.lite.Virtualenv;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link VenvCrashTest} kills: one apply of a release's virtualenv, as the agent runs it, in a
 * process of its own. Arguments: the releases directory, the release, the python, the state dir.
 */
public final class VenvCrashChild {
  private VenvCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path releases = Path.of(args[0]);
    Path release = Path.of(args[1]);
    VirtualenvExecutor executor =
        new VirtualenvExecutor(
            new PathGuard(List.of(releases)),
            new ProcessRunner(),
            new HostPython(Path.of(args[2])));
    Virtualenv spec =
        Virtualenv.newBuilder()
            .setPath(release.resolve("venv").toString())
            .setPython(args[2])
            .setSystemSitePackages(true)
            .setInstall(release.toString())
            .build();
    System.out.println(executor.converge(spec, Contexts.plain(Path.of(args[3]))).reason());
  }
}
