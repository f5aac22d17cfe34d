package io.pulley.agent.apply.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.agent.apply.process.RecordingRunner;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {
  @TempDir Path dir;
  @TempDir Path stateDir;
  CommandExecutor executor;

  @BeforeEach
  void setUp() {
    executor = new CommandExecutor(new PathGuard(List.of(dir)), new ProcessRunner());
  }

  private static Command.Builder command(String... argv) {
    return Command.newBuilder().addAllArgv(List.of(argv));
  }

  @Test
  void converge_successfulCommand_isChangedWithOutput() throws Exception {
    Convergence c =
        executor.converge(
            command("echo", "hello", "$HOME;", "*").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.outputTail()).as("no shell expands anything").isEqualTo("hello $HOME; *\n");
  }

  @Test
  void converge_nonZeroExit_failsWithStatusAndCombinedOutput() throws Exception {
    Convergence c =
        executor.converge(
            command("sh", "-c", "echo out; echo err >&2; exit 3").build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("exit status 3");
    assertThat(c.outputTail()).contains("out\n").contains("err\n");
  }

  @Test
  void converge_workingDirAndEnv_areApplied() throws Exception {
    Convergence c =
        executor.converge(
            command("sh", "-c", "pwd; echo $GREETING; echo $LANG; echo $PATH")
                .setWorkingDir(dir.toString())
                .putEnv("GREETING", "hi")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outputTail())
        .isEqualTo(
            dir + "\nhi\nC.UTF-8\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
  }

  @Test
  void converge_onlyTheMinimalEnvironmentIsPassed() throws Exception {
    Convergence c = executor.converge(command("env").build(), Contexts.plain(stateDir));

    assertThat(c.outputTail().lines().map(l -> l.substring(0, l.indexOf('='))).sorted())
        .containsExactly("LANG", "PATH");
  }

  @Test
  void converge_createsPathExists_isSkippedUnchanged() throws Exception {
    Path marker = Files.createFile(dir.resolve("done"));
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("skipped: " + marker + " exists");
    assertThat(proof).doesNotExist();
  }

  @Test
  void converge_createsPathMissing_runs() throws Exception {
    Path marker = dir.resolve("done");

    Convergence first =
        executor.converge(
            command("touch", marker.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));
    Convergence second =
        executor.converge(
            command("touch", marker.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));

    assertThat(first.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(second.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_unlessSucceeds_isSkippedUnchanged() throws Exception {
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).addUnless("true").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("skipped: unless command exited 0");
    assertThat(proof).doesNotExist();
  }

  @Test
  void converge_unlessFails_runsTheCommand() throws Exception {
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).addUnless("false").build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(proof).exists();
  }

  @Test
  void converge_timeout_killsTheProcessTreeAndFails() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Convergence c =
        executor.converge(
            command("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; echo started; wait")
                .setTimeoutSeconds(1)
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("timed out after 1s");
    assertThat(c.outputTail()).isEqualTo("started\n");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(30)).until(() -> deadOrZombie(child));
  }

  /** A killed child whose new parent does not reap it (PID 1 in a container) stays a zombie. */
  private static boolean deadOrZombie(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) {
      return true;
    }
    String text = Files.readString(stat);
    return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
  }

  @Test
  void converge_hugeOutput_keepsOnlyTheLast4KiB() throws Exception {
    Convergence c =
        executor.converge(
            command("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo; echo THE-END")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outputTail().getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(c.outputTail()).endsWith("aaaa\nTHE-END\n");
  }

  @Test
  void converge_unknownProgram_failsWithoutRunning() throws Exception {
    Convergence c =
        executor.converge(command("no-such-program-pulley").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("program 'no-such-program-pulley' not found in PATH");
  }

  @Test
  void converge_emptyArgv_fails() throws Exception {
    assertThat(executor.converge(Command.getDefaultInstance(), Contexts.plain(stateDir)).reason())
        .isEqualTo("argv is empty");
  }

  @Test
  void converge_doneMarker_createdWithParentsAfterSuccess_thenSkips() throws Exception {
    Path marker = dir.resolve("releases/abc/.pulley-done/migrate");
    Path proof = dir.resolve("ran");
    Command spec =
        command("sh", "-c", "echo x >> " + proof).setDoneMarker(marker.toString()).build();

    Convergence first = executor.converge(spec, Contexts.plain(stateDir));
    Convergence second = executor.converge(spec, Contexts.plain(stateDir));

    assertThat(first.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(marker).isEmptyFile();
    assertThat(second.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(second.reason()).isEqualTo("already done: " + marker + " exists");
    assertThat(Files.readString(proof)).as("ran once").isEqualTo("x\n");
  }

  @Test
  void converge_doneMarker_notCreatedWhenTheCommandFails() throws Exception {
    Path marker = dir.resolve("done/marker");

    Convergence c =
        executor.converge(
            command("false").setDoneMarker(marker.toString()).build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(marker).doesNotExist();
  }

  @Test
  void converge_doneMarkerOutsideTheAllowedRoots_failsWithoutRunning() throws Exception {
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).setDoneMarker("/proc/pulley-marker").build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).startsWith("done_marker: path /proc/pulley-marker is outside");
    assertThat(proof).doesNotExist();
  }

  @Test
  void converge_secretsInOutput_areMasked() throws Exception {
    ApplyContext context =
        Contexts.withSecrets(stateDir, Map.of("db", "s3cr3t-pass", "key", "k3y-value-long"));

    Convergence c =
        executor.converge(
            command("sh", "-c", "echo url=pg://u:s3cr3t-pass@h; echo k3y-value-long; exit 1")
                .build(),
            context);

    assertThat(c.outputTail()).isEqualTo("url=pg://u:***@h\n***\n");
  }

  @Test
  void converge_secretCutAtTheStartOfTheTail_isMasked() throws Exception {
    String secret = "0123456789abcdef";
    ApplyContext context = Contexts.withSecrets(stateDir, Map.of("s", secret));

    Convergence c =
        executor.converge(
            command("sh", "-c", "echo " + secret + "; head -c 4087 /dev/zero | tr '\\0' a").build(),
            context);

    assertThat(c.outputTail()).startsWith("***\naaa").doesNotContain("abcdef");
  }

  @Test
  void converge_asUser_runsThroughRunuserWithTheUsersHome() throws Exception {
    RecordingRunner runner =
        new RecordingRunner()
            .answer("getent passwd app", 0, "app:x:998:998::/srv/app:/usr/sbin/nologin\n");
    CommandExecutor asUser = new CommandExecutor(new PathGuard(List.of(dir)), runner);

    Convergence c =
        asUser.converge(
            command("python3", "-c", "import app")
                .setUser("app")
                .addAllUnless(List.of("test", "-e", "/x"))
                .putEnv("PULLEY_SETTINGS", "/srv/app/shared/config/settings.ini")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(runner.lines())
        .containsExactly("getent passwd app", "/usr/sbin/runuser -u app -- test -e /x");
    assertThat(runner.calls().get(1).env())
        .containsEntry("HOME", "/srv/app")
        .containsEntry("PULLEY_SETTINGS", "/srv/app/shared/config/settings.ini");
  }

  @Test
  void converge_asUser_runsTheArgvAfterTheSeparator() throws Exception {
    RecordingRunner runner =
        new RecordingRunner()
            .answer("getent passwd app", 0, "app:x:998:998::/srv/app:/usr/sbin/nologin\n");
    CommandExecutor asUser = new CommandExecutor(new PathGuard(List.of(dir)), runner);

    Convergence c =
        asUser.converge(command("-rf", "x").setUser("app").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(runner.calls().get(1).argv())
        .containsExactly("/usr/sbin/runuser", "-u", "app", "--", "-rf", "x");
  }

  @Test
  void converge_unknownUser_failsWithoutRunning() throws Exception {
    RecordingRunner runner = new RecordingRunner().answer("getent passwd", 2, "");
    CommandExecutor asUser = new CommandExecutor(new PathGuard(List.of(dir)), runner);

    Convergence c =
        asUser.converge(command("true").setUser("ghost").build(), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("user ghost does not exist");
    assertThat(runner.lines()).containsExactly("getent passwd ghost");
  }

  @Test
  void converge_invalidUserName_failsNamingItWithoutRunning() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    CommandExecutor asUser = new CommandExecutor(new PathGuard(List.of(dir)), runner);

    Convergence c =
        asUser.converge(command("true").setUser("-o root").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).startsWith("user name '-o root' is not valid");
    assertThat(runner.calls()).isEmpty();
  }
}
