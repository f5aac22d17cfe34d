package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's .deb on a pristine Debian 12 server with systemd as PID 1, against a controller on
 * this machine: install, enrol, apply, upgrade, switch to pulley-agent-bundled, restart, remove and
 * purge.
 */
class AgentPackageIT {
  private static final Duration CONVERGE = Duration.ofMinutes(3);
  private static final String CDS_ARCHIVE = "/var/cache/pulley/agent/classes.jsa";

  @TempDir Path work;
  private PristineServer server;
  private HostController controller;
  private SampleRepository repository;

  @BeforeEach
  void start() throws Exception {
    server = PristineServer.boot(DebianImage.bookworm());
    controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
    repository = SampleRepository.create(work.resolve("git"), TestNetwork.HOST_ADDRESS);
  }

  @AfterEach
  void stop() {
    if (repository != null) {
      repository.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void installedAgent_runsAsAService_showsUpWithItsFacts_andLogsToTheJournal() throws Exception {
    ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
    assertThat(install.ok()).as(install.describe()).isTrue();
    assertThat(server.exec("systemctl", "is-enabled", "pulley-agent").stdout()).contains("enabled");
    assertThat(server.exec("systemctl", "is-active", "pulley-agent").stdout()).contains("active");

    AgentOnServer.enroll(server, controller.invite("web"), "web-1", "web");

    await()
        .atMost(CONVERGE)
        .until(
            () -> controller.pulley("-o", "json", "hosts").out().contains("\"hostId\": \"web-1\""));
    HostController.Cli hosts = controller.pulley("hosts");
    assertThat(hosts.out()).contains("web-1", "debian 12", "role=web", "yes");
    assertThat(server.journal("pulley-agent")).contains("io.pulley.agent");

    // The JVM writes its class archive when the agent stops. The run that enrolled loaded
    // BouncyCastle's request classes, which no later run needs: the next run makes the archive
    // anew, and the start after it maps one without them.
    restartAndAwaitStarted();
    restartAndAwaitStarted();
    assertThat(server.exec("test", "-s", CDS_ARCHIVE).ok()).isTrue();
    long pid = AgentOnServer.mainPid(server);
    await()
        .atMost(CONVERGE)
        .until(() -> server.exec("grep", "-q", "-F", CDS_ARCHIVE, "/proc/" + pid + "/maps").ok());
    String archived =
        server
            .execOrThrow(
                "java",
                "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=" + CDS_ARCHIVE,
                "-XX:+PrintSharedArchiveAndExit",
                "-jar",
                "/usr/bin/../share/pulley/pulley-agent.jar")
            .stdout();
    assertThat(archived).contains("io.pulley.agent.poll.PollLoop").doesNotContain("bouncycastle");
  }

  @Test
  void applyThroughTheController_isCarriedOutOnTheServer() throws Exception {
    installAndEnroll();
    String commit = repository.head();

    HostController.Cli apply =
        controller.pulley(
            "apply", "-f", HelloManifest.write(work, repository.url(), "Hello, server").toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();

    awaitConverged(1);
    assertThat(server.execOrThrow("cat", "/srv/hello/greeting.txt").stdout())
        .isEqualTo("Hello, server");
    assertThat(server.execOrThrow("readlink", "/srv/hello/app/current").stdout().strip())
        .isEqualTo("releases/" + commit);
    assertThat(server.execOrThrow("cat", "/srv/hello/app/current/app.py").stdout())
        .contains("version 1");
    assertThat(controller.pulley("status").out())
        .contains("web-1", "healthy", "hello/system#1", "3/3 ok");
    // The release came through JGit, in the apply's JVM; the daemon never opened that jar.
    String daemonFiles =
        server.execOrThrow("ls", "-l", "/proc/" + AgentOnServer.mainPid(server) + "/fd").stdout();
    assertThat(daemonFiles).contains("pulley-agent.jar").doesNotContain("pulley-agent-apply.jar");
  }

  @Test
  void upgrade_restartsTheAgent_andKeepsItsStateAndAppliedRevision() throws Exception {
    Path older = OlderPackage.of(Artifacts.agentDeb(), work);
    ExecResult install = AgentOnServer.install(server, older);
    assertThat(install.ok()).as(install.describe()).isTrue();
    AgentOnServer.enroll(server, controller.invite("web"), "web-1", "web");
    controller.pulley(
        "apply", "-f", HelloManifest.write(work, repository.url(), "Hello").toString());
    awaitConverged(1);
    String appliedPlan =
        server.execOrThrow("cat", "/var/lib/pulley/agent/applied-plan-id").stdout();
    long before = AgentOnServer.mainPid(server);

    ExecResult upgrade = AgentOnServer.install(server, Artifacts.agentDeb());

    assertThat(upgrade.ok()).as(upgrade.describe()).isTrue();
    assertThat(server.execOrThrow("dpkg-query", "-W", "-f=${Version}", "pulley-agent").stdout())
        .isEqualTo(OlderPackage.version(Artifacts.agentDeb()));
    // The postinst queues the restart (an agent may be upgrading itself), so it follows shortly.
    await()
        .atMost(CONVERGE)
        .until(() -> AgentOnServer.mainPid(server), pid -> pid != 0 && pid != before);
    assertThat(server.execOrThrow("cat", "/var/lib/pulley/agent/applied-plan-id").stdout())
        .isEqualTo(appliedPlan);
    assertThat(server.execOrThrow("cat", AgentOnServer.CONFIG).stdout()).contains("host_id: web-1");
    awaitConverged(1);
  }

  @Test
  void switchToTheBundledPackage_keepsConfigStateAndEnrolment_evenWhenTheOldOneIsPurged()
      throws Exception {
    installAndEnroll();
    controller.pulley(
        "apply", "-f", HelloManifest.write(work, repository.url(), "Hello").toString());
    awaitConverged(1);
    String appliedPlan =
        server.execOrThrow("cat", "/var/lib/pulley/agent/applied-plan-id").stdout();
    long before = AgentOnServer.mainPid(server);

    ExecResult swap = AgentOnServer.install(server, Artifacts.bundledAgentDeb());

    assertThat(swap.ok()).as(swap.describe()).isTrue();
    assertThat(packageStatus("pulley-agent")).isEqualTo("rc"); // removed, its conffile handed over
    assertThat(packageStatus("pulley-agent-bundled")).isEqualTo("ii");
    await()
        .atMost(CONVERGE)
        .until(() -> AgentOnServer.mainPid(server), pid -> pid != 0 && pid != before);
    long pid = AgentOnServer.mainPid(server);
    assertThat(server.execOrThrow("readlink", "/proc/" + pid + "/exe").stdout().strip())
        .isEqualTo("/usr/lib/pulley/agent-runtime/bin/java");
    assertThat(server.execOrThrow("cat", AgentOnServer.CONFIG).stdout()).contains("host_id: web-1");
    assertThat(server.execOrThrow("cat", "/var/lib/pulley/agent/applied-plan-id").stdout())
        .isEqualTo(appliedPlan);

    ExecResult purge =
        server.exec(
            "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "pulley-agent");

    assertThat(purge.ok()).as(purge.describe()).isTrue();
    assertThat(server.exec("systemctl", "is-enabled", "pulley-agent").stdout()).contains("enabled");
    assertThat(server.exec("test", "-f", AgentOnServer.CONFIG).ok()).isTrue();
    repository.release("2");
    controller.pulley(
        "apply", "-f", HelloManifest.write(work, repository.url(), "Hello again").toString());
    awaitConverged(2); // its key and certificate are still there: it polls over mutual TLS
    assertThat(server.execOrThrow("cat", "/srv/hello/greeting.txt").stdout())
        .isEqualTo("Hello again");
  }

  @Test
  void restartInTheMiddleOfAPoll_isHarmless() throws Exception {
    installAndEnroll();
    controller.pulley(
        "apply", "-f", HelloManifest.write(work, repository.url(), "Hello").toString());
    awaitConverged(1);
    await()
        .atMost(CONVERGE)
        .until(
            () -> controller.pulley("-o", "json", "hosts").out().contains("\"connected\": true"));

    server.execOrThrow("systemctl", "restart", "pulley-agent");

    await()
        .atMost(CONVERGE)
        .until(
            () -> controller.pulley("-o", "json", "hosts").out().contains("\"connected\": true"));
    awaitConverged(1);
    repository.release("2");
    controller.pulley(
        "apply", "-f", HelloManifest.write(work, repository.url(), "Hello again").toString());
    awaitConverged(2);
    assertThat(server.execOrThrow("cat", "/srv/hello/greeting.txt").stdout())
        .isEqualTo("Hello again");
  }

  /** The controller's package on Debian 12 too; its whole life is in ControllerPackageIT (13). */
  @Test
  void controllerPackage_installsAndServesTheCli_onDebian12() throws Exception {
    String deb = "/var/tmp/" + Artifacts.controllerDeb().getFileName();
    server.copyIn(Artifacts.controllerDeb(), deb);
    ExecResult install =
        server.exec("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", deb);
    assertThat(install.ok()).as(install.describe()).isTrue();
    assertThat(server.exec("systemctl", "is-active", "pulley-controller").stdout())
        .contains("active");
    PackagedController.login(server);
    assertThat(server.exec("pulley", "hosts").stdout()).contains("no hosts yet");
  }

  @Test
  void remove_stopsTheAgentAndKeepsConfig_purge_removesConfigAndState() throws Exception {
    installAndEnroll();
    await()
        .atMost(CONVERGE)
        .until(() -> server.exec("test", "-f", "/var/lib/pulley/agent/applied-plan-id").ok());

    ExecResult remove =
        server.exec(
            "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "pulley-agent");
    assertThat(remove.ok()).as(remove.describe()).isTrue();
    assertThat(server.exec("systemctl", "is-active", "pulley-agent").stdout().strip())
        .isNotEqualTo("active");
    assertThat(server.exec("test", "-f", AgentOnServer.CONFIG).ok()).isTrue();
    assertThat(server.exec("test", "-e", "/usr/share/pulley/pulley-agent.jar").ok()).isFalse();
    assertThat(server.exec("test", "-e", "/usr/share/pulley/pulley-agent-apply.jar").ok())
        .isFalse();
    assertThat(server.exec("test", "-e", "/var/cache/pulley/agent").ok()).isFalse();

    ExecResult purge =
        server.exec(
            "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "pulley-agent");
    assertThat(purge.ok()).as(purge.describe()).isTrue();
    assertThat(server.exec("test", "-e", AgentOnServer.CONFIG).ok()).isFalse();
    assertThat(server.exec("test", "-e", AgentOnServer.TOKEN).ok()).isFalse();
    assertThat(server.exec("test", "-e", "/var/lib/pulley/agent").ok()).isFalse();
  }

  /**
   * Restarts the agent and waits until it says it started: a stop while the JVM is still starting
   * ends it before it could write its class archive.
   */
  private void restartAndAwaitStarted() {
    long before = startedLines();
    server.execOrThrow("systemctl", "restart", "pulley-agent");
    await().atMost(CONVERGE).until(() -> startedLines() > before);
  }

  private long startedLines() {
    return server.journal("pulley-agent").lines().filter(l -> l.contains(" started; ")).count();
  }

  private void installAndEnroll() throws Exception {
    ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
    assertThat(install.ok()).as(install.describe()).isTrue();
    AgentOnServer.enroll(server, controller.invite("web"), "web-1", "web");
  }

  /** dpkg's two-letter state: "ii" installed, "rc" removed with its configuration left. */
  private String packageStatus(String name) {
    return server.execOrThrow("dpkg-query", "-W", "-f=${db:Status-Abbrev}", name).stdout().strip();
  }

  private void awaitConverged(long revision) {
    await()
        .atMost(CONVERGE)
        .until(
            () -> {
              HostController.Cli status = controller.pulley("status", "web-1");
              return status.exitCode() == 0 && status.out().contains("#" + revision);
            });
  }
}
