package io.pulley.agent.apply;

import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.Directory;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.ReleaseLink;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.Virtualenv;
import java.nio.file.Path;
import java.util.List;

/**
 * The host plan that {@link ApplyCrashSweepTest} kills: one application released as a stack renders
 * it, in the kinds that need neither systemd nor apt. Its directories and settings file, the commit
 * checked out beside the live release (with the settings linked in), its virtualenv with the
 * project installed, a migration guarded by the marker it creates, then the switch of {@code
 * current}.
 */
final class CrashSweepPlan {
  static final String APP = "shop";

  private CrashSweepPlan() {}

  /**
   * The plan of {@code commit}, whose project says {@code value}, released under {@code root} from
   * {@code url} and run by {@code python}.
   */
  static HostPlan of(Path root, String url, String commit, String value, String python) {
    Path release = root.resolve("releases").resolve(commit);
    Path shared = root.resolve("shared");
    String migrated = shared.resolve("migrated-" + commit.substring(0, 12)).toString();
    List<Resource.Builder> resources =
        List.of(
            resource("dir:root").setDirectory(Directory.newBuilder().setPath(root.toString())),
            resource("dir:shared").setDirectory(Directory.newBuilder().setPath(shared.toString())),
            resource("file:settings")
                .setFile(
                    File.newBuilder()
                        .setPath(shared.resolve("settings.ini").toString())
                        .setContent("[shop]\nrelease = " + value + "\n")
                        .setMode("0640")),
            resource("release:checkout")
                .setGitRelease(
                    GitRelease.newBuilder()
                        .setRoot(root.toString())
                        .setUrl(url)
                        .setCommit(commit)
                        .setKeep(3)
                        .setCheckoutOnly(true)
                        .putLinks("settings.ini", shared.resolve("settings.ini").toString())),
            resource("venv")
                .setVirtualenv(
                    Virtualenv.newBuilder()
                        .setPath(release.resolve("venv").toString())
                        .setPython(python)
                        .setSystemSitePackages(true)
                        .setInstall(release.toString())),
            // A migration as a stack runs one: the release's own code against shared state, with
            // the marker it leaves last telling later applies it is done.
            resource("migrate")
                .setCommand(
                    Command.newBuilder()
                        .addAllArgv(
                            List.of(
                                release.resolve("venv/bin/python").toString(),
                                "-c",
                                "import pathlib, sys, hello\n"
                                    + "pathlib.Path(sys.argv[1]).write_text(hello.VALUE)\n"
                                    + "pathlib.Path(sys.argv[2]).touch()\n",
                                shared.resolve("schema").toString(),
                                migrated))
                        .setWorkingDir(shared.toString())
                        .setCreates(migrated)),
            resource("release:switch")
                .setReleaseLink(
                    ReleaseLink.newBuilder()
                        .setRoot(root.toString())
                        .setCommit(commit)
                        .setKeep(3)));
    AppPlan app =
        AppPlan.newBuilder()
            .setApplication(APP)
            .setEnvironment("production")
            .setRevision(commit.hashCode() & 0xffff)
            .addAllResources(resources.stream().map(Resource.Builder::build).toList())
            .build();
    return HostPlan.newBuilder()
        .setHostId("web-1")
        .setPlanId("plan-" + commit.substring(0, 12))
        .addApps(app)
        .build();
  }

  /** The ids of {@code plan}'s resources, in apply order. */
  static List<String> ids(HostPlan plan) {
    return plan.getApps(0).getResourcesList().stream().map(Resource::getId).toList();
  }

  private static Resource.Builder resource(String id) {
    return Resource.newBuilder().setId(id);
  }
}
