package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The newcomer's tour (`./demo.sh`): a controller on this machine, a pristine Debian 12 server with
 * systemd, the agent installed from its .deb, the example application applied, a second release, a
 * rollback — and what the server ends up with, printed at each step.
 */
public final class PristineDemo {
  private static final Duration CONVERGE = Duration.ofSeconds(120);

  private PristineDemo() {}

  public static void main(String[] args) throws Exception {
    boolean keep = args.length > 0 && args[0].equals("--keep");
    Path work = Files.createTempDirectory("pulley-demo-");
    say("A pristine Debian 12 server (the image is built once per machine, ~1 minute)");
    try (PristineServer server = PristineServer.boot(DebianImage.bookworm(), "demo");
        HostController controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
        SampleRepository repository =
            SampleRepository.create(work.resolve("git"), TestNetwork.HOST_ADDRESS)) {
      System.out.println("server " + server.hostName() + " at " + server.address());
      System.out.println(
          "controller at "
              + controller.address()
              + " (log "
              + work.resolve("controller.log")
              + ")");
      System.out.println("Git repository served at " + repository.url());

      say("apt-get install ./" + Artifacts.agentDeb().getFileName() + " on the server");
      ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
      print(install.orThrow().stdout().lines().filter(l -> l.contains("pulley")).toList());
      AgentOnServer.enroll(server, controller.address(), "demo-server", "web");
      print(
          server
              .execOrThrow("systemctl", "--no-pager", "status", "pulley-agent")
              .stdout()
              .lines()
              .limit(4)
              .toList());

      say("pulley apply -f hello.yaml");
      Path manifest = HelloManifest.write(work, repository.url(), "Hello from Pulley");
      System.out.print(Files.readString(manifest));
      System.out.print(controller.pulley("apply", "-f", manifest.toString()).out());
      awaitConverged(controller, 1);
      System.out.print(controller.pulley("status").out());
      System.out.print(controller.pulley("status", "demo-server").out());

      say("On the server");
      System.out.print(
          server.execOrThrow("ls", "-l", "/srv/hello", "/srv/hello/app/releases").stdout());
      System.out.println(
          "current -> "
              + server.execOrThrow("readlink", "/srv/hello/app/current").stdout().strip());
      System.out.print(server.execOrThrow("cat", "/srv/hello/app/current/app.py").stdout());

      say("A new release: commit, apply, live");
      repository.release("2");
      System.out.print(controller.pulley("apply", "-f", manifest.toString()).out());
      awaitConverged(controller, 2);
      System.out.print(server.execOrThrow("cat", "/srv/hello/app/current/app.py").stdout());

      say("pulley rollback hello system 1");
      System.out.print(controller.pulley("rollback", "hello", "system", "1").out());
      awaitConverged(controller, 3);
      System.out.print(server.execOrThrow("cat", "/srv/hello/app/current/app.py").stdout());
      System.out.print(controller.pulley("history", "hello", "system").out());

      say("The agent's journal on the server");
      print(
          server
              .journal("pulley-agent")
              .lines()
              .skip(Math.max(0, server.journal("pulley-agent").lines().count() - 8))
              .toList());

      if (keep) {
        say(
            "Still running. In another terminal: export PULLEY_CONTROLLER="
                + controller.address()
                + "; java -jar controller/target/pulley-controller.jar status. Press Enter to stop.");
        System.in.read();
      }
      say("Done; the server, the controller and the repository are being removed");
    }
  }

  private static void awaitConverged(HostController controller, long revision) throws Exception {
    Instant deadline = Instant.now().plus(CONVERGE);
    while (Instant.now().isBefore(deadline)) {
      HostController.Cli status = controller.pulley("status", "demo-server");
      if (status.exitCode() == 0 && status.out().contains("#" + revision)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "the server did not converge to revision "
            + revision
            + ":\n"
            + controller.pulley("status", "demo-server"));
  }

  private static void say(String text) {
    System.out.println();
    System.out.println("\033[1m== " + text + "\033[0m");
  }

  private static void print(java.util.List<String> lines) {
    lines.forEach(System.out::println);
  }
}
