package io.pulley.agent.apply.forked;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pulley.agent.HelloPlans;
import io.pulley.agent.apply.Applier;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.HealthCheck;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies in real child JVMs, started from this test's own java and class path. */
class ForkedApplierTest {
  @TempDir Path root;

  private final ApplyJvm jvm = ApplyJvm.likeThisJvm(Map.of());

  @BeforeEach
  void agentDirectory() throws java.io.IOException {
    Files.createDirectories(root.resolve("agent"));
  }

  private ForkedApplier applier(ApplyJvm applyJvm, Path allowed) {
    return new ForkedApplier(
        applyJvm, List.of(allowed), root.resolve("agent"), "127.0.0.1:1", Clock.systemUTC());
  }

  @Test
  void appliesInAJvmOfItsOwnAndLeavesNoRunFileBehind() throws Exception {
    Path repo = root.resolve("repo");
    String commit = commitOneFile(repo);
    Path srv = Files.createDirectories(root.resolve("srv"));

    Applier.Run run = applier(jvm, srv).apply(plan(srv, repo, commit), () -> false);

    assertThat(run.complete()).isTrue();
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getReason)
        .hasSize(2)
        .allSatisfy(reason -> assertThat(reason).doesNotContain("fail"));
    assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsOnly(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(srv.resolve("greeting.txt")).hasContent("hello\n");
    assertThat(srv.resolve("app/releases").resolve(commit).resolve("app.py")).exists();
    assertThat(root.resolve("agent/apply-run.pb")).doesNotExist();
  }

  /**
   * The apply JVM is set up for its executors by its own main, not by this test JVM's settings: a
   * health check sends the site's Host header, which the JDK's client refuses unless allowed.
   */
  @Test
  void aHealthCheckWithTheSitesHostHeaderPassesInTheApplyJvm() throws Exception {
    List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    site.createContext(
        "/health",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          byte[] ok = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    site.start();
    try {
      Resource health =
          Resource.newBuilder()
              .setId("health")
              .setHealthCheck(
                  HealthCheck.newBuilder()
                      .setUrl("http://127.0.0.1:" + site.getAddress().getPort() + "/health")
                      .setHostHeader("shop.example.com")
                      .setExpectBody("ok")
                      .setDeadlineSeconds(5))
              .build();

      Applier.Run run = applier(jvm, root).apply(HelloPlans.plan("p1", health), () -> false);

      assertThat(run.report().getResults(0).getReason()).doesNotContain("restricted");
      assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
      assertThat(hosts).contains("shop.example.com");
    } finally {
      site.stop(0);
    }
  }

  @Test
  void aStopRequestEndsTheApplyAfterTheResourceInProgress() throws Exception {
    Path started = root.resolve("started");
    HostPlan plan = slowCommandThenAFile(started);

    Applier.Run run = applier(jvm, root).apply(plan, () -> Files.exists(started));

    assertThat(run.complete()).isFalse();
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsExactly(
            ResourceOutcome.RESOURCE_OUTCOME_CHANGED, ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
    assertThat(root.resolve("a.txt")).doesNotExist();
  }

  @Test
  void anApplyJvmThatEndsWithoutARunFailsTheApplyWithItsExitStatus() {
    ForkedApplier applier = applier(jvm.withMain("io.pulley.agent.NoSuchEntry"), root);
    HostPlan plan =
        HelloPlans.plan(
            "p1", HelloPlans.file(root, "a.txt", "a\n"), HelloPlans.file(root, "b.txt", "b\n"));

    Applier.Run run = applier.apply(plan, () -> false);

    assertThat(run.complete()).isTrue();
    assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_FAILED);
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsExactly(
            ResourceOutcome.RESOURCE_OUTCOME_FAILED, ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
    assertThat(run.report().getResults(0).getReason())
        .startsWith("the agent could not run its executors: ")
        .contains("exited with status 1 and no run");
    assertThat(root.resolve("a.txt")).doesNotExist();
  }

  @Test
  void aRunLeftByAnEarlierApplyNeverPassesForThisOnes() throws Exception {
    Files.write(root.resolve("agent/apply-run.pb"), new byte[] {1});
    ForkedApplier applier = applier(jvm.withMain("io.pulley.agent.NoSuchEntry"), root);

    Applier.Run run =
        applier.apply(HelloPlans.plan("p1", HelloPlans.file(root, "a.txt", "a\n")), () -> false);

    assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_FAILED);
  }

  @Test
  void whenTheAgentDiesTheApplyEndsAfterTheResourceInProgress() throws Exception {
    Path started = root.resolve("started");
    HostPlan plan = slowCommandThenAFile(started);
    Process process =
        new ProcessBuilder(jvm.command())
            .inheritIO()
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    new ApplyRequest(
            List.of(root),
            root.resolve("agent"),
            "127.0.0.1:1",
            root.resolve("run.pb"),
            plan.toByteArray())
        .writeTo(process.getOutputStream());
    while (!Files.exists(started)) {
      assertThat(process.isAlive()).isTrue();
      Thread.sleep(10);
    }

    process.getOutputStream().close(); // as the kernel does for an agent that dies

    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(root.resolve("a.txt")).doesNotExist();
    assertThat(root.resolve("run.pb")).exists();
  }

  @Test
  void theApplyJvmsFlagsComeFromTheEnvironment_splitAtBlanks() {
    ApplyJvm custom = ApplyJvm.likeThisJvm(Map.of(ApplyJvm.OPTIONS_VARIABLE, " -Xmx64m\t-Xint  "));

    assertThat(custom.command())
        .startsWith(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .containsSubsequence("-Xmx64m", "-Xint", "-cp", System.getProperty("java.class.path"))
        .endsWith(ApplyJvm.MAIN)
        .doesNotContain("-XX:TieredStopAtLevel=1");
    assertThat(jvm.command()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  @Test
  void theAgentsSystemPropertiesHoldForItsApplies_beforeTheApplysOwnFlags() {
    String[] agentArguments = {
      "-Xint",
      "-Dlogback.configurationFile=/etc/pulley/agent-logback.xml",
      "-cp",
      "-Dnot-a-property.jar",
      "-Da=b",
      "-jar",
      "/usr/share/pulley/pulley-agent.jar",
      "-Dprogram-argument"
    };

    List<String> properties = ApplyJvm.systemProperties(agentArguments);
    ApplyJvm applyJvm =
        new ApplyJvm(Path.of("/java"), properties, "-Da=c -Xmx64m", "agent.jar", ApplyJvm.MAIN);

    assertThat(properties)
        .containsExactly("-Dlogback.configurationFile=/etc/pulley/agent-logback.xml", "-Da=b");
    assertThat(applyJvm.command())
        .containsExactly(
            "/java",
            "-Dlogback.configurationFile=/etc/pulley/agent-logback.xml",
            "-Da=b",
            "-Da=c",
            "-Xmx64m",
            "-cp",
            "agent.jar",
            ApplyJvm.MAIN);
  }

  /** A command that creates {@code started} and takes 2 s, then the file a.txt. */
  private HostPlan slowCommandThenAFile(Path started) {
    Resource slow =
        Resource.newBuilder()
            .setId("command:slow")
            .setCommand(
                Command.newBuilder()
                    .addAllArgv(List.of("sh", "-c", "touch \"$0\"; sleep 2", started.toString())))
            .build();
    return HelloPlans.plan("p1", slow, HelloPlans.file(root, "a.txt", "a\n"));
  }

  private static String commitOneFile(Path repo) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(repo.resolve("app.py"), "print('hello')\n");
      git.add().addFilepattern("app.py").call();
      RevCommit commit =
          git.commit()
              .setMessage("one")
              .setAuthor("t", "t@example.invalid")
              .setCommitter("t", "t@example.invalid")
              .setSign(false)
              .call();
      return commit.getName();
    }
  }

  private static HostPlan plan(Path srv, Path repo, String commit) {
    return HelloPlans.plan(
        "p1",
        HelloPlans.file(srv, "greeting.txt", "hello\n"),
        Resource.newBuilder()
            .setId("git_release:app")
            .setGitRelease(
                GitRelease.newBuilder()
                    .setRoot(srv.resolve("app").toString())
                    .setUrl(repo.toUri().toString())
                    .setCommit(commit)
                    .setKeep(3))
            .build());
  }
}
